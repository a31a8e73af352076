import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../core/api.ts';
import {
  EVENT_SIGNATURE_HEADER,
  EVENT_TIMESTAMP_HEADER,
  type EventAccepted,
  type TriggeredRuns,
  TriggeredRunsRequestSchema,
} from '../core/triggers-api.ts';
import { badRequest, bodyShapeProblem, conflict, HttpError, notFound } from './http-error.ts';
import { EventError, eventFromBody } from './trigger-event.ts';
import type { TriggerStore } from './trigger-store.ts';
import type { TriggerService } from './triggers.ts';
import { checkSignature } from './webhook-signature.ts';

/**
 * The triggers' HTTP face: `POST /api/v1/events` (signed, no bearer token: a SIEM posts it) and
 * `POST /api/v1/triggered-runs` (the extension's per-screen question). Refused events answer 401 (bad or
 * old signature) or 409 (a replay); the server's error handler writes every such refusal to the audit
 * trail.
 */

export interface TriggerRouteDeps {
  triggers: TriggerService;
  store: TriggerStore;
  /** The webhook's secret and window; unset: the events endpoint answers 404. */
  webhook?: { secret: string; toleranceSeconds: number; perMinute: number };
  /** The server's bearer-token check (and per-token rate limit). */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  now?: () => number;
}

export function registerTriggerRoutes(app: FastifyInstance, deps: TriggerRouteDeps): void {
  const now = deps.now ?? Date.now;

  app.post(`${API_PREFIX}/triggered-runs`, { preHandler: deps.authenticate }, async (request) => {
    const parsed = TriggeredRunsRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      throw badRequest(`${field}: ${issue?.message ?? 'invalid'}`, field);
    }
    const answer: TriggeredRuns = deps.triggers.latest(parsed.data.rows);
    return answer;
  });

  // The signature covers the exact bytes sent, so this route keeps the raw body (its own scope's parser).
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    // No token to limit by: a sender is limited by its address, before any signature is computed.
    let limiter: ReturnType<FastifyInstance['createRateLimit']> | undefined;
    scope.post(`${API_PREFIX}/events`, async (request): Promise<EventAccepted> => {
      const webhook = deps.webhook;
      if (!webhook) throw notFound('POST /api/v1/events (no webhook is configured)');
      limiter ??= app.createRateLimit({
        timeWindow: 60_000,
        max: webhook.perMinute,
        keyGenerator: (req) => `events:${req.ip}`,
      });
      const checked = await limiter(request);
      if (!checked.isAllowed && checked.isExceeded) {
        const retryAfter = Math.max(1, checked.ttlInSeconds);
        throw new HttpError(429, 'rate_limited', `too many events; retry in ${retryAfter} s`, undefined, {
          'Retry-After': String(retryAfter),
        });
      }
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const signed = checkSignature({
        secret: webhook.secret,
        timestamp: header(EVENT_TIMESTAMP_HEADER),
        signature: header(EVENT_SIGNATURE_HEADER),
        rawBody,
        nowSeconds: Math.floor(now() / 1000),
        toleranceSeconds: webhook.toleranceSeconds,
      });
      if (!signed.ok) throw new HttpError(401, 'unauthorized', `event refused: ${signed.problem}`);
      if (!deps.store.useSignature(signed.signature, signed.timestamp, webhook.toleranceSeconds, now())) {
        throw conflict('event refused: this signed request was received before (a replay)');
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw badRequest('the body is not valid JSON', 'body');
      }
      // Parsed here, not by the API's parser: refused for the same shapes it refuses.
      const problem = bodyShapeProblem(body);
      if (problem !== undefined) throw problem;
      try {
        return await deps.triggers.handle(eventFromBody(body));
      } catch (error) {
        if (error instanceof EventError) throw badRequest(error.message, error.field);
        throw error;
      }
    });
  });
}
