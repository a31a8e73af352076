/// <reference types="vitest/config" />
import { defineConfig } from 'vitest/config';

// End-to-end tests: the built extension (dist/, demo mode) in real Chromium against the demo console and a
// real orchestrator process. One file at a time: each launches its own browser and servers, and the
// machine has two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
