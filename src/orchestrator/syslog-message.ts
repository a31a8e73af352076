import type { AuditRecord } from './audit.ts';

/**
 * One audit record as an RFC 5424 syslog message, framed for TCP by octet counting (RFC 6587 §3.4.1:
 * `LENGTH SP MESSAGE`), so a message may hold any character, newlines included.
 *
 *   <109>1 2026-12-04T17:00:00.000Z soc-host gridside-orchestrator 4242 run.requested
 *     [gridside@32473 seq="7" event="run.requested" actor="alice" ... hash="…" prevHash="…"] run.requested by alice: queued
 *
 * The structured data carries every field of the record and its hash, so a SIEM can alarm on the event
 * and check the chain itself; 32473 is the enterprise number RFC 5612 reserves for documentation, which
 * any site may use.
 */

export const SD_ID = 'gridside@32473';

/** Facility 13 ("log audit"). */
const FACILITY = 13;
const NOTICE = 5;
const WARNING = 4;

/** Events a SOC wants to see stand out: refusals, denials, plugins that cannot be trusted. */
const WARNING_EVENTS = /refused|denied|changed|modified|tamper/;

/** RFC 5424 §6.3.3: `"`, `\` and `]` are escaped in PARAM-VALUE. */
export const escapeParamValue = (value: string): string => value.replace(/["\\\]]/g, (c) => `\\${c}`);

/** PRINTUSASCII without spaces, cut to `max`: for HOSTNAME, APP-NAME and MSGID. */
const headerField = (value: string, max: number): string =>
  value.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

export interface SyslogHeader {
  hostname: string;
  appName: string;
  procId: string;
}

export function formatAuditRecord(record: AuditRecord, header: SyslogHeader): string {
  const severity = WARNING_EVENTS.test(record.event) ? WARNING : NOTICE;
  const fields: [string, string | null][] = [
    ['seq', String(record.seq)],
    ['at', record.at],
    ['event', record.event],
    ['actor', record.actor],
    ['runId', record.runId],
    ['actionId', record.actionId],
    ['params', record.params === null ? null : JSON.stringify(record.params)],
    ['outcome', record.outcome],
    ['hash', record.hash],
    ['prevHash', record.prevHash],
  ];
  const sd = fields
    .filter((field): field is [string, string] => field[1] !== null)
    .map(([name, value]) => `${name}="${escapeParamValue(value)}"`)
    .join(' ');
  return [
    `<${FACILITY * 8 + severity}>1`,
    record.at,
    headerField(header.hostname, 255),
    headerField(header.appName, 48),
    headerField(header.procId, 128),
    headerField(record.event, 32),
    `[${SD_ID} ${sd}] ${record.event} by ${record.actor}: ${record.outcome}`,
  ].join(' ');
}

/** `LENGTH SP MESSAGE`, LENGTH counting the message's UTF-8 bytes. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
