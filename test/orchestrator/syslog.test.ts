import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { HealthSchema } from '../../src/core/api.ts';
import { SD_ID } from '../../src/orchestrator/syslog-message.ts';
import {
  type OrchestratorHandle,
  restartOrchestrator,
  startOrchestrator,
} from '../support/orchestrator-process.ts';
import { SyslogReceiver } from '../support/syslog-receiver.ts';
import { makeTestCa } from '../support/test-ca.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS, waitUntil } from './setup.ts';

/**
 * The audit trail streamed to a syslog receiver (RFC 5424, octet counting over TCP): every record, in
 * order, with its fields and hash, through a receiver restart and an orchestrator restart, none lost and
 * none repeated; the backlog shows in health while the receiver is away.
 */

const handles: OrchestratorHandle[] = [];
const receivers: SyslogReceiver[] = [];
afterAll(async () => {
  for (const handle of handles) await handle.stop();
  for (const receiver of receivers) await receiver.stop();
  handles[0]?.cleanup();
});

interface AuditRow {
  seq: number;
  event: string;
  actor: string;
  hash: string;
  prev_hash: string;
  outcome: string;
  params_json: string | null;
}
const auditRows = (db: string): AuditRow[] => {
  const handle = new Database(db, { readonly: true });
  try {
    return handle.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[];
  } finally {
    handle.close();
  }
};

async function health(orch: OrchestratorHandle) {
  return HealthSchema.parse((await client(orch, TOKENS.dave).get('/api/v1/health')).body);
}

/** Audit records of several kinds: runs (requested, started, finished) and refused requests. */
async function produce(orch: OrchestratorHandle, rounds: number, from: number): Promise<void> {
  const alice = client(orch, TOKENS.alice);
  const stranger = client(orch, 'not-a-token-of-this-orchestrator');
  for (let n = from; n < from + rounds; n++) {
    const answer = await alice.run(
      'test-echo/echo-row',
      {},
      rowContext({ AlarmId: String(n), DHostName: `host "${n}" ]` }),
    );
    expect(answer.body.status).toBe('succeeded');
    expect((await stranger.get('/api/v1/actions')).status).toBe(401);
  }
}

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

it('delivers every audit record once, in order, across a receiver restart and an orchestrator restart', async () => {
  const receiver = new SyslogReceiver();
  receivers.push(receiver);
  const port = await receiver.start();
  const options = {
    plugins: PLUGINS,
    config: baseConfig({ syslog: { host: '127.0.0.1', port, hostname: 'soc-test', maxRetryMs: 300 } }),
  };
  const orch = await startOrchestrator(options);
  handles.push(orch);
  const delivered = async (o: OrchestratorHandle) => {
    const h = await health(o);
    return h.syslog?.backlog === 0 && h.syslog.deliveredThrough === auditRows(o.db).length;
  };

  await produce(orch, 3, 0);
  await waitFor('the first records', () => delivered(orch));
  const beforeStop = receiver.messages.length;
  expect(beforeStop).toBe(auditRows(orch.db).length);

  // Mid-stream: the receiver restarts while records keep coming.
  const traffic = produce(orch, 6, 100);
  await waitFor('more records', () => receiver.messages.length > beforeStop + 2);
  await receiver.stop();
  await traffic;
  await produce(orch, 2, 200); // written while the receiver is down
  await waitFor('the backlog in health', async () => {
    const h = await health(orch);
    return h.syslog?.connected === false && h.syslog.backlog > 0;
  });
  const down = await health(orch);
  // Only the orchestrator's own users see the stream's state.
  expect(HealthSchema.parse((await client(orch).get('/api/v1/health')).body).syslog).toBeUndefined();
  expect(down.syslog!.backlog).toBe(auditRows(orch.db).length - down.syslog!.deliveredThrough);

  await receiver.start();
  await waitFor('the backlog to drain', () => delivered(orch));

  // The orchestrator itself restarts: the stream resumes after the last record the receiver has.
  expect(await orch.stop()).toBe(0);
  const second = await restartOrchestrator(orch, options);
  handles.push(second);
  await produce(second, 2, 300);
  await waitFor('records after the restart', () => delivered(second));

  const rows = auditRows(second.db);
  expect(receiver.seqs(SD_ID)).toEqual(rows.map((row) => row.seq));
  expect(receiver.connections).toBeGreaterThanOrEqual(3);
  for (const [i, message] of receiver.messages.entries()) {
    const row = rows[i]!;
    const sd = message.sd[SD_ID]!;
    expect(sd.hash).toBe(row.hash);
    expect(sd.prevHash).toBe(row.prev_hash);
    expect(sd.event).toBe(row.event);
    expect(sd.actor).toBe(row.actor);
    expect(sd.outcome).toBe(row.outcome);
    expect(sd.params ?? null).toBe(row.params_json);
    expect(message.msgId).toBe(row.event);
    expect(message.hostname).toBe('soc-test');
    expect(message.appName).toBe('gridside-orchestrator');
    // facility "log audit" (13); refusals as warnings, the rest as notices
    expect(message.pri).toBe(13 * 8 + (row.event === 'request.refused' ? 4 : 5));
  }
  // A row's awkward characters (quote, bracket) survive the structured data's escaping.
  expect(receiver.messages.some((m) => m.sd[SD_ID]?.params?.includes('host \\"105\\" ]'))).toBe(true);
  expect(rows.some((row) => row.event === 'request.refused')).toBe(true);
}, 180_000);

