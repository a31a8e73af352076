import { z } from 'zod';
import type { UnrepresentableHandler } from 'zod/v4/core';
import {
  ActionParamSchema,
  ActionSchema,
  API_PREFIX,
  ApiErrorSchema,
  ApprovalPolicySchema,
  ApprovalRequestSchema,
  ApprovalSchema,
  CatalogSchema,
  HealthSchema,
  ParamDefaultSchema,
  RoleSchema,
  RunListQuerySchema,
  RunListSchema,
  RunOutputSchema,
  RunSchema,
  RunStatusSchema,
  RunsWaitRequestSchema,
  RunWaitQuerySchema,
  StartRunRequestSchema,
  StartRunsAnswerSchema,
  StartRunsRequestSchema,
  TaxonomySchema,
  VerdictLevelSchema,
} from './api.ts';
import {
  AlertSchema,
  PluginFileChangeSchema,
  PluginFileSchema,
  PluginInfoSchema,
  PluginListSchema,
  PluginStatusSchema,
} from './plugins-api.ts';
import { RowContextSchema, RowKeySchema } from './row-context.ts';
import {
  EVENT_SIGNATURE_HEADER,
  EVENT_TIMESTAMP_HEADER,
  EventAcceptedSchema,
  GridsideEventSchema,
  TriggeredRunSchema,
  TriggeredRunsRequestSchema,
  TriggeredRunsSchema,
} from './triggers-api.ts';

/**
 * The OpenAPI 3.1 document of the Gridside orchestration API v1, built from the zod schemas in api.ts
 * (docs/architecture.md §5: no hand-kept copy). Pure: scripts/gen-openapi.ts writes it to docs/openapi.json, and a
 * test fails when the committed file and this function disagree.
 *
 * Request bodies are described as the server accepts them (zod `input`: defaults make fields optional),
 * responses as the server sends them (zod `output`: defaulted fields are always present).
 */

type JsonObject = Record<string, unknown>;

const schemaRef = (id: string): string => `#/components/schemas/${id}`;

/** Component name → schema. Names are disjoint between the two sets, so one `components.schemas` holds both. */
const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  Action: ActionSchema,
  ActionParam: ActionParamSchema,
  Alert: AlertSchema,
  ApiError: ApiErrorSchema,
  Approval: ApprovalSchema,
  ApprovalPolicy: ApprovalPolicySchema,
  Catalog: CatalogSchema,
  Health: HealthSchema,
  ParamDefault: ParamDefaultSchema,
  PluginFile: PluginFileSchema,
  PluginFileChange: PluginFileChangeSchema,
  PluginInfo: PluginInfoSchema,
  PluginList: PluginListSchema,
  PluginStatus: PluginStatusSchema,
  Role: RoleSchema,
  Run: RunSchema,
  RunList: RunListSchema,
  RunOutput: RunOutputSchema,
  RunStatus: RunStatusSchema,
  Taxonomy: TaxonomySchema,
  TriggeredRun: TriggeredRunSchema,
  TriggeredRuns: TriggeredRunsSchema,
  EventAccepted: EventAcceptedSchema,
  VerdictLevel: VerdictLevelSchema,
};

const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  ApprovalRequest: ApprovalRequestSchema,
  RowContext: RowContextSchema,
  RowKey: RowKeySchema,
  StartRunRequest: StartRunRequestSchema,
  RunsWaitRequest: RunsWaitRequestSchema,
  StartRunsAnswer: StartRunsAnswerSchema,
  StartRunsRequest: StartRunsRequestSchema,
  GridsideEvent: GridsideEventSchema,
  TriggeredRunsRequest: TriggeredRunsRequestSchema,
};

/**
 * A transform's output has no JSON Schema. The API has one, Taxonomy.value (a number or boolean turned into
 * a string), so that one is described as a string; any new transform fails the build until it is described.
 */
const TAXONOMY_VALUE_TRANSFORM = TaxonomySchema.shape.value._zod.def.out;
const describeTransform: UnrepresentableHandler = (ctx) =>
  (ctx.zodSchema as unknown) === TAXONOMY_VALUE_TRANSFORM ? { type: 'string' } : 'throw';

function componentSchemas(
  schemas: Record<string, z.ZodType>,
  io: 'input' | 'output',
): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, {
    io,
    uri: schemaRef,
    target: 'draft-2020-12',
    unrepresentable: describeTransform,
  }).schemas as Record<string, JsonObject>;
  const components: Record<string, JsonObject> = {};
  for (const [id, { $schema, $id, ...schema }] of Object.entries(converted)) {
    // OpenAPI 3.1 schemas are 2020-12 already; a per-component $id would only rebase their $refs.
    void $schema;
    void $id;
    components[id] = schema;
  }
  return components;
}

