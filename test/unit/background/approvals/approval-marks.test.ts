import { describe, expect, it } from 'vitest';
import {
  createApprovalMarks,
  MARKS_MAX_AGE_MS,
  type TabsMessageLike,
} from '../../../../src/background/approvals/approval-marks.ts';
import { type ActionBadgeLike, createApprovalWatch } from '../../../../src/background/approvals/approvals.ts';
import { createContentHandler } from '../../../../src/background/channels/content-handlers.ts';
import type { Connector } from '../../../../src/background/connectors/connector.ts';
import type { Approval, Run } from '../../../../src/core/api.ts';
import { runIsOnRow, runsFromQuery, runsQuery } from '../../../../src/core/approval-marks.ts';
import { ContentRequestSchema } from '../../../../src/core/messages.ts';
import { SettingsSchema } from '../../../../src/core/settings.ts';
import { sampleRun } from '../fake-orchestrator.ts';

/**
 * "Waiting for your approval" on rows: which rows of the console get a mark for an approver (Priya), how
 * fresh the marks are, what a click on one opens, and who is told when the waiting runs change. The watch
 * behind the marks is the real one (the badge's), over a connector that answers from `pending`.
 */

const PENDING: Approval = { level: 1, status: 'pending', by: null, at: null, comment: null };
const waiting = (overrides: Partial<Run>): Run =>
  sampleRun({ status: 'pending_approval', requestedBy: 'alex', approvals: [PENDING], ...overrides });