it('speaks TLS to a receiver that presents a certificate from the configured CA', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'gridside-syslog-tls-'));
  try {
    const ca = makeTestCa(work);
    const receiver = new SyslogReceiver({
      cert: readFileSync(ca.serverCert),
      key: readFileSync(ca.serverKey),
    });
    receivers.push(receiver);
    const port = await receiver.start();
    const orch = await startOrchestrator({
      plugins: PLUGINS,
      config: baseConfig({
        syslog: { host: '127.0.0.1', port, tls: { ca: ca.caCert, servername: 'localhost' } },
      }),
    });
    handles.push(orch);
    await produce(orch, 1, 0);
    await waitUntil(() => receiver.messages.length >= auditRows(orch.db).length, 20_000);
    expect(receiver.seqs(SD_ID)).toEqual(auditRows(orch.db).map((row) => row.seq));
    expect((await health(orch)).syslog?.connected).toBe(true);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 90_000);

it('loses nothing when the receiver crashes mid-stream: records it never read are sent again', async () => {
  const receiver = new SyslogReceiver();
  receivers.push(receiver);
  const port = await receiver.start();
  const orch = await startOrchestrator({
    plugins: PLUGINS,
    // Settling takes 5 s here: long enough that on a busy machine the records written while the receiver
    // hangs are still unsettled when it crashes, short enough to wait for the first ones to settle.
    config: baseConfig({ syslog: { host: '127.0.0.1', port, maxRetryMs: 300, settleMs: 5000 } }),
  });
  handles.push(orch);
  await produce(orch, 2, 0);
  const settled = auditRows(orch.db).length;
  await waitFor(
    'the first records to settle',
    async () => (await health(orch)).syslog?.deliveredThrough === settled,
  );
  expect(receiver.messages.length).toBe(settled);
  // The receiver hangs, records keep being written to it, then it dies with them unread.
  receiver.stall();
  const unreadFrom = auditRows(orch.db).length;
  // Two rounds, each written before the next starts: the first has stood on the connection a while
  // (several poll intervals) by the time of the crash, yet not for the settling time.
  for (const round of [100, 200]) {
    const before = auditRows(orch.db).length;
    await produce(orch, 1, round);
    await waitFor('records written to the hung receiver', async () => {
      const h = await health(orch);
      const last = auditRows(orch.db).length;
      return h.syslog?.connected === true && last > before && h.syslog.sentThrough === last;
    });
  }
  const receivedBeforeCrash = receiver.messages.length;
  await receiver.crash();
  expect(receivedBeforeCrash).toBe(unreadFrom); // the crash took the written records with it
  await receiver.start();
  await waitFor('the backlog to drain', async () => (await health(orch)).syslog?.backlog === 0);
  const rows = auditRows(orch.db).map((row) => row.seq);
  // Every record arrived once, in order: the ones the crash swallowed came again on the new connection,
  // and the ones that had settled before it did not.
  expect(receiver.seqs(SD_ID)).toEqual(rows);
  expect(receiver.connections).toBe(2);
}, 120_000);
