import { readFileSync } from 'node:fs';
import net from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { type AuditRow, fromRow } from './audit-record.ts';
import type { SyslogConfig } from './service-config.ts';
import type { Db } from './store.ts';
import { formatAuditRecord, octetFrame } from './syslog-message.ts';

/**
 * Streams the audit trail to a syslog receiver, in order, from a cursor kept in the database: the last
 * record the receiver is known to have. After a restart of either side the stream resumes after it, so a
 * receiver that was down misses nothing.
 *
 * Plain syslog over TCP has no acknowledgements, so "known to have" is decided like this:
 * - a receiver that closes the connection cleanly (it reads until we close our side) has every record
 *   written to it: the cursor moves to the last one, and nothing is sent twice;
 * - records written to a connection that then fails (reset, timeout) are sent again from the cursor,
 *   unless they were written long enough before (`settleMs`) for the receiver to have taken them. A
 *   receiver that crashes can therefore get a record twice, never lose one; `seq` and `hash` in the
 *   structured data tell a SIEM which.
 */

const CURSOR_SCHEMA = `
CREATE TABLE IF NOT EXISTS syslog_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);`;

export interface SyslogHealth {
  connected: boolean;
  backlog: number;
  deliveredThrough: number;
  /** The last record written to the receiver, delivered or not yet known to be. */
  sentThrough: number;
  lastError?: string;
}

export interface SyslogForwarderOptions {
  /** How often the audit table is looked at for new records. */
  pollMs?: number;
  /** Overrides the config's `settleMs`. */
  settleMs?: number;
  /** Records read from the database per batch. */
  batch?: number;
}

export class SyslogForwarder {
  private socket: net.Socket | undefined;
  private open = false;
  /** Last record handed to the current connection. */
  private written = 0;
  /** Records written to the current connection and not yet counted as delivered, oldest first. */
  private unsettled: { seq: number; at: number }[] = [];
  private delivered: number;
  private retryMs = 100;
  private retryTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private writing = false;
  private stopping = false;
  private lastError: string | undefined;
  private readonly header;
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly batch: number;

  constructor(
    private readonly db: Db,
    private readonly config: SyslogConfig,
    private readonly configDir: string,
    options: SyslogForwarderOptions = {},
  ) {
    db.exec(CURSOR_SCHEMA);
    db.prepare('INSERT OR IGNORE INTO syslog_cursor (id, seq) VALUES (1, 0)').run();
    this.delivered = (db.prepare('SELECT seq FROM syslog_cursor WHERE id = 1').get() as { seq: number }).seq;
    this.written = this.delivered;
    this.header = {
      hostname: config.hostname ?? hostname(),
      appName: config.appName,
      procId: String(process.pid),
    };
    this.pollMs = options.pollMs ?? 250;
    this.settleMs = options.settleMs ?? config.settleMs;
    this.batch = options.batch ?? 200;
  }

  start(): void {
    this.connect();
    this.ticker = setInterval(() => {
      this.settle(Date.now() - this.settleMs);
      void this.pump();
    }, this.pollMs);
  }

  health(): SyslogHealth {
    const last =
      (this.db.prepare('SELECT MAX(seq) AS seq FROM audit').get() as { seq: number | null }).seq ?? 0;
    return {
      connected: this.open,
      backlog: Math.max(0, last - this.delivered),
      deliveredThrough: this.delivered,
      sentThrough: Math.max(this.delivered, this.unsettled.at(-1)?.seq ?? 0),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Closes the connection cleanly (the receiver gets everything written) and keeps the cursor. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.ticker);
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, 3000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  private connect(): void {
    if (this.stopping) return;
    const { host, port } = this.config;
    const socket = this.config.tls
      ? tls.connect({
          host,
          port,
          ...this.tlsFiles(),
          ...(this.config.tls.servername ? { servername: this.config.tls.servername } : {}),
        })
      : net.connect({ host, port });
    this.socket = socket;
    this.written = this.delivered;
    this.unsettled = [];
    let failed = false;
    socket.setKeepAlive(true, 30_000);
    socket.once(this.config.tls ? 'secureConnect' : 'connect', () => {
      this.open = true;
      this.retryMs = 100;
      this.lastError = undefined;
      void this.pump();
    });
    // The receiver is closing: write nothing more; Node ends our side once what is queued has gone.
    socket.once('end', () => {
      this.open = false;
    });
    socket.on('error', (error) => {
      failed = true;
      this.lastError = error.message;
    });
    socket.once('close', () => {
      this.open = false;
      // A clean close: the receiver read everything up to our own end of the stream.
      if (!failed) this.settle(Number.POSITIVE_INFINITY);
      if (this.socket === socket) this.socket = undefined;
      if (this.stopping) return;
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, this.config.maxRetryMs);
    });
  }

  private tlsFiles(): tls.ConnectionOptions {
    const files = this.config.tls ?? {};
    const read = (file: string | undefined) =>
      file === undefined ? undefined : readFileSync(path.resolve(this.configDir, file));
    const ca = read(files.ca);
    const cert = read(files.cert);
    const key = read(files.key);
    return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }

  /** Counts every record written before `writtenBefore` as delivered, and persists the cursor. */
  private settle(writtenBefore: number): void {
    let through = this.delivered;
    while (this.unsettled.length > 0 && this.unsettled[0]!.at < writtenBefore) {
      through = this.unsettled.shift()!.seq;
    }
    if (through === this.delivered) return;
    this.delivered = through;
    this.db.prepare('UPDATE syslog_cursor SET seq = ? WHERE id = 1').run(through);
  }

  /** Writes the records after the last one written, in order, respecting the socket's back-pressure. */
  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.open && this.socket && !this.stopping) {
        const socket = this.socket;
        const rows = this.db
          .prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?')
          .all(this.written, this.batch) as AuditRow[];
        if (rows.length === 0) return;
        for (const row of rows) {
          if (!this.open || socket !== this.socket) return;
          const record = fromRow(row);
          const frame = octetFrame(formatAuditRecord(record, this.header));
          this.written = record.seq;
          const flushed = socket.write(frame, (error) => {
            if (!error && socket === this.socket) this.unsettled.push({ seq: record.seq, at: Date.now() });
          });
          if (!flushed) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
