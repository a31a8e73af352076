import type { z } from 'zod';

/**
 * The extension pages' channels (options, popup, history), one each (docs/architecture.md §10). Each
 * page's request → reply map is a table of reply schemas, one per request type, kept beside the request
 * schema: the page parses every reply with the schema its request names (src/pages/worker-channel.ts),
 * and the worker's handler for that page must return what the schema accepts (its `HandlerTable`).
 */

/** One reply schema per request type. */
export type ReplySchemas<Requests extends { type: string }> = { readonly [K in Requests['type']]: z.ZodType };

/** What a handler returns for each request type: whatever the page's reply schema accepts. */
export type RepliesFrom<Schemas extends Record<string, z.ZodType>> = {
  [K in keyof Schemas]: z.input<Schemas[K]>;
};

/** What the page holds after parsing the reply. */
export type ParsedReplies<Schemas extends Record<string, z.ZodType>> = {
  [K in keyof Schemas]: z.output<Schemas[K]>;
};

/**
 * The extension's own pages, by the path the build gives them: the manifest and the build name them from
 * here, and the router tells the senders apart by them.
 */
export const EXTENSION_PAGES = {
  options: 'src/options/index.html',
  popup: 'src/popup/index.html',
  history: 'src/history/index.html',
  outputFrame: 'src/pages/output-frame/index.html',
} as const;
export type ExtensionPage = keyof typeof EXTENSION_PAGES;