const QUERY_DESCRIPTIONS: Record<string, string> = {
  alarmId: 'Only runs started from this LogRhythm alarm.',
  rowKey: 'Only runs started from the row with this key (RowContext.key.value).',
  status: 'Only runs in this status.',
  limit: 'Most recent runs returned, newest first.',
  wait: 'Hold the answer up to this many seconds until the run ends (long polling).',
};

function queryParameters(schema: z.ZodObject): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as {
    properties?: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(QUERY_DESCRIPTIONS[name] ? { description: QUERY_DESCRIPTIONS[name] } : {}),
    schema: property,
  }));
}

/** Every error response: status → component name and when it happens. */
const ERRORS = {
  400: ['BadRequest', 'The request is malformed; `error.field` names the offending field.'],
  401: [
    'Unauthorized',
    'No bearer token, or the token is not valid (events: a bad or old signature, or a missing one).',
  ],
  403: ['Forbidden', 'The token lacks a role this needs (or an approver tried to approve their own run).'],
  404: ['NotFound', 'No such action, run or plugin.'],
  409: [
    'Conflict',
    'The run or action is not in a state that allows this (already ended, plugin changed), a start reused an idempotency key for another start, or a signed event was replayed.',
  ],
  413: ['PayloadTooLarge', 'The body is larger than the orchestrator accepts.'],
  429: ['RateLimited', 'Too many requests for this token; retry after `Retry-After` seconds.'],
  500: ['InternalError', 'The orchestrator failed; its log says why.'],
} as const;
type ErrorStatus = keyof typeof ERRORS;

function errorResponses(): JsonObject {
  const responses: JsonObject = {};
  for (const [status, [name, description]] of Object.entries(ERRORS)) {
    responses[name] = {
      description,
      ...(status === '429'
        ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } }
        : {}),
      content: { 'application/json': { schema: { $ref: schemaRef('ApiError') } } },
    };
  }
  return responses;
}

interface OperationSpec {
  operationId: string;
  summary: string;
  description: string;
  parameters?: JsonObject[];
  /** Component name of the JSON request body. */
  body?: string;
  success: { status: '200' | '201'; description: string; schema: string };
  errors: ErrorStatus[];
  /** `optional`: works without a token (and says who you are with one); `signed`: no token, an HMAC signature. */
  auth?: 'optional' | 'signed';
}

function operation(spec: OperationSpec): JsonObject {
  const responses: JsonObject = {
    [spec.success.status]: {
      description: spec.success.description,
      content: { 'application/json': { schema: { $ref: schemaRef(spec.success.schema) } } },
    },
  };
  for (const status of [...spec.errors, 500 as const]) {
    responses[String(status)] = { $ref: `#/components/responses/${ERRORS[status][0]}` };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    ...(spec.auth === 'optional' ? { security: [{}, { bearerAuth: [] }] } : {}),
    ...(spec.auth === 'signed' ? { security: [] } : {}),
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: schemaRef(spec.body) } } },
          },
        }
      : {}),
    responses,
  };
}

const RUN_ID: JsonObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Run id, as returned by POST /api/v1/runs.',
  schema: { type: 'string' },
};

const PLUGIN_ID: JsonObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Plugin id, as listed by GET /api/v1/plugins.',
  schema: { type: 'string' },
};

/** Admin-only calls on one plugin: each answers the plugin as it stands afterwards. */
function pluginAction(operationId: string, summary: string, description: string): JsonObject {
  return {
    post: operation({
      operationId,
      summary,
      description: `${description} Needs the admin role; audited.`,
      parameters: [PLUGIN_ID],
      success: { status: '200', description: 'The plugin afterwards.', schema: 'PluginInfo' },
      errors: [401, 403, 404, 409, 429],
    }),
  };
}

