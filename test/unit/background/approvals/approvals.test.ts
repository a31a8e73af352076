import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ActionBadgeLike,
  type ApprovalWatch,
  createApprovalWatch,
} from '../../../../src/background/approvals/approvals.ts';
import { createPush } from '../../../../src/background/channels/push.ts';
import { connectorFor } from '../../../../src/background/connectors/index.ts';
import { openGridsideDb } from '../../../../src/background/db.ts';
import { createJobEngine } from '../../../../src/background/jobs/job-engine.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import {
  createRestrictedFetch,
  fetchForOrigin,
} from '../../../../src/background/orchestrators/restricted-fetch.ts';
import type { Approval, Role, Run } from '../../../../src/core/api.ts';
import type { ContentPush } from '../../../../src/core/messages.ts';
import { SettingsSchema } from '../../../../src/core/settings.ts';
import { createFakeBrowser } from '../../../support/fake-browser.ts';
import {
  type FakeOrchestrator,
  type Recorded,
  sampleAction,
  sampleContext,
  sampleRun,
  startFakeOrchestrator,
} from '../fake-orchestrator.ts';

/**
 * The approver's side of the worker against a fake orchestrator on 127.0.0.1: which runs count on the
 * toolbar badge, what a decision sends, and how a refusal reads. The requester's side (the panel following
 * a run through its approval levels) is the job engine's, checked at the end.
 */

const TOKENS: Record<string, { name: string; roles: Role[] }> = {
  'Bearer tok-bob': { name: 'bob', roles: ['approver'] },
  'Bearer tok-carol': { name: 'carol', roles: ['analyst'] },
};

const pending = (level: number): Approval => ({
  level,
  status: 'pending',
  by: null,
  at: null,
  comment: null,
});
const approved = (level: number, by: string): Approval => ({
  level,
  status: 'approved',
  by,
  at: '2026-11-27T10:05:00Z',
  comment: 'looks fine',
});

let server: FakeOrchestrator;
let waiting: Run[];

beforeEach(async () => {
  waiting = [
    sampleRun({ id: 'r-alice', status: 'pending_approval', requestedBy: 'alice', approvals: [pending(1)] }),
    sampleRun({ id: 'r-bob', status: 'pending_approval', requestedBy: 'bob', approvals: [pending(1)] }),
    sampleRun({
      id: 'r-dave',
      status: 'pending_approval',
      requestedBy: 'dave',
      approvals: [approved(1, 'erin'), pending(2)],
    }),
    sampleRun({
      id: 'r-decided',
      status: 'pending_approval',
      requestedBy: 'dave',
      approvals: [approved(1, 'bob'), pending(2)],
    }),
  ];
  server = await startFakeOrchestrator(orchestrator);
});
afterEach(async () => {
  await server.close();
});

/** Answers like the real orchestrator for health, the pending list and decisions. */
function orchestrator(req: Recorded) {
  const user = TOKENS[req.authorization ?? ''] ?? null;
  if (req.path === '/api/v1/health') return { body: { status: 'ok', version: '1', actions: 3, user } };
  if (!user) return { status: 401, body: { error: { code: 'unauthorized', message: 'unknown token' } } };
  if (req.method === 'GET' && req.path.startsWith('/api/v1/runs?'))
    return { body: { runs: waiting.filter((r) => r.status === 'pending_approval') } };
  const decision = /^\/api\/v1\/runs\/([^/]+)\/approvals$/.exec(req.path);
  if (req.method === 'POST' && decision) {
    const run = waiting.find((r) => r.id === decision[1]);
    if (!run) return { status: 404, body: { error: { code: 'not_found', message: 'run not found' } } };
    if (run.requestedBy === user.name)
      return {
        status: 403,
        body: {
          error: { code: 'forbidden', message: 'nobody approves their own run; ask another approver' },
        },
      };
    if (run.status !== 'pending_approval')
      return {
        status: 409,
        body: { error: { code: 'conflict', message: `the run is ${run.status}, not waiting for approval` } },
      };
    const body = req.body as { decision: 'approve' | 'deny'; comment: string };
    run.status = body.decision === 'approve' ? 'queued' : 'denied';
    run.approvals = [
      {
        level: 1,
        status: body.decision === 'approve' ? 'approved' : 'denied',
        by: user.name,
        at: 'now',
        comment: body.comment,
      },
    ];
    return { body: run };
  }
  return { status: 404, body: { error: { code: 'not_found', message: 'no such route' } } };
}

