import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startProcess } from '../../../src/orchestrator/runner.ts';
import { createSpawner, type SpawnedChild, type Spawner } from '../../../src/orchestrator/spawner.ts';

/**
 * Plugins are forked by a small helper process (spawner.ts): the orchestrator's thread never pays for
 * copying its own page tables. Real processes throughout.
 */

const spawners: Spawner[] = [];
afterEach(() => {
  for (const spawner of spawners.splice(0)) spawner.stop();
});
function helper(): Spawner {
  const spawner = createSpawner();
  spawners.push(spawner);
  return spawner;
}

const ENV = { PATH: '/usr/bin:/bin' };

function collect(child: SpawnedChild) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const errors: string[] = [];
  child.on('error', (error) => errors.push(error.message));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { out, err, errors, closed };
}

/** A plugin run of `sleep 30` started through the helper, as runs.ts starts one. */
const sleepFor30s = (spawner: Spawner) =>
  startProcess({
    command: '/bin/sleep',
    args: ['30'],
    cwd: '/tmp',
    env: ENV,
    timeoutMs: 60_000,
    outputCapBytes: 100,
    killGraceMs: 1_000,
    spawner,
  });

/** Running, not gone and not a zombie (a dead helper's children are reaped by whoever adopts them). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

const parentOf = (pid: number): number =>
  Number(readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.split(' ')[1]);

describe.skipIf(process.platform !== 'linux')('the spawning helper', () => {
  it('starts the process from the helper, not from this one, and relays its output and exit', async () => {
    const spawner = helper();
    const child = spawner.spawn({
      command: '/bin/sh',
      args: ['-c', 'echo "$GREETING"; echo oops >&2; sleep 0.3; exit 3'],
      cwd: '/tmp',
      env: { ...ENV, GREETING: 'hello from the plugin' },
      relayBytes: 1000,
    });
    const seen = collect(child);
    const pid = await child.started;
    expect(pid).toBeGreaterThan(0);
    expect(spawner.pid).toBeGreaterThan(0);
    expect(parentOf(pid!)).toBe(spawner.pid); // forked by the helper
    expect(parentOf(spawner.pid!)).toBe(process.pid);
    expect(await seen.closed).toEqual({ code: 3, signal: null });
    expect(Buffer.concat(seen.out).toString()).toBe('hello from the plugin\n');
    expect(Buffer.concat(seen.err).toString()).toBe('oops\n');
  });

  it('relays no more than the cap and one byte of each stream, however much the process writes', async () => {
    const child = helper().spawn({
      command: '/bin/sh',
      args: ['-c', 'head -c 200000 /dev/zero'],
      cwd: '/tmp',
      env: ENV,
      relayBytes: 100,
    });
    const seen = collect(child);
    expect((await seen.closed).code).toBe(0);
    expect(Buffer.concat(seen.out).length).toBe(101);
  });

  it('reports a command that cannot be started, as spawn itself does', async () => {
    const child = helper().spawn({
      command: '/nonexistent/plugin',
      args: [],
      cwd: '/tmp',
      env: ENV,
      relayBytes: 100,
    });
    const seen = collect(child);
    expect(await child.started).toBeUndefined();
    await seen.closed;
    expect(seen.errors.join(' ')).toMatch(/ENOENT/);
  });

  it('ends the runs in flight when the helper dies, and starts a new helper for the next run', async () => {
    const spawner = helper();
    const child = spawner.spawn({
      command: '/bin/sleep',
      args: ['30'],
      cwd: '/tmp',
      env: ENV,
      relayBytes: 10,
    });
    const seen = collect(child);
    const pid = await child.started;
    const first = spawner.pid!;
    process.kill(first, 'SIGKILL');
    await seen.closed;
    expect(seen.errors.join(' ')).toMatch(/stopped/);
    process.kill(-pid!, 'SIGKILL'); // its process group is still ours to kill

    const next = spawner.spawn({ command: '/bin/true', args: [], cwd: '/tmp', env: ENV, relayBytes: 10 });
    expect((await collect(next).closed).code).toBe(0);
    expect(spawner.pid).not.toBe(first);
  });

  it('says a started run was lost, not that it could not start, and kills its group, when the helper dies', async () => {
    const spawner = helper();
    const run = sleepFor30s(spawner);
    const pid = await run.started;
    process.kill(spawner.pid!, 'SIGKILL');
    const result = await run.result;
    expect(result.lost).toMatch(/stopped/);
    expect(result.spawnError).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running(pid!)).toBe(false); // its group was killed
  });

  it('kills a run canceled before its pid came back, once the pid arrives', async () => {
    const spawner = helper();
    const run = sleepFor30s(spawner);
    run.cancel(); // before the helper answered
    const result = await run.result;
    expect(result.canceled).toBe(true);
    expect(result.signal).toBe('SIGTERM');
    const pid = await run.started;
    expect(running(pid!)).toBe(false); // gone
  });
});