function pluginPaths(): JsonObject {
  const upload = operation({
    operationId: 'importPlugin',
    summary: 'Import a plugin package',
    description:
      'Uploads a .lpi package (gzip tar) or a zipped plugin folder as the raw body. It is checked (safe ' +
      'archive, valid actions.xml, signature) before it reaches the plugins folder; with requireSignatures, ' +
      'unsigned and untrusted packages are refused. A package whose signature does not match its files is ' +
      'always refused. Importing a plugin that exists replaces it. Needs the admin role; audited.',
    parameters: [
      {
        name: 'filename',
        in: 'query',
        required: true,
        description: 'The uploaded file name (for the audit trail).',
        schema: { type: 'string' },
      },
    ],
    success: { status: '201', description: 'The imported plugin.', schema: 'PluginInfo' },
    errors: [400, 401, 403, 409, 413, 429],
  });
  upload.requestBody = {
    required: true,
    content: {
      'application/octet-stream': {
        schema: { type: 'string', contentMediaType: 'application/octet-stream' },
      },
    },
  };
  return {
    [`${API_PREFIX}/plugins`]: {
      get: operation({
        operationId: 'listPlugins',
        summary: 'Plugins with status, signer and file hashes',
        description:
          'Every loaded plugin: version, status (trusted, modified, unsigned, disabled), signer, the trusted ' +
          'hash of each file and, when modified, which files changed. Needs the admin role.',
        success: { status: '200', description: 'The plugins.', schema: 'PluginList' },
        errors: [401, 403, 429],
      }),
      post: upload,
    },
    [`${API_PREFIX}/plugins/{id}/disable`]: pluginAction(
      'disablePlugin',
      'Disable a plugin',
      'Its actions stop running.',
    ),
    [`${API_PREFIX}/plugins/{id}/enable`]: pluginAction(
      'enablePlugin',
      'Enable a plugin',
      'Undoes a disable.',
    ),
    [`${API_PREFIX}/plugins/{id}/trust`]: pluginAction(
      'trustPlugin',
      'Trust a plugin as it is now',
      'After its files changed outside Gridside: re-hashes (a .lpi is extracted again) and re-checks the ' +
        'signature; the files as they are now become the trusted ones and the alert ends.',
    ),
  };
}

const SIGNED_EVENT_HEADERS: JsonObject[] = [
  {
    name: EVENT_TIMESTAMP_HEADER,
    in: 'header',
    required: true,
    description: 'Unix time in seconds; refused when further from now than the configured window.',
    schema: { type: 'string', pattern: '^[0-9]{1,12}$' },
  },
  {
    name: EVENT_SIGNATURE_HEADER,
    in: 'header',
    required: true,
    description:
      '`sha256=` and the hex HMAC-SHA256, keyed with the configured secret, of `<timestamp>.<raw body>`. A ' +
      'signature is accepted once.',
    schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
  },
];

