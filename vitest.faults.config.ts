/// <reference types="vitest/config" />
import { defineConfig } from 'vitest/config';

// The faults suite (test/faults/): what the analyst sees and what is kept when the network, the
// orchestrator, its disk or the browser's storage fail. Most files run the built extension (dist/, demo
// mode) in real Chromium against a real orchestrator, some behind a fault-injecting proxy; one file at a
// time, like the end-to-end tests, because each starts its own browser and servers.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
