import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onCores } from '../support/host-split.ts';
import {
  type DirectBatch,
  type DirectPlugin,
  runPluginBatchDirectly,
  runPluginDirectly,
} from './plugin-direct.ts';

/**
 * The plugin-alone baseline, timed where the orchestrator runs. With the machine split between browser and
 * orchestrator (scripts/support/host-split.ts), the plugin alone must start from the orchestrator's cores
 * too, or the baseline would run beside Chromium while the runs it is compared with do not. So the bench
 * starts this file as a small process on those cores and asks it over stdin/stdout, one JSON line each
 * way; the timing is taken inside that process, as before.
 */

export interface PluginTimer {
  /** Wall time of one plugin run for `ip`. */
  one(ip: string): Promise<number>;
  /** Running `plugin` (default IP Reputation) once per IP, `concurrency` at a time: wall and run times. */
  batch(ips: string[], concurrency: number, plugin?: DirectPlugin): Promise<DirectBatch>;
  stop(): void;
}

type Ask =
  | { id: number; ip: string }
  | { id: number; ips: string[]; concurrency: number; plugin?: DirectPlugin };
type Answer = { id: number; ms: number } | { id: number; batch: DirectBatch } | { id: number; error: string };

/**
 * A timer process of its own, pinned to `cpus` when given; resolves once it answers. Even unpinned, the
 * timing is taken there and not in the bench's process, whose event loop is busy with the browser's
 * protocol traffic and would notice the plugin's exit late.
 */
export async function pluginTimerProcess(cpus?: string): Promise<PluginTimer> {
  const node = { command: process.execPath, args: ['--import', 'tsx', fileURLToPath(import.meta.url)] };
  const { command, args } = cpus ? onCores(cpus)(node.command, node.args) : node;
  const child: ChildProcess = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  let next = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const answer = JSON.parse(line) as Answer;
    const asker = waiting.get(answer.id);
    waiting.delete(answer.id);
    if ('error' in answer) asker?.reject(new Error(answer.error));
    else asker?.resolve(answer);
  });
  child.on('exit', (code) => {
    for (const asker of waiting.values()) asker.reject(new Error(`the plugin timer exited (${code})`));
    waiting.clear();
  });
  const ask = (question: Omit<Ask, 'id'>): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.stdin!.write(`${JSON.stringify({ id, ...question })}\n`);
    });
  const timer: PluginTimer = {
    one: async (ip) => {
      const answer = await ask({ ip });
      if (!('ms' in answer)) throw new Error('the plugin timer answered a run with a batch');
      return answer.ms;
    },
    batch: async (ips, concurrency, plugin) => {
      const answer = await ask({ ips, concurrency, plugin });
      if (!('batch' in answer)) throw new Error('the plugin timer answered a batch with a run');
      return answer.batch;
    },
    stop: () => child.kill(),
  };
  // The first answer also proves the process is up (tsx compiled, plugin found).
  await timer.one('127.0.0.1');
  return timer;
}

async function serve(): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    const ask = JSON.parse(line) as Ask;
    let answer: Answer;
    try {
      answer =
        'ip' in ask
          ? { id: ask.id, ms: await runPluginDirectly(ask.ip) }
          : { id: ask.id, batch: await runPluginBatchDirectly(ask.ips, ask.concurrency, ask.plugin) };
    } catch (error) {
      answer = { id: ask.id, error: String(error) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve();
