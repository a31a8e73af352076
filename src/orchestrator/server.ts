import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import {
  API_PREFIX,
  ApprovalRequestSchema,
  type Catalog,
  type Health,
  type Role,
  RunListQuerySchema,
  RunsWaitRequestSchema,
  RunWaitQuerySchema,
  StartRunRequestSchema,
  type StartRunsAnswer,
  StartRunsRequestSchema,
} from '../core/api.ts';
import type { AuditLog } from './audit.ts';
import { type Caller, hasAnyRole, type TokenBook } from './auth.ts';
import { mayRun } from './catalog.ts';
import type { OrchestratorConfig } from './config.ts';
import { diskFullError, isDiskFull, logDiskFull } from './disk-full.ts';
import { badRequest, bodyShapeProblem, forbidden, HttpError, notFound } from './http-error.ts';
import type { HttpsOptions } from './listen-policy.ts';
import { registerMetrics, type ServiceView } from './metrics.ts';
import { pluginAlerts } from './plugin-info.ts';
import { PLUGIN_UPLOAD_ROUTE, registerPluginRoutes } from './plugin-routes.ts';
import type { PluginRegistry } from './plugins.ts';
import type { RunService } from './runs.ts';
import { createRunsWait } from './runs-wait.ts';
import { registerTriggerRoutes, type TriggerRouteDeps } from './trigger-routes.ts';

/**
 * The HTTP face of the orchestrator: API v1 (src/core/api.ts, docs/architecture.md §5). Every body and query goes
 * through a core zod schema once; every error is an `ApiErrorSchema` body whose `field` names the
 * offending request field. Fastify's own logger stays off: request logs would carry tokens and values.
 */

export interface ServerDeps {
  config: OrchestratorConfig;
  tokens: TokenBook;
  runs: RunService;
  registry: PluginRegistry;
  audit: AuditLog;
  version: string;
  /** Serve HTTPS with these options (listen-policy.ts); plain HTTP without. */
  https?: HttpsOptions;
  /** The database, the syslog stream and the metrics tokens behind `/metrics` and health (metrics.ts). */
  service?: ServiceView;
  /** Trigger rules and event sources (trigger-routes.ts); unset: no trigger routes. */
  triggers?: Omit<TriggerRouteDeps, 'authenticate'>;
}

/** Extension pages call from these origins; the bearer token, not the origin, is the real guard. */
const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[A-Za-z0-9._-]+$/;

