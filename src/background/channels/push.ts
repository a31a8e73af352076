import type { ContentPush, Job } from '../../core/messages.ts';
import type { TabRef } from '../jobs/job-record.ts';
import type { ContentLines } from './content-line.ts';
import { pushForPage } from './output-withheld.ts';

export interface TabsSendLike {
  sendMessage(tabId: number, message: unknown, options?: { frameId?: number }): Promise<unknown>;
}

/**
 * Background → content script, on the frame's kept port while it has one open (content-line.ts), else by
 * `tabs.sendMessage`. A tab that closed, navigated or has no Gridside content script makes
 * `sendMessage` reject; that is normal (the job is saved and a reloaded page asks `jobs.forRow`), so it
 * is ignored rather than reported. Every push leaves without the run's output text (output-withheld.ts):
 * the output frame fetches that itself.
 *
 * Pushes to one frame made in the same turn leave together: consecutive `job.update`s go as one
 * `jobs.update` message, which the content script takes apart again (background-channel.ts). A batch's
 * shared poll answers several rows at once, and each message costs the worker, the browser and the
 * console page about a millisecond of CPU whatever it carries. Order is kept, and nothing waits longer
 * than the turn.
 */
export function createPush(tabs: TabsSendLike, lines?: Pick<ContentLines, 'post'>) {
  /** Messages gathered this turn, by frame, and the promise of their sending. */
  const waiting = new Map<string, { messages: ContentPush[]; sent: Promise<void> }>();

  function send(tab: TabRef, messages: ContentPush[]): Promise<void> {
    const chunks: ContentPush[] = [];
    let jobs: Job[] = [];
    const endJobs = () => {
      if (jobs.length === 1) chunks.push({ type: 'job.update', job: jobs[0]! });
      else if (jobs.length > 1) chunks.push({ type: 'jobs.update', jobs });
      jobs = [];
    };
    for (const message of messages) {
      if (message.type === 'job.update') jobs.push(message.job);
      else {
        endJobs();
        chunks.push(message);
      }
    }
    endJobs();
    // Issued in order without waiting on each other: messages to one frame arrive in the order sent.
    const sending = chunks.map((chunk) => {
      const message = pushForPage(chunk);
      if (lines?.post(tab, message)) return Promise.resolve();
      return tabs.sendMessage(tab.tabId, message, { frameId: tab.frameId }).then(
        () => undefined,
        // The tab is gone or not listening.
        () => undefined,
      );
    });
    return Promise.all(sending).then(() => undefined);
  }

  return (tab: TabRef, message: ContentPush): Promise<void> => {
    const key = `${tab.tabId}/${tab.frameId}`;
    const open = waiting.get(key);
    if (open) {
      open.messages.push(message);
      return open.sent;
    }
    const messages = [message];
    const sent = Promise.resolve().then(() => {
      waiting.delete(key);
      return send(tab, messages);
    });
    waiting.set(key, { messages, sent });
    return sent;
  };
}

/**
 * A push to every frame of a tab at once, where the background cannot know which frame it is for (the
 * keyboard command goes to the frame holding the focus, which only the frames can tell). Sent by message:
 * a tab's frames share no port.
 */
export function pushToEveryFrame(tabs: TabsSendLike, tabId: number, message: ContentPush): Promise<void> {
  return tabs.sendMessage(tabId, pushForPage(message)).then(
    () => undefined,
    () => undefined,
  );
}
