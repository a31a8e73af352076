import net from 'node:net';
import tls from 'node:tls';

/**
 * A syslog receiver for the tests: RFC 5424 messages over TCP (or TLS) with octet-counting framing
 * (RFC 6587), kept in arrival order. `stop()` is what a receiver restarting cleanly does: it stops
 * accepting, closes its side, and reads on until the sender has closed its own, so it loses nothing
 * already sent. `start()` again listens on the same port.
 */

export interface ReceivedMessage {
  raw: string;
  /** Header fields: PRI, VERSION, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID. */
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** Parameters of each SD element, by SD-ID. */
  sd: Record<string, Record<string, string>>;
  msg: string;
}

/** Splits octet-counted frames off the front of `buffer`. */
export function readOctetFrames(buffer: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let at = 0;
  for (;;) {
    const space = buffer.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(buffer.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) throw new Error(`bad frame length at byte ${at}`);
    if (buffer.length < space + 1 + length) break;
    messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
    at = space + 1 + length;
  }
  return { messages, rest: buffer.subarray(at) };
}

const HEADER = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** Parses one RFC 5424 message; throws on anything that does not follow the grammar. */
export function parseRfc5424(raw: string): ReceivedMessage {
  const header = HEADER.exec(raw);
  if (!header) throw new Error(`not an RFC 5424 header: ${raw.slice(0, 80)}`);
  let at = header[0].length;
  const sd: Record<string, Record<string, string>> = {};
  if (raw[at] === '-') at += 1;
  while (raw[at] === '[') {
    const idEnd = raw.indexOf(' ', at);
    const id = raw.slice(at + 1, idEnd);
    at = idEnd;
    const params: Record<string, string> = {};
    while (raw[at] === ' ') {
      const eq = raw.indexOf('="', at);
      const name = raw.slice(at + 1, eq);
      if (!/^[^= \]"]{1,32}$/.test(name)) throw new Error(`bad SD-PARAM name ${name}`);
      let value = '';
      let i = eq + 2;
      for (; raw[i] !== '"'; i++) {
        if (i >= raw.length) throw new Error('unterminated PARAM-VALUE');
        if (raw[i] === '\\' && /["\\\]]/.test(raw[i + 1] ?? '')) i += 1;
        else if (raw[i] === ']') throw new Error('unescaped ] in PARAM-VALUE');
        value += raw[i];
      }
      params[name] = value;
      at = i + 1;
    }
    if (raw[at] !== ']') throw new Error(`SD element ${id} not closed at ${at}`);
    sd[id] = params;
    at += 1;
  }
  return {
    raw,
    pri: Number(header[1]),
    timestamp: header[2]!,
    hostname: header[3]!,
    appName: header[4]!,
    procId: header[5]!,
    msgId: header[6]!,
    sd,
    msg: raw.slice(at + 1),
  };
}

export class SyslogReceiver {
  readonly messages: ReceivedMessage[] = [];
  /** Connections accepted over the receiver's whole life. */
  connections = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly tlsOptions?: tls.TlsOptions) {}

  async start(): Promise<number> {
    const onSocket = (socket: net.Socket): void => {
      this.connections += 1;
      this.sockets.add(socket);
      let pending: Buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        const { messages, rest } = readOctetFrames(Buffer.concat([pending, chunk]));
        pending = rest;
        for (const raw of messages) this.messages.push(parseRfc5424(raw));
      });
      socket.on('error', () => {});
      socket.on('close', () => this.sockets.delete(socket));
    };
    const server = this.tlsOptions
      ? tls.createServer({ ...this.tlsOptions, allowHalfOpen: true }, onSocket)
      : net.createServer({ allowHalfOpen: true }, onSocket);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** A clean restart's first half: no new connections, and every open one read to its end. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    await Promise.all(
      [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.end();
          }),
      ),
    );
    await closed;
  }

  /** Stops reading: what the sender writes from now on waits, unread, in the receiver's socket buffers. */
  stall(): void {
    for (const socket of this.sockets) socket.pause();
  }

  /** A crash: no clean close, every connection reset; what was in flight is gone. */
  async crash(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const socket of this.sockets) socket.resetAndDestroy();
    await closed;
  }

  /** The `seq` of every record received, in arrival order. */
  seqs(sdId: string): number[] {
    return this.messages.map((message) => Number(message.sd[sdId]?.seq));
  }
}
