/// <reference types="vitest/config" />
import { defineConfig } from 'vitest/config';

// Firefox end-to-end tests: the Firefox demo build (dist-firefox/, `npx tsx scripts/build-firefox.ts --demo`)
// in real Firefox ESR through WebDriver BiDi, against the demo console and a real orchestrator process.
// A suite of its own, so a machine with Chromium and no Firefox still runs the Chromium tests, and
// `npm test` reports Firefox's counts (or its absence) separately.
export default defineConfig({
  test: {
    include: ['test/e2e-firefox/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 300_000,
  },
});
