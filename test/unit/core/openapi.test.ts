import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_PREFIX, ApiErrorSchema, RunSchema, StartRunRequestSchema } from '../../../src/core/api.ts';
import { buildOpenApi, openApiJson } from '../../../src/core/openapi.ts';

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document
type Doc = any;
const doc: Doc = buildOpenApi();
const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');

/** Every `$ref` in the document, to check each points at something that exists. */
function refs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refs(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refs(value, found);
    }
  }
  return found;
}

describe('docs/openapi.json', () => {
  it('is up to date with the zod schemas', () => {
    // On failure: run `npm run gen:openapi` and commit docs/openapi.json.
    expect(committed === openApiJson(), 'docs/openapi.json is stale: run npm run gen:openapi').toBe(true);
  });

  it('is deterministic and ends with a newline', () => {
    expect(openApiJson()).toBe(openApiJson());
    expect(committed.endsWith('}\n')).toBe(true);
  });
});

describe('buildOpenApi', () => {
  it('is an OpenAPI 3.1 document with bearer auth', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('describes every v1 endpoint', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        `GET ${API_PREFIX}/actions`,
        `POST ${API_PREFIX}/runs`,
        `GET ${API_PREFIX}/runs`,
        `GET ${API_PREFIX}/runs/{id}`,
        `POST ${API_PREFIX}/runs/many`,
        `POST ${API_PREFIX}/runs/wait`,
        `POST ${API_PREFIX}/runs/{id}/approvals`,
        `POST ${API_PREFIX}/runs/{id}/cancel`,
        `GET ${API_PREFIX}/health`,
        `GET ${API_PREFIX}/plugins`,
        `POST ${API_PREFIX}/plugins`,
        `POST ${API_PREFIX}/plugins/{id}/disable`,
        `POST ${API_PREFIX}/plugins/{id}/enable`,
        `POST ${API_PREFIX}/plugins/{id}/trust`,
        `POST ${API_PREFIX}/events`,
        `POST ${API_PREFIX}/triggered-runs`,
      ].sort(),
    );
  });

  it('has every schema the API exchanges as a component', () => {
    for (const name of [
      'Catalog',
      'Action',
      'ActionParam',
      'ApprovalPolicy',
      'Run',
      'RunList',
      'RunStatus',
      'RunOutput',
      'Taxonomy',
      'Approval',
      'StartRunRequest',
      'RunsWaitRequest',
      'StartRunsRequest',
      'StartRunsAnswer',
      'RowContext',
      'ApprovalRequest',
      'Health',
      'ApiError',
    ]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
  });

  it('resolves every $ref', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    for (const ref of all) {
      const match = ref.match(/^#\/components\/(schemas|responses)\/(\w+)$/);
      expect(match, ref).not.toBeNull();
      expect(doc.components[match![1]!][match![2]!], ref).toBeDefined();
    }
  });

  it('answers every operation with ApiError on 400/401/403/404/409/413/429 where they can happen', () => {
    const errorStatuses = new Set<string>();
    for (const item of Object.values(doc.paths) as Doc[]) {
      for (const op of Object.values(item) as Doc[]) {
        for (const [status, response] of Object.entries(op.responses) as [string, Doc][]) {
          if (Number(status) < 400) continue;
          errorStatuses.add(status);
          const resolved = doc.components.responses[response.$ref.split('/').pop()];
          expect(resolved.content['application/json'].schema.$ref).toBe('#/components/schemas/ApiError');
        }
      }
    }
    expect([...errorStatuses].sort()).toEqual(['400', '401', '403', '404', '409', '413', '429', '500']);
    const start = doc.paths[`${API_PREFIX}/runs`].post.responses;
    for (const status of ['400', '401', '403', '404', '409', '413', '429'])
      expect(start[status]).toBeDefined();
  });

  it('lets health be called without a token and requires one elsewhere', () => {
    expect(doc.paths[`${API_PREFIX}/health`].get.security).toContainEqual({});
    expect(doc.paths[`${API_PREFIX}/actions`].get.security).toBeUndefined();
  });

  it('takes the run history filters as query parameters', () => {
    const params = doc.paths[`${API_PREFIX}/runs`].get.parameters;
    expect(params.map((p: Doc) => p.name)).toEqual(['alarmId', 'rowKey', 'status', 'limit']);
    for (const p of params) expect(p).toMatchObject({ in: 'query', required: false });
    expect(params.find((p: Doc) => p.name === 'status').schema.enum).toContain('pending_approval');
  });

  it('describes request bodies as accepted (defaults optional) and responses as sent (defaults present)', () => {
    const approvalRequest = doc.components.schemas.ApprovalRequest;
    expect(approvalRequest.required).toEqual(['decision']);
    const action = doc.components.schemas.Action;
    expect(action.required).toContain('description');
    const rowContext = doc.components.schemas.RowContext;
    expect(rowContext.required).not.toContain('missing');
  });

  it('matches the zod schemas it was built from', () => {
    // Every field of a run is sent, but the key it was started with, which only runs started with one have.
    const sent = Object.entries(RunSchema.shape).filter(([, field]) => !field.safeParse(undefined).success);
    expect(doc.components.schemas.Run).toEqual(
      expect.objectContaining({ required: sent.map(([name]) => name) }),
    );
    expect(Object.keys(doc.components.schemas.Run.properties)).toEqual(Object.keys(RunSchema.shape));
    expect(Object.keys(doc.components.schemas.StartRunRequest.properties)).toEqual(
      Object.keys(StartRunRequestSchema.shape),
    );
    const errorCodes = doc.components.schemas.ApiError.properties.error.properties.code.enum;
    expect(errorCodes).toEqual(ApiErrorSchema.shape.error.shape.code.options);
    // A Cortex taxonomy value is always a string once parsed (numbers and booleans are converted).
    expect(doc.components.schemas.Taxonomy.properties.value).toEqual({ type: 'string' });
  });
});
