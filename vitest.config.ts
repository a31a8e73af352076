/// <reference types="vitest/config" />
import { defineConfig } from 'vitest/config';

// Unit and integration tests. End-to-end tests in real Chromium have their own config
// (vitest.e2e.config.ts) because they need the built extension and run one file at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
});
