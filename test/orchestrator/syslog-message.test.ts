import { expect, it } from 'vitest';
import type { AuditRecord } from '../../src/orchestrator/audit.ts';
import { formatAuditRecord, octetFrame, SD_ID } from '../../src/orchestrator/syslog-message.ts';
import { parseRfc5424, readOctetFrames } from '../support/syslog-receiver.ts';

/** The message format on its own: RFC 5424 grammar, escaping, header fields a log row cannot bend. */

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  seq: 42,
  at: '2026-12-04T17:00:00.000Z',
  actor: 'alice',
  event: 'run.requested',
  runId: 'r-1',
  actionId: 'test-echo/echo-row',
  params: { Value: 'a"b\\c]d', Note: 'line1\nline2 ünïcode' },
  outcome: 'queued',
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  ...over,
});

it('carries every field through escaping, and a reader gets them back exactly', () => {
  const header = { hostname: 'soc host\u0000', appName: 'gridside-orchestrator', procId: '77' };
  const message = parseRfc5424(formatAuditRecord(record(), header));
  expect(message.pri).toBe(13 * 8 + 5);
  expect(message.hostname).toBe('soc_host_'); // no space or control character can shift the header
  expect(message.msgId).toBe('run.requested');
  const sd = message.sd[SD_ID]!;
  expect(JSON.parse(sd.params!)).toEqual(record().params);
  expect(sd).toMatchObject({ seq: '42', actor: 'alice', runId: 'r-1', hash: 'b'.repeat(64) });
  expect(message.msg).toBe('run.requested by alice: queued');
});

it('leaves out fields the record does not have, and marks refusals as warnings', () => {
  const refused = record({ event: 'request.refused', runId: null, actionId: null, params: null });
  const message = parseRfc5424(formatAuditRecord(refused, { hostname: 'h', appName: 'a', procId: '1' }));
  expect(message.pri).toBe(13 * 8 + 4);
  expect(Object.keys(message.sd[SD_ID]!)).not.toContain('runId');
  expect(Object.keys(message.sd[SD_ID]!)).not.toContain('params');
});

it('frames by UTF-8 byte length, so multi-byte text and newlines never split a message', () => {
  const one = formatAuditRecord(record(), { hostname: 'h', appName: 'a', procId: '1' });
  const two = formatAuditRecord(record({ seq: 43, outcome: 'ok\n<13>1 forged' }), {
    hostname: 'h',
    appName: 'a',
    procId: '1',
  });
  const stream = Buffer.concat([octetFrame(one), octetFrame(two)]);
  expect(stream.subarray(0, stream.indexOf(0x20)).toString()).toBe(String(Buffer.byteLength(one)));
  const { messages, rest } = readOctetFrames(stream);
  expect(messages).toEqual([one, two]);
  expect(rest.length).toBe(0);
});