function fakeBadge() {
  const state = { text: '', color: '', title: '' };
  const badge: ActionBadgeLike = {
    async setBadgeText({ text }) {
      state.text = text;
    },
    async setBadgeBackgroundColor({ color }) {
      state.color = color;
    },
    async setTitle({ title }) {
      state.title = title;
    },
  };
  return { state, badge };
}

function watchAs(token: string | undefined, badge: ActionBadgeLike, url = server.url): ApprovalWatch {
  const settings = SettingsSchema.parse({
    orchestrators: [{ id: 'main', kind: 'gridside', name: 'Main orchestrator', url }],
  });
  const restricted = createRestrictedFetch({ allowedOrigins: () => [new URL(url).origin] });
  return createApprovalWatch({
    settings: async () => settings,
    connector: async (id) => {
      const entry = settings.orchestrators.find((e) => e.id === id);
      if (!entry) throw new Error(`no entry ${id}`);
      return connectorFor(entry, { secret: token, fetch: fetchForOrigin(new URL(url).origin, restricted) });
    },
    badge,
  });
}

describe('approvals badge', () => {
  it('counts only runs this approver can still decide: not their own, not already decided by them', async () => {
    const { state, badge } = fakeBadge();
    const view = await watchAs('tok-bob', badge).refresh();
    const queue = view.queues[0];
    expect(queue?.user).toBe('bob');
    expect(queue?.runs.map((r) => r.id)).toEqual(['r-alice', 'r-dave']);
    expect(view.count).toBe(2);
    expect(state.text).toBe('2');
    expect(state.title).toBe('Gridside: 2 runs wait for your approval');
    expect(server.requests.some((r) => r.path.includes('status=pending_approval'))).toBe(true);
  });

  it('clears the badge for a token without the approver role', async () => {
    const { state, badge } = fakeBadge();
    state.text = '5';
    const view = await watchAs('tok-carol', badge).refresh();
    expect(view.queues[0]).toMatchObject({ user: 'carol', approver: false, runs: [] });
    expect(state.text).toBe('');
    expect(state.title).toBe('Gridside');
    // Nothing to approve, so nobody's waiting runs are asked for.
    expect(server.requests.some((r) => r.path.includes('status=pending_approval'))).toBe(false);
  });

  it('says so in plain words when the token is not recognised', async () => {
    const { state, badge } = fakeBadge();
    const view = await watchAs('tok-unknown', badge).refresh();
    expect(view.queues[0]?.error?.message).toContain('does not recognise the token');
    expect(state.text).toBe('');
  });

  it('reports an unreachable orchestrator on its queue instead of failing the whole list', async () => {
    const { state, badge } = fakeBadge();
    const gone = await startFakeOrchestrator();
    const url = gone.url;
    await gone.close();
    const view = await watchAs('tok-bob', badge, url).refresh();
    expect(view.queues[0]?.error?.code).toBe('unreachable');
    expect(view.count).toBe(0);
    expect(state.text).toBe('');
  });
});

