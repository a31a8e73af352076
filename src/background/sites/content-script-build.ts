/**
 * The content script as built (scripts/support/content-script-bundle.ts), given to the worker by the
 * build as `virtual:gridside-content-script`: the file registered per console origin, and for each chunk
 * the content script may load later, the files to inject for it, in order.
 */
export interface ContentScriptBuild {
  /** The content script file, registered with `scripting.registerContentScripts`. */
  script: string;
  /** Chunk id (as the content script asks for it) → files to inject, its own last. */
  chunks: Record<string, string[]>;
}
