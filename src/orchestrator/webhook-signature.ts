import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of a posted event: `sha256=` and the hex HMAC-SHA256, keyed with the shared secret, of
 * `<timestamp>.<raw body>`. Signing the timestamp with the body means an old request cannot be given a
 * fresh timestamp; the timestamp window and the memory of used signatures refuse replays.
 */

export function signEvent(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/** On success, the signature (lower case) and the signed timestamp in Unix seconds. */
export type SignatureCheck =
  | { ok: true; signature: string; timestamp: number }
  | { ok: false; problem: string };

/** Checks the headers against the body; `nowSeconds` is Unix time. Says what is wrong, never the secret. */
export function checkSignature(options: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
  toleranceSeconds: number;
}): SignatureCheck {
  const { timestamp, signature } = options;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, problem: 'send the Unix time in X-Gridside-Timestamp' };
  }
  if (!signature || !/^sha256=[0-9a-f]{64}$/i.test(signature)) {
    return { ok: false, problem: 'send X-Gridside-Signature: sha256=<hex HMAC>' };
  }
  const skew = Math.abs(options.nowSeconds - Number(timestamp));
  if (skew > options.toleranceSeconds) {
    return {
      ok: false,
      problem: `the timestamp is ${skew} s away from now (more than ${options.toleranceSeconds} s)`,
    };
  }
  const expected = Buffer.from(signEvent(options.secret, timestamp, options.rawBody));
  const presented = Buffer.from(signature.toLowerCase());
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
    return { ok: false, problem: 'the signature does not match the body' };
  }
  return { ok: true, signature: signature.toLowerCase(), timestamp: Number(timestamp) };
}
