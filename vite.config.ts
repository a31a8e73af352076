/// <reference types="vitest/config" />
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig, type UserConfig } from 'vite';
import { FRAME_PAGES, manifestFor, type TargetBrowser } from './manifest.config.ts';
import { contentScriptBundle } from './scripts/support/content-script-bundle.ts';
import { EXTENSION_PAGES } from './src/core/page-channel.ts';

/**
 * The extension build, for either browser from the same sources and the same manifest source
 * (manifest.config.ts). `vite build` → the Chrome/Edge extension in dist/; `vite build --mode demo` → the
 * demo/test build (localhost declared) in dist/ as well, so `npm run demo` and the end-to-end tests load
 * the same folder. The Firefox build (dist-firefox/) is `npm run build:firefox`, which builds
 * `extensionConfig('firefox')` (scripts/build-firefox.ts).
 */
export function extensionConfig(browser: TargetBrowser): UserConfig {
  return {
    plugins: [
      preact(),
      crx({ manifest: manifestFor(browser), browser }),
      contentScriptBundle({ browser, framePages: FRAME_PAGES }),
    ],
    build: {
      outDir: browser === 'firefox' ? 'dist-firefox' : 'dist',
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: false,
      // Vite's preload helper would add <link rel="modulepreload" href="chrome-extension://ID/…"> to the
      // console page's <head> when the panel loads, telling the page the extension id and its chunk names.
      modulePreload: false,
      rollupOptions: {
        input: {
          options: EXTENSION_PAGES.options,
          history: EXTENSION_PAGES.history,
          outputFrame: EXTENSION_PAGES.outputFrame,
        },
      },
    },
    server: { cors: { origin: [/chrome-extension:\/\//] } },
  };
}

export default defineConfig(extensionConfig('chrome'));
