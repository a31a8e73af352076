/// <reference types="vite/client" />
/// <reference types="@crxjs/vite-plugin/client" />

/** The content script as built for this extension (scripts/support/content-script-bundle.ts). */
declare module 'virtual:gridside-content-script' {
  const build: import('./sites/content-script-build.ts').ContentScriptBuild;
  export default build;
}
