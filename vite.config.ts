/// <reference types="vitest/config" />
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import manifest from './manifest.config.ts';

// `vite build` → production extension in dist/; `vite build --mode demo` → demo/test build (localhost
// declared) in dist/ as well, so `npm run demo` and the end-to-end tests load the same folder.
export default defineConfig({
  plugins: [preact(), crx({ manifest })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    // Vite's preload helper would add <link rel="modulepreload" href="chrome-extension://ID/…"> to the
    // console page's <head> when the panel loads, telling the page the extension id and its chunk names.
    modulePreload: false,
    rollupOptions: { input: { options: 'src/options/index.html', history: 'src/history/index.html' } },
  },
  server: { cors: { origin: [/chrome-extension:\/\//] } },
});