function paths(): JsonObject {
  return {
    ...pluginPaths(),
    [`${API_PREFIX}/actions`]: {
      get: operation({
        operationId: 'listActions',
        summary: 'The action catalog',
        description: 'Actions the caller may run: each plugin action, its parameters and approval policy.',
        success: { status: '200', description: 'The catalog.', schema: 'Catalog' },
        errors: [401, 429],
      }),
    },
    [`${API_PREFIX}/runs`]: {
      get: operation({
        operationId: 'listRuns',
        summary: 'Run history',
        description: 'Past and current runs, newest first, filtered by alarm, row or status.',
        parameters: queryParameters(RunListQuerySchema),
        success: { status: '200', description: 'Matching runs.', schema: 'RunList' },
        errors: [400, 401, 429],
      }),
      post: operation({
        operationId: 'startRun',
        summary: 'Run an action on a row',
        description:
          'Starts an action with parameters and the row it was started from. The answer shows the run ' +
          'running when a slot was free (its plugin already started), queued when all slots are busy, or ' +
          'waiting for approval when the action needs it. With `wait`, the answer is held until the run ' +
          'ends (a quick lookup then comes back with its output), at most that many seconds; a run waiting ' +
          'for approval is answered at once. Parameter values go to the plugin as single arguments. With ' +
          "`idempotencyKey` (the caller's own name for this one start) the start is safe to send again: a " +
          'key this token used before is answered with the run it started (no second run; `wait` holds the ' +
          'answer as for a new run), and refused with 409 when sent with another action, other values or ' +
          'another row. Keys are per token name and kept as long as their run.',
        body: 'StartRunRequest',
        success: {
          status: '201',
          description: 'The new run, or the run an earlier start with the same idempotency key started.',
          schema: 'Run',
        },
        errors: [400, 401, 403, 404, 409, 413, 429],
      }),
    },
    [`${API_PREFIX}/runs/{id}`]: {
      get: operation({
        operationId: 'getRun',
        summary: 'A run',
        description: 'Status, approvals, output and timing of one run.',
        parameters: [RUN_ID, ...queryParameters(RunWaitQuerySchema)],
        success: { status: '200', description: 'The run.', schema: 'Run' },
        errors: [400, 401, 404, 429],
      }),
    },
    [`${API_PREFIX}/runs/many`]: {
      post: operation({
        operationId: 'startRuns',
        summary: 'Run actions on several rows at once',
        description:
          'Up to 50 starts in one request (a batch of rows), each a startRun body without `wait`. Each is ' +
          'answered as startRun would answer it alone, in the order sent: the run, or the status and error ' +
          'it would have been refused with (refusals are audited alike). Each start counts against the ' +
          "token's rate limit as a request of its own. Each start's `idempotencyKey` works as on startRun.",
        body: 'StartRunsRequest',
        success: { status: '200', description: 'One result per start.', schema: 'StartRunsAnswer' },
        errors: [400, 401, 413, 429],
      }),
    },
    [`${API_PREFIX}/runs/wait`]: {
      post: operation({
        operationId: 'waitForRuns',
        summary: 'Wait on many runs at once',
        description:
          'One long poll for up to 200 runs (a batch): answers when a named run differs from the signature ' +
          'the caller saw (`seen`, status and approval levels; without it, once the run ends), or after ' +
          '`wait` seconds, with the runs that changed (none when the wait ran out). A run come to wait for ' +
          'approval is answered at once; an end 100 ms later, together with every other end meanwhile ' +
          '(as soon as no other named run is still going); progress alone (queued to running, one ' +
          'approval level of several) up to 250 ms later, or with the first end meanwhile, held as any end. ' +
          'Every named run must exist, as for GET /runs/{id}; a run already seen ended is not waited on.',
        body: 'RunsWaitRequest',
        success: { status: '200', description: 'The runs that changed.', schema: 'RunList' },
        errors: [400, 401, 404, 413, 429],
      }),
    },
    [`${API_PREFIX}/runs/{id}/approvals`]: {
      post: operation({
        operationId: 'decideRun',
        summary: 'Approve or deny a run',
        description: 'Records a decision at the current approval level. Nobody approves their own run.',
        parameters: [RUN_ID],
        body: 'ApprovalRequest',
        success: { status: '200', description: 'The run after the decision.', schema: 'Run' },
        errors: [400, 401, 403, 404, 409, 413, 429],
      }),
    },
    [`${API_PREFIX}/runs/{id}/cancel`]: {
      post: operation({
        operationId: 'cancelRun',
        summary: 'Cancel a run',
        description: 'Cancels a queued, pending or running run; a running plugin is stopped.',
        parameters: [RUN_ID],
        success: { status: '200', description: 'The canceled run.', schema: 'Run' },
        errors: [401, 403, 404, 409, 429],
      }),
    },
    [`${API_PREFIX}/events`]: {
      post: operation({
        operationId: 'postEvent',
        summary: 'Announce an event to the trigger rules',
        description:
          'A SIEM announces an alarm or log: the documented event, or LogRhythm alarm JSON (`alarmDetails` with its ' +
          'events). Each matching trigger rule requests its action with values bound from the event like a row, ' +
          'at most once per dedupe window; side-effect actions wait for approval. Needs no bearer token: the ' +
          'body is signed with the configured secret. Answers 404 when no webhook is configured.',
        parameters: SIGNED_EVENT_HEADERS,
        body: 'GridsideEvent',
        success: { status: '200', description: 'What the rules did.', schema: 'EventAccepted' },
        errors: [400, 401, 404, 409, 413],
        auth: 'signed',
      }),
    },
    [`${API_PREFIX}/triggered-runs`]: {
      post: operation({
        operationId: 'listTriggeredRuns',
        summary: 'Triggered runs of rows',
        description:
          'For up to 200 rows (kind and key), the newest run a trigger rule started for each, with its verdict. ' +
          'The extension asks once per screen of rows to mark them "auto-enriched".',
        body: 'TriggeredRunsRequest',
        success: { status: '200', description: 'Rows with a triggered run.', schema: 'TriggeredRuns' },
        errors: [400, 401, 413, 429],
      }),
    },
    [`${API_PREFIX}/health`]: {
      get: operation({
        operationId: 'getHealth',
        summary: 'Health and identity',
        description:
          'Liveness; with a valid token, also the version, the action count, who the token belongs to, the ' +
          'syslog stream and the alerts waiting for an admin (plugin files changed outside Gridside).',
        success: { status: '200', description: 'The orchestrator is up.', schema: 'Health' },
        errors: [429],
        auth: 'optional',
      }),
    },
  };
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function buildOpenApi(): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gridside orchestration API',
      version: '1.0.0',
      summary: 'Run SmartResponse Plugin actions on SIEM grid rows, with approvals and audit.',
      description:
        'Generated from the zod schemas in src/core/api.ts by `npm run gen:openapi`; do not edit by hand. ' +
        'Every request needs `Authorization: Bearer <token>` except GET /api/v1/health. Plugin output is data: ' +
        'clients must never render it as HTML.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    security: [{ bearerAuth: [] }],
    paths: paths(),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An orchestrator token; its roles (analyst, approver, admin) decide what it may do.',
        },
      },
      schemas: sortedByKey({
        ...componentSchemas(RESPONSE_SCHEMAS, 'output'),
        ...componentSchemas(REQUEST_SCHEMAS, 'input'),
      }),
      responses: errorResponses(),
    },
  };
}

/** The document as committed in docs/openapi.json: stable key order, two-space indent, trailing newline. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
}