function parse<T>(schema: ZodType<T>, value: unknown, prefix = ''): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.') || prefix || 'body';
  throw badRequest(`${field}: ${issue?.message ?? 'invalid'}`, field);
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const { config, tokens, runs, registry, audit } = deps;
  const options = {
    logger: false,
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    // A URL the router cannot decode (`/api/v1/runs/%`) gets the documented error body, not the
    // framework's own (`FST_ERR_BAD_URL`, echoing the URL).
    frameworkErrors: (_error: Error, _request: unknown, reply: unknown) => {
      void (reply as FastifyReply)
        .code(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(badRequest('the request URL is not valid', 'url').body()));
    },
  };
  // Fastify types an HTTPS instance apart; every route below works the same on both.
  const app = (deps.https
    ? Fastify({ ...options, https: deps.https })
    : Fastify(options)) as unknown as FastifyInstance;
  // Fixed one-minute windows per token (per address for unknown tokens): enough to stop a runaway client
  // or a token-guessing loop. Checked in `authenticate`, which knows whose limit applies, so a throttled
  // request is refused with our own 429 body and audited like any refusal.
  app.register(rateLimit, { global: false, cache: 10_000 });
  let limiter: ReturnType<FastifyInstance['createRateLimit']> | undefined;
  const limit = (request: FastifyRequest) => {
    limiter ??= app.createRateLimit({
      timeWindow: 60_000,
      keyGenerator: (req) => (req.caller ? req.caller.key : `ip:${req.ip}`),
      max: (req) => req.caller?.rateLimitPerMinute ?? config.rateLimit.perMinute,
    });
    return limiter(request);
  };

  // Our own JSON parser: an empty body is "no body" (cancel needs none), bad JSON is a 400 naming `body`.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(badRequest('the body is not valid JSON', 'body'), undefined);
    }
    const problem = bodyShapeProblem(parsed);
    if (problem !== undefined) return done(problem, undefined);
    done(null, parsed);
  });

  // Every body but a plugin package is JSON. Text and bytes have parsers of their own (the framework's for
  // text/plain, the upload's for application/octet-stream), so without this they reached a JSON route as a
  // string or a buffer: refused for their shape ("expected object, received string"), or, signed events,
  // read as an empty body whose signature does not match. Refused for their type, as unknown types are.
  app.addHook('preValidation', async (request) => {
    if (request.is404 || (request.method === 'POST' && request.routeOptions.url === PLUGIN_UPLOAD_ROUTE))
      return;
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const body: unknown = request.body;
    const sent = (typeof body === 'string' || Buffer.isBuffer(body)) && body.length > 0;
    if (sent && mediaType !== 'application/json') {
      throw badRequest('send the body as application/json', 'content-type');
    }
  });

  // Preflights answer 204 from any origin; only extension origins get the CORS headers that let them read.
  app.register(cors, {
    origin: EXTENSION_ORIGIN,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
    strictPreflight: false,
  });

  /** Counts one request against the caller's rate limit; 429 once it is spent. */
  const countRequest = async (request: FastifyRequest) => {
    const checked = await limit(request);
    if (!checked.isAllowed && checked.isExceeded) {
      const retryAfter = Math.max(1, checked.ttlInSeconds);
      throw new HttpError(429, 'rate_limited', `too many requests; retry in ${retryAfter} s`, undefined, {
        'Retry-After': String(retryAfter),
      });
    }
  };

  /** Identifies the caller (401 without a valid token) and applies the per-token rate limit. */
  const authenticate = (required: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = tokens.identify(request.headers.authorization);
    if (caller) request.caller = caller;
    if (caller || required) await countRequest(request);
    if (!caller && required) {
      const presented = request.headers.authorization !== undefined;
      throw new HttpError(
        401,
        'unauthorized',
        presented ? 'the token is not valid' : 'send Authorization: Bearer <token>',
      );
    }
    void reply;
  };
  const needRole = (roles: readonly Role[]) => async (request: FastifyRequest) => {
    if (!request.caller || !hasAnyRole(request.caller, roles)) {
      throw forbidden(`this needs one of the roles ${roles.join(', ')}`);
    }
  };

  /**
   * Every refusal is audited, GETs too (guessing tokens against the run list must leave a trace), but a
   * throttled client only once a minute per token or address, so a flood cannot fill the disk with 429s.
   */
  const throttleAuditedAt = new Map<string, number>();
  const auditRefusal = (http: HttpError, request: FastifyRequest): void => {
    if (!shouldAuditRefusal(http.status, request)) return;
    const route = request.routeOptions.url;
    audit.append({
      actor: request.caller?.name ?? tokens.identify(request.headers.authorization)?.name ?? 'anonymous',
      event: 'request.refused',
      // Other routes have an :id too (a plugin's): only a run's id belongs in runId.
      runId: route?.startsWith('/api/v1/runs/:id') ? ((request.params as { id?: string }).id ?? null) : null,
      // The address: a guessed token has no name, and the SIEM needs something to block or look up.
      outcome: `${http.status} ${request.method} ${route ?? request.url}: ${http.message} (from ${request.ip})`,
    });
  };
  const shouldAuditRefusal = (status: number, request: FastifyRequest): boolean => {
    if (status === 401 || status === 403 || status === 409) return true;
    if (status !== 429) return false;
    const caller = tokens.identify(request.headers.authorization);
    const key = caller ? caller.key : `ip:${request.ip}`;
    const now = Date.now();
    const last = throttleAuditedAt.get(key);
    if (last !== undefined && now - last < 60_000) return false;
    if (throttleAuditedAt.size > 10_000) throttleAuditedAt.clear();
    throttleAuditedAt.set(key, now);
    return true;
  };

  app.setErrorHandler((error, request, reply) => {
    let http: HttpError;
    if (error instanceof HttpError) http = error;
    else {
      const code = (error as { code?: string }).code;
      const status = (error as { statusCode?: number }).statusCode;
      if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
        // The route's own limit: plugin uploads have a larger one than the API's JSON bodies.
        const limit = request.routeOptions.bodyLimit ?? config.bodyLimitBytes;
        http = new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes`);
      } else if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
        http = badRequest('send the body as application/json', 'content-type');
      } else if (isDiskFull(error)) {
        logDiskFull(`${request.method} ${request.routeOptions.url ?? 'a request'}`, error);
        http = diskFullError();
      } else if (status !== undefined && status >= 400 && status < 500) {
        // The framework's own messages name its internals and may echo the request: say it plainly.
        http = badRequest('the request could not be read', 'body');
      } else {
        process.stderr.write(
          `gridside-orchestrator: internal error on ${request.method} ${request.url}: ${String(error)}\n`,
        );
        http = new HttpError(500, 'internal', 'internal error; see the orchestrator log');
      }
    }
    auditRefusal(http, request);
    reply.code(http.status).headers(http.headers).send(http.body());
  });
  // The answer does not echo the path asked for: no error repeats the request.
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(notFound('route').body());
  });

  /**
   * Health needs no token, so it must not spend the caller's: a monitor polling it with the analyst's token
   * would otherwise lock the analyst out. It is limited per address instead, which also bounds how fast
   * tokens can be tried against its `user` answer.
   */
  let healthLimiter: ReturnType<FastifyInstance['createRateLimit']> | undefined;
  const healthCheck = async (request: FastifyRequest) => {
    healthLimiter ??= app.createRateLimit({
      timeWindow: 60_000,
      keyGenerator: (req) => `health:${req.ip}`,
      max: config.rateLimit.perMinute,
    });
    const checked = await healthLimiter(request);
    if (!checked.isAllowed && checked.isExceeded) {
      const retryAfter = Math.max(1, checked.ttlInSeconds);
      throw new HttpError(429, 'rate_limited', `too many requests; retry in ${retryAfter} s`, undefined, {
        'Retry-After': String(retryAfter),
      });
    }
    const caller = tokens.identify(request.headers.authorization);
    if (caller) request.caller = caller;
  };

  app.get(`${API_PREFIX}/health`, { preHandler: healthCheck }, async (request): Promise<Health> => {
    const caller = request.caller;
    // Without a token, only that it is up. Its version, its catalog's size, where the SIEM lives and why it
    // cannot be reached, and plugin integrity alerts (file names) are for the orchestrator's own users.
    if (!caller) return { status: 'ok', user: null };
    return {
      status: 'ok',
      version: deps.version,
      actions: runs.catalog().size,
      user: { name: caller.name, roles: caller.roles },
      ...(deps.service?.syslog ? { syslog: deps.service.syslog.health() } : {}),
      // An alert stays here until an admin acts on it.
      alerts: pluginAlerts(registry),
    };
  });

  app.get(`${API_PREFIX}/actions`, { preHandler: authenticate(true) }, async (request): Promise<Catalog> => {
    const roles = request.caller!.roles;
    const actions = [...runs.catalog().values()].map((e) => e.action).filter((a) => mayRun(a, roles));
    return { actions, startKeys: true };
  });

  app.post(`${API_PREFIX}/runs`, { preHandler: authenticate(true) }, async (request, reply) => {
    const body = parse(StartRunRequestSchema, request.body);
    const run = await runs.request(request.caller!, body);
    // Asked to, the answer waits for the run's end (never for an approval, which needs the analyst).
    if (body.wait && (run.status === 'queued' || run.status === 'running')) {
      await runs.waitForChange(run.id, body.wait * 1000);
      return reply.code(201).send(runs.view(run.id) ?? run);
    }
    return reply.code(201).send(run);
  });

  // Several starts in one request (a batch's rows): each answered as `POST /runs` would
  // answer it alone, refused ones included (audited alike), and each counted against the rate limit.
  app.post(`${API_PREFIX}/runs/many`, { preHandler: authenticate(true) }, async (request) => {
    const { runs: starts } = parse(StartRunsRequestSchema, request.body);
    const results: StartRunsAnswer['results'] = [];
    for (const [index, start] of starts.entries()) {
      try {
        // The first start was counted as the request came in.
        if (index > 0) await countRequest(request);
        results.push({ run: await runs.request(request.caller!, start) });
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        auditRefusal(error, request);
        results.push({ status: error.status, error: error.body().error });
      }
    }
    return { results };
  });

  app.get(`${API_PREFIX}/runs`, { preHandler: authenticate(true) }, async (request) => {
    const query = parse(RunListQuerySchema, request.query, 'query');
    return { runs: runs.list(query) };
  });

  app.get<{ Params: { id: string } }>(
    `${API_PREFIX}/runs/:id`,
    { preHandler: authenticate(true) },
    async (request) => {
      const { wait, seen } = parse(RunWaitQuerySchema, request.query, 'query');
      if (!runs.view(request.params.id)) throw notFound('run');
      if (wait > 0) await runs.waitForChange(request.params.id, wait * 1000, seen);
      return runs.view(request.params.id);
    },
  );

  // One long poll for many runs (a batch's rows): answers on the first change among them (runs-wait.ts).
  const waitForAny = createRunsWait(runs);
  app.post(`${API_PREFIX}/runs/wait`, { preHandler: authenticate(true) }, async (request) => ({
    runs: await waitForAny(parse(RunsWaitRequestSchema, request.body)),
  }));

  app.post<{ Params: { id: string } }>(
    `${API_PREFIX}/runs/:id/approvals`,
    { preHandler: authenticate(true) },
    async (request) =>
      runs.decide(request.caller!, request.params.id, parse(ApprovalRequestSchema, request.body)),
  );

  app.post<{ Params: { id: string } }>(
    `${API_PREFIX}/runs/:id/cancel`,
    { preHandler: authenticate(true) },
    async (request) => runs.cancel(request.caller!, request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    `${API_PREFIX}/plugins/:id/reimport`,
    { preHandler: [authenticate(true), needRole(['admin'])] },
    async (request) => {
      if (!registry.get(request.params.id)) throw notFound('plugin');
      try {
        await registry.reimport(request.params.id, request.caller!.name);
      } catch (error) {
        throw new HttpError(409, 'conflict', `re-import failed: ${(error as Error).message}`);
      }
      const actions = [...runs.catalog().values()]
        .filter((entry) => entry.plugin.id === request.params.id)
        .map((entry) => entry.action);
      return { actions };
    },
  );

  if (deps.service) registerMetrics(app, { ...deps.service, registry, tokens, authenticate, countRequest });
  registerPluginRoutes(app, {
    registry,
    uploadLimitBytes: config.pluginUploadLimitBytes,
    adminOnly: [authenticate(true), needRole(['admin'])],
  });
  if (deps.triggers) registerTriggerRoutes(app, { ...deps.triggers, authenticate: authenticate(true) });

  return app;
}