describe('approval decisions', () => {
  it('posts the decision with the comment, and the badge drops the decided run', async () => {
    const { state, badge } = fakeBadge();
    const watch = watchAs('tok-bob', badge);
    await watch.refresh();
    expect(state.text).toBe('2');
    const result = await watch.decide({
      orchestratorId: 'main',
      runId: 'r-alice',
      decision: 'approve',
      comment: 'ok, known scanner',
    });
    const posted = server.requests.find((r) => r.method === 'POST');
    expect(posted?.path).toBe('/api/v1/runs/r-alice/approvals');
    expect(posted?.body).toEqual({ decision: 'approve', comment: 'ok, known scanner' });
    expect(posted?.authorization).toBe('Bearer tok-bob');
    expect(result.run.status).toBe('queued');
    expect(result.view.count).toBe(1);
    expect(state.text).toBe('1');
  });

  it("turns the orchestrator's 403 for an own run into plain words", async () => {
    const { badge } = fakeBadge();
    const watch = watchAs('tok-bob', badge);
    const refusal = await watch
      .decide({ orchestratorId: 'main', runId: 'r-bob', decision: 'approve', comment: '' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toMatchObject({
      code: 'forbidden',
      message: 'You cannot approve this run: nobody approves their own run; ask another approver.',
    });
  });

  it('says a run decided elsewhere no longer waits, and refreshes the badge', async () => {
    const { state, badge } = fakeBadge();
    const watch = watchAs('tok-bob', badge);
    await watch.refresh();
    const run = waiting.find((r) => r.id === 'r-alice');
    if (run) run.status = 'running';
    const refusal = await watch
      .decide({ orchestratorId: 'main', runId: 'r-alice', decision: 'deny', comment: 'no' })
      .then(
        () => undefined,
        (error: unknown) => error as { code: string; message: string },
      );
    expect(refusal?.code).toBe('conflict');
    expect(refusal?.message).toContain('the run is running, not waiting for approval');
    await watch.refresh();
    expect(state.text).toBe('1');
  });
});

describe("the requester's panel", () => {
  it('keeps following a run through its approval levels and pushes each change', async () => {
    let polls = 0;
    const levels = (first: Approval['status']) => [
      first === 'pending' ? pending(1) : approved(1, 'bob'),
      pending(2),
    ];
    server.handle((req) => {
      if (req.method === 'POST') {
        return { status: 201, body: sampleRun({ status: 'pending_approval', approvals: levels('pending') }) };
      }
      polls++;
      if (polls < 3) return { body: sampleRun({ status: 'pending_approval', approvals: levels('pending') }) };
      if (polls < 5)
        return { body: sampleRun({ status: 'pending_approval', approvals: levels('approved') }) };
      return { body: sampleRun({ status: 'denied', reason: 'denied by erin at level 2', approvals: [] }) };
    });
    const browser = createFakeBrowser();
    const restricted = createRestrictedFetch({ allowedOrigins: () => [server.origin] });
    const entry = SettingsSchema.parse({
      orchestrators: [{ id: 'main', kind: 'gridside', name: 'Main', url: server.url }],
    }).orchestrators[0];
    if (!entry) throw new Error('no entry');
    const engine = createJobEngine({
      store: createJobStore(openGridsideDb('gridside-approvals-panel-test')),
      connectorFor: async () => {
        const connector = connectorFor(entry, {
          secret: 'tok-alice',
          fetch: fetchForOrigin(server.origin, restricted),
        });
        delete connector.waitForRun;
        return connector;
      },
      push: createPush(browser.tabs),
      backoff: { firstMs: 5, factor: 1, maxMs: 5 },
    });
    await engine.start({
      orchestratorId: 'main',
      action: sampleAction({ approval: { levels: 2, quorum: 1, approverRoles: ['approver'] } }),
      params: { ip: '10.1.2.3' },
      context: sampleContext,
      tab: { tabId: 7, frameId: 0 },
    });
    await engine.idle();
    engine.stop();
    const pushed = browser.sent.flatMap((s) => {
      const message = s.message as ContentPush;
      return message.type === 'job.update' ? [message.job] : [];
    });
    const firstLevel = pushed.map((job) => job.run?.approvals[0]?.status ?? 'none');
    expect(firstLevel).toContain('pending');
    expect(firstLevel).toContain('approved');
    expect(pushed.at(-1)?.status).toBe('denied');
    expect(polls).toBeGreaterThanOrEqual(5);
  });
});
