import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/orchestrator/http-error.ts';
import { openDb } from '../../../src/orchestrator/store.ts';
import { registerTriggerRoutes } from '../../../src/orchestrator/trigger-routes.ts';
import { TriggerStore } from '../../../src/orchestrator/trigger-store.ts';
import type { TriggerService } from '../../../src/orchestrator/triggers.ts';
import { signEvent } from '../../../src/orchestrator/webhook-signature.ts';

/**
 * How long a used webhook signature is remembered, on a clock the test moves: a request stays refused as
 * a replay for as long as its signed timestamp would let it in, whatever second it first arrived in.
 */

const SECRET = 'a-webhook-secret-of-some-length';
const TOLERANCE = 60;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function eventsEndpoint(clock: { ms: number }) {
  const db = openDb(':memory:');
  const triggers = { handle: async () => ({ runs: [], skipped: [] }) } as unknown as TriggerService;
  app = Fastify({ logger: false });
  await app.register(rateLimit, { global: false });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).send(error.body());
    return reply.code(500).send({ error: String(error) });
  });
  registerTriggerRoutes(app, {
    triggers,
    store: new TriggerStore(db),
    webhook: { secret: SECRET, toleranceSeconds: TOLERANCE, perMinute: 1000 },
    authenticate: async () => undefined,
    now: () => clock.ms,
  });
  await app.ready();
  const endpoint = app;
  const post = async (timestamp: number, body: string) => {
    const answer = await endpoint.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: {
        'content-type': 'application/json',
        'x-gridside-timestamp': String(timestamp),
        'x-gridside-signature': signEvent(SECRET, String(timestamp), body),
      },
      payload: body,
    });
    return answer.statusCode;
  };
  return { post, db };
}

describe('used webhook signatures', () => {
  it('refuses a replay of a request signed at the far edge of the window until its timestamp leaves it', async () => {
    // The SIEM's clock runs a whole window ahead: the request is signed for a time `TOLERANCE` s from now.
    const signedAt = 1_800_000_000;
    const clock = { ms: (signedAt - TOLERANCE) * 1000 + 10 };
    const { post } = await eventsEndpoint(clock);
    const body = JSON.stringify({ source: 'edr', alarmId: 'replay-1', fields: { SIP: '203.0.113.9' } });
    expect(await post(signedAt, body)).toBe(200);
    expect(await post(signedAt, body)).toBe(409);
    // Twice the window after it was received, the timestamp is still within it (whole seconds).
    clock.ms = (signedAt + TOLERANCE) * 1000 + 160;
    expect(await post(signedAt, body)).toBe(409);
    clock.ms = (signedAt + TOLERANCE) * 1000 + 999;
    expect(await post(signedAt, body)).toBe(409);
    // Once the timestamp has left the window the request is refused as old.
    clock.ms = (signedAt + TOLERANCE + 1) * 1000;
    expect(await post(signedAt, body)).toBe(401);
  });

  it('refuses a replay of a request signed behind the clock while its timestamp is in the window', async () => {
    const signedAt = 1_800_000_000;
    const clock = { ms: (signedAt + TOLERANCE) * 1000 };
    const { post } = await eventsEndpoint(clock);
    const body = JSON.stringify({ source: 'edr', alarmId: 'replay-2', fields: { SIP: '203.0.113.10' } });
    expect(await post(signedAt, body)).toBe(200);
    clock.ms = (signedAt + TOLERANCE) * 1000 + 999;
    expect(await post(signedAt, body)).toBe(409);
    clock.ms += 1;
    expect(await post(signedAt, body)).toBe(401);
  });

  it('keeps a signature an earlier orchestrator recorded by its time of receipt for as long', async () => {
    const signedAt = 1_800_000_000;
    const receivedAt = (signedAt - TOLERANCE) * 1000 + 10;
    const clock = { ms: (signedAt + TOLERANCE) * 1000 + 500 };
    const { post, db } = await eventsEndpoint(clock);
    const body = JSON.stringify({ source: 'edr', alarmId: 'replay-3', fields: { SIP: '203.0.113.11' } });
    db.prepare('INSERT INTO webhook_signatures (signature, at) VALUES (?, ?)').run(
      signEvent(SECRET, String(signedAt), body),
      receivedAt,
    );
    expect(await post(signedAt, body)).toBe(409);
  });
});
