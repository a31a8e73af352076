import type { z } from 'zod';
import { type HistoryRequest, HistoryRequestSchema } from '../../core/history.ts';
import {
  type ContentRequest,
  ContentRequestSchema,
  type PanelError,
  type Reply,
} from '../../core/messages.ts';
import { type OptionsRequest, OptionsRequestSchema } from '../../core/options-messages.ts';
import { OutputFrameRequestSchema } from '../../core/output-frame.ts';
import { EXTENSION_PAGES, type ExtensionPage } from '../../core/page-channel.ts';
import { type PopupRequest, PopupRequestSchema } from '../../core/popup-messages.ts';
import type { TabRef } from '../jobs/job-record.ts';
import { isStorageFull, STORAGE_FULL } from '../storage-full.ts';
import { UserError } from '../user-error.ts';
import type { OutputFrameHandler } from './output-frame-handlers.ts';

/**
 * The worker's message entry point, split by trust (docs/architecture.md §10):
 * - the extension's own pages, each on a channel of its own, told apart by the sender's URL (set by the
 *   browser, not by the message): the options page `OptionsRequestSchema`, the toolbar popup (also as the
 *   approval window) `PopupRequestSchema`, the history page `HistoryRequestSchema`. A page may send only
 *   its own requests;
 * - content scripts: the narrow channel, `ContentRequestSchema`, only from a tab whose page origin is an
 *   enabled console.
 * Everything is parsed once here; anything unknown or malformed is answered `bad_request`, never guessed.
 */

/** The parts of `runtime.MessageSender` the router trusts (set by the browser, not by the sender). */
export interface SenderInfo {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number; url?: string };
}

/** Who sent a content request: the console origin of its frame, and where to push updates. */
export interface ContentSender {
  origin: string;
  tab: TabRef;
}

export type ContentHandler = (request: ContentRequest, sender: ContentSender) => Promise<unknown>;
export type OptionsHandler = (request: OptionsRequest) => Promise<unknown>;
export type PopupHandler = (request: PopupRequest) => Promise<unknown>;
export type HistoryHandler = (request: HistoryRequest) => Promise<unknown>;

export interface RouterDeps {
  /** The output frame's requests (output-frame-handlers.ts); absent in tests that do not need it. */
  outputFrame?: OutputFrameHandler;
  extensionId: string;
  /** `chrome-extension://<id>` (or `moz-extension://<uuid>`), without a trailing slash. */
  extensionOrigin: string;
  isEnabledConsole(origin: string): Promise<boolean>;
  content: ContentHandler;
  options: OptionsHandler;
  popup: PopupHandler;
  history: HistoryHandler;
}

export type Router = (message: unknown, sender: SenderInfo) => Promise<Reply<unknown>>;

export function createRouter(deps: RouterDeps): Router {
  return async (message, sender) => {
    if (sender.id !== deps.extensionId) return refused('The message did not come from Gridside.');
    if (isOutputFrame(sender.url)) return outputFrame(deps, message, sender);
    if (sender.url?.startsWith(`${deps.extensionOrigin}/`)) {
      switch (extensionPage(sender.url, deps.extensionOrigin)) {
        case 'options':
          return handle(OptionsRequestSchema, message, deps.options);
        case 'popup':
          return handle(PopupRequestSchema, message, deps.popup);
        case 'history':
          return handle(HistoryRequestSchema, message, deps.history);
        default:
          return refused('This Gridside page sends no requests.');
      }
    }

    // Content script: its frame must be a page of an enabled console, in a real tab.
    const origin = originOf(sender.url);
    const tabId = sender.tab?.id;
    if (!origin || tabId === undefined || tabId < 0)
      return refused('The message did not come from a console tab.');
    if (!(await deps.isEnabledConsole(origin))) {
      // Its own code: the content script stands down on it. Firefox registers content scripts without the
      // port, so a console enabled at one port gets the script on every port of its host.
      return {
        ok: false,
        error: {
          code: 'not_enabled',
          message: `Gridside is not enabled on ${origin}.`,
          hint: 'Enable this console in Gridside options.',
        },
      };
    }
    const request = parse(ContentRequestSchema, message);
    if ('error' in request) return { ok: false, error: request.error };
    return answer(() => deps.content(request.data, { origin, tab: { tabId, frameId: sender.frameId ?? 0 } }));
  };
}

/**
 * The output frame sits in a console tab. Chrome may load it under a per-session random host instead of
 * the extension id (`use_dynamic_url`), so it is told by the browser-set `sender.id` (checked first), an
 * extension scheme and its own path; and it is answered only inside a tab of an enabled console, whose
 * origin every answer is checked against.
 */
async function outputFrame(deps: RouterDeps, message: unknown, sender: SenderInfo): Promise<Reply<unknown>> {
  const origin = originOf(sender.tab?.url);
  const tabId = sender.tab?.id;
  const handler = deps.outputFrame;
  if (!handler || !origin || tabId === undefined || tabId < 0)
    return refused('The output frame shows runs only inside a console tab.');
  if (!(await deps.isEnabledConsole(origin))) return refused(`Gridside is not enabled on ${origin}.`);
  const request = parse(OutputFrameRequestSchema, message);
  if ('error' in request) return { ok: false, error: request.error };
  return answer(() => handler(request.data, { origin, tabId }));
}

/** The frame page's address on either browser's extension scheme, under whichever host the browser chose. */
function isOutputFrame(url: string | undefined): boolean {
  const match = url ? /^(?:chrome-extension|moz-extension):\/\/[^/]+\/([^?#]*)/.exec(url) : null;
  return match?.[1] === EXTENSION_PAGES.outputFrame;
}

/**
 * Which of the extension's pages sent this, by its path (query and fragment aside). Read off the string:
 * `URL` gives extension schemes no origin of their own (`null`) in every runtime.
 */
function extensionPage(url: string, extensionOrigin: string): ExtensionPage | undefined {
  if (!url.startsWith(`${extensionOrigin}/`)) return undefined;
  const path = url.slice(extensionOrigin.length + 1).split(/[?#]/, 1)[0];
  return (Object.keys(EXTENSION_PAGES) as ExtensionPage[]).find((page) => EXTENSION_PAGES[page] === path);
}

function handle<S extends z.ZodType>(
  schema: S,
  message: unknown,
  handler: (request: z.infer<S>) => Promise<unknown>,
): Promise<Reply<unknown>> {
  const request = parse(schema, message);
  if ('error' in request) return Promise.resolve({ ok: false, error: request.error });
  return answer(() => handler(request.data));
}

function parse<S extends z.ZodType>(
  schema: S,
  message: unknown,
): { data: z.infer<S> } | { error: PanelError } {
  const parsed = schema.safeParse(message);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  return {
    error: { code: 'bad_request', message: `Gridside does not understand this request${where}.` },
  };
}

async function answer(handle: () => Promise<unknown>): Promise<Reply<unknown>> {
  try {
    return { ok: true, data: await handle() };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: error.toPanelError() };
    if (isStorageFull(error)) return { ok: false, error: STORAGE_FULL };
    console.error('Gridside request failed', error);
    return { ok: false, error: { code: 'internal', message: 'Gridside hit an internal error.' } };
  }
}

function refused(message: string, hint?: string): Reply<never> {
  return { ok: false, error: { code: 'refused', message, ...(hint ? { hint } : {}) } };
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol, origin } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? origin : undefined;
  } catch {
    return undefined;
  }
}