function setUp(initial: Run[]) {
  let pending = initial;
  let clock = 1_000_000;
  const asked: number[] = [];
  const opened: string[] = [];
  const told: Array<{ tabId: number; message: unknown }> = [];
  const tabQueries: unknown[] = [];
  const connector = {
    async listPendingApprovals() {
      asked.push(clock);
      return { user: { name: 'priya', roles: ['approver'] }, runs: pending };
    },
  } as unknown as Connector;
  const settings = SettingsSchema.parse({
    orchestrators: [{ id: 'main', kind: 'gridside', name: 'Main', url: 'http://127.0.0.1:9/' }],
  });
  const badge: ActionBadgeLike = {
    setBadgeText: async () => undefined,
    setBadgeBackgroundColor: async () => undefined,
    setTitle: async () => undefined,
  };
  const tabs: TabsMessageLike = {
    async query(query) {
      tabQueries.push(query);
      return [{ id: 7 }, { id: 9 }];
    },
    async sendMessage(tabId, message) {
      told.push({ tabId, message });
      return undefined;
    },
  };
  let changes = 0;
  const watch = createApprovalWatch({
    settings: async () => settings,
    connector: async () => connector,
    badge,
    now: () => clock,
    onChange: () => {
      changes++;
    },
  });
  const marks = createApprovalMarks({
    watch,
    consoles: async () => ['https://siem.example'],
    tabs,
    windows: {
      async create(details) {
        opened.push(details.url);
        return undefined;
      },
    },
    approvalPage: 'chrome-extension://gridside/src/popup/index.html',
    now: () => clock,
  });
  return {
    watch,
    marks,
    asked,
    opened,
    told,
    tabQueries,
    changes: () => changes,
    setPending: (runs: Run[]) => {
      pending = runs;
    },
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

describe('approval marks on rows', () => {
  it("marks an alarm's row for every waiting run about that alarm, and a log's row for its own runs", async () => {
    const t = setUp([
      waiting({ id: 'r-alarm', actionName: 'Disable account', alarmId: '4711', rowKey: '4711' }),
      waiting({ id: 'r-log', actionName: 'Isolate host', alarmId: '4711', rowKey: '88001' }),
      waiting({ id: 'r-lonely-log', actionName: 'Block IP', alarmId: null, rowKey: '4711' }),
      waiting({ id: 'r-own', requestedBy: 'priya', alarmId: '5000', rowKey: '5000' }),
      sampleRun({ id: 'r-running', status: 'running', alarmId: '6000', rowKey: '6000' }),
    ]);
    const marks = await t.marks.marks([
      { key: '4711', kind: 'alarm' },
      { key: '88001', kind: 'log' },
      { key: '4711', kind: 'log' },
      { key: '5000', kind: 'alarm' },
      { key: '6000', kind: 'alarm' },
      { key: '1', kind: 'alarm' },
    ]);
    // The alarm's row: the run from the alarm and the run from one of its logs. The log row "4711" is a
    // different row that shares the number: it carries only the run started from it.
    expect(marks).toEqual({
      'alarm:4711': { count: 2, actions: ['Disable account', 'Isolate host'] },
      'log:88001': { count: 1, actions: ['Isolate host'] },
      'log:4711': { count: 1, actions: ['Block IP'] },
    });
    expect(runIsOnRow({ alarmId: '4711', rowKey: '4711' }, { key: '4711', kind: 'log' })).toBe(false);
    expect(runIsOnRow({ alarmId: null, rowKey: '4711' }, { key: '4711', kind: 'log' })).toBe(true);
  });

  it('answers scrolling from the last round, and asks the orchestrator again once that is stale', async () => {
    const t = setUp([waiting({ id: 'r1', alarmId: '4711', rowKey: '4711' })]);
    const row = { key: '4711', kind: 'alarm' as const };
    await t.marks.marks([row]);
    await t.marks.marks([row]);
    expect(t.asked).toHaveLength(1);

    t.setPending([]);
    t.tick(MARKS_MAX_AGE_MS + 1);
    expect(await t.marks.marks([row])).toEqual({});
    expect(t.asked).toHaveLength(2);
  });

  it("opens the approval window for exactly the row's waiting runs, asked afresh", async () => {
    const t = setUp([
      waiting({ id: 'r:1', alarmId: '4711', rowKey: '4711' }),
      waiting({ id: 'r2', alarmId: '4711', rowKey: '88001' }),
      waiting({ id: 'r3', alarmId: '9999', rowKey: '9999' }),
    ]);
    await t.marks.marks([{ key: '4711', kind: 'alarm' }]);
    const shown = await t.marks.show({ key: '4711', kind: 'alarm' });

    expect(shown).toEqual({ runs: 2 });
    expect(t.asked).toHaveLength(2); // the click asked again, though the marks were fresh
    expect(t.opened).toHaveLength(1);
    const [page, query] = (t.opened[0] ?? '').split('?');
    expect(page).toBe('chrome-extension://gridside/src/popup/index.html');
    expect(runsFromQuery(`?${query}`)).toEqual([
      { orchestratorId: 'main', runId: 'r:1' },
      { orchestratorId: 'main', runId: 'r2' },
    ]);
  });

  it('refuses to open a window for a row with nothing waiting, in plain words', async () => {
    const t = setUp([waiting({ id: 'r1', alarmId: '4711', rowKey: '4711' })]);
    t.setPending([]);
    await expect(t.marks.show({ key: '4711', kind: 'alarm' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Nothing on this row waits for your approval any more.',
    });
    expect(t.opened).toEqual([]);
  });

  it('tells the open console tabs when the waiting runs change, and only then', async () => {
    const t = setUp([waiting({ id: 'r1', alarmId: '4711', rowKey: '4711' })]);
    await t.watch.refresh();
    expect(t.changes()).toBe(1);
    await t.watch.refresh();
    expect(t.changes()).toBe(1); // same runs: no news

    t.setPending([]);
    await t.watch.refresh();
    expect(t.changes()).toBe(2);

    await t.marks.announce();
    expect(t.tabQueries).toEqual([{ url: ['https://siem.example/*'] }]);
    expect(t.told).toEqual([
      { tabId: 7, message: { type: 'approvals.changed' } },
      { tabId: 9, message: { type: 'approvals.changed' } },
    ]);
  });

  it('reaches the marks through the content channel, and only with rows as the page sends them', async () => {
    const t = setUp([waiting({ id: 'r1', alarmId: '4711', rowKey: '4711' })]);
    const handler = createContentHandler({
      approvalMarks: t.marks,
    } as unknown as Parameters<typeof createContentHandler>[0]);
    const sender = { origin: 'https://siem.example', tab: { tabId: 7, frameId: 0 } };
    const request = ContentRequestSchema.parse({
      type: 'marks.onScreen',
      console: sender.origin,
      rows: [{ key: '4711', kind: 'alarm' }],
    });
    expect(await handler(request, sender)).toMatchObject({
      approvals: { 'alarm:4711': { count: 1, actions: ['Look up IP owner'] } },
      // This handler has no pin store: that kind is not answered, the others are.
      pins: null,
    });
    // A page cannot name a run to open: the request carries a row, nothing else.
    const smuggled = ContentRequestSchema.safeParse({
      type: 'approvals.show',
      row: { key: '4711', kind: 'alarm' },
      runs: [{ orchestratorId: 'main', runId: 'r-elsewhere' }],
    });
    expect(smuggled.success && 'runs' in smuggled.data).toBe(false);
    expect(ContentRequestSchema.safeParse({ type: 'approvals.show', row: { key: '' } }).success).toBe(false);
  });
});

describe('the approval window address', () => {
  it('carries orchestrator and run ids through characters that would split them', () => {
    const refs = [
      { orchestratorId: 'main', runId: 'a:b,c' },
      { orchestratorId: 'two words', runId: '%41' },
    ];
    expect(runsFromQuery(runsQuery(refs))).toEqual(refs);
    expect(runsFromQuery('?runs=only-one-part,main:r1,%E0%A4%A:x')).toEqual([
      { orchestratorId: 'main', runId: 'r1' },
    ]);
    expect(runsFromQuery('')).toEqual([]);
  });
});
