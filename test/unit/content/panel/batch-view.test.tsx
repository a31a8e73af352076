// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createOverlayHost,
  type OverlayHost,
  overlayShadowForTests,
} from '../../../../src/content/overlay-host.ts';
import { showPanel } from '../../../../src/content/panel/panel-app.tsx';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { CATALOG, rowContext } from './catalog-fixture.ts';
import { installFakeRuntime, job } from './fake-runtime.ts';

/** Counts the row titles the panel draws: one per row line drawn (and the panel's own header). */
const drawn = vi.hoisted(() => ({ titles: 0 }));
vi.mock('../../../../src/content/panel/row-summary.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../src/content/panel/row-summary.ts')>();
  return {
    ...actual,
    rowTitle: (...args: Parameters<typeof actual.rowTitle>) => {
      drawn.titles += 1;
      return actual.rowTitle(...args);
    },
  };
});

/** Three selected alarm rows, each with its own origin IP. */
const rows: RowContext[] = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip, i) =>
  rowContext({
    kind: 'alarm',
    key: { value: `a${i}`, source: 'column', confidence: 'high' },
    alarmId: `a${i}`,
    fields: { SIP: ip },
  }),
);

let controller: AbortController;
let overlay: OverlayHost;
let runtime: ReturnType<typeof installFakeRuntime>;

function open(selection: RowContext[]) {
  showPanel(
    overlay,
    {
      source: 'button',
      row: { context: rows[0]!, otherColumnsNotShown: 0 },
      selection,
      anchor: { top: 10, bottom: 30, left: 0, right: 500 },
      returnFocus: null,
    },
    controller.signal,
  );
}
const shadow = () => overlayShadowForTests()!;
const text = () => shadow().textContent ?? '';
const button = (label: string | RegExp) => {
  const found = [...shadow().querySelectorAll('button')].find((b) =>
    typeof label === 'string' ? b.textContent?.includes(label) : label.test(b.textContent ?? ''),
  );
  if (!found) throw new Error(`no button ${label}`);
  return found;
};
type BatchRequest = { type: string; actionId: string; rows: RowContext[]; confirmed: boolean };

beforeEach(() => {
  controller = new AbortController();
  overlay = createOverlayHost();
  runtime = installFakeRuntime((request) => {
    if (request.type === 'catalog.list')
      return { ok: true, data: { orchestrator: { id: 'demo', name: 'Demo' }, actions: CATALOG } };
    if (request.type === 'batch.start') {
      const sent = request as unknown as BatchRequest;
      return { ok: true, data: { jobIds: sent.rows.map((_, i) => `job-${i}`) } };
    }
    if (request.type === 'run.get') return { ok: false, error: { code: 'not_found', message: 'not yet' } };
    return { ok: false, error: { code: 'bad_request', message: 'unhandled' } };
  });
});
afterEach(() => {
  controller.abort();
  overlay.dispose();
  runtime.uninstall();
});

async function chooseAction(name: string) {
  await vi.waitFor(() => button(name));
  button(name).click();
  await vi.waitFor(() => expect(shadow().querySelector('form')).not.toBeNull());
}

describe('batch runs from the panel', () => {
  it('offers nothing when fewer than two rows are selected', async () => {
    open([]);
    await chooseAction('Where is this IP');
    expect(text()).not.toContain('selected rows');
  });

  it('runs on every selected row and shows progress and each row’s result with verdicts', async () => {
    open(rows);
    await chooseAction('Where is this IP');
    button('Run on 3 selected rows').click();
    await vi.waitFor(() => expect(runtime.requests.some((r) => r.type === 'batch.start')).toBe(true));
    const sent = runtime.requests.find((r) => r.type === 'batch.start') as unknown as BatchRequest;
    expect(sent.actionId).toBe('geo/ip');
    expect(sent.rows.map((r) => r.fields.SIP)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(sent.confirmed).toBe(false);
    await vi.waitFor(() => expect(text()).toContain('0 done · 0 failed · 3 rows'));
    expect(text()).toContain('10.0.0.2');

    runtime.push({
      type: 'job.update',
      job: {
        ...job(rows[0]!, {
          status: 'succeeded',
          updatedAt: 10,
          output: {
            stdout: 'listed',
            stderr: '',
            exitCode: 0,
            truncated: false,
            taxonomies: [{ level: 'malicious', namespace: 'Rep', predicate: 'Score', value: '97' }],
          },
        }),
        id: 'job-0',
      },
    });
    runtime.push({
      type: 'job.update',
      job: { ...job(rows[1]!, { status: 'failed', updatedAt: 10 }), id: 'job-1' },
    });
    // An update of a job that is not in the batch changes nothing.
    runtime.push({
      type: 'job.update',
      job: { ...job(rows[2]!, { status: 'succeeded', updatedAt: 10 }), id: 'other' },
    });
    await vi.waitFor(() => expect(text()).toContain('1 done · 1 failed · 3 rows'));
    expect(shadow().querySelector('progress')?.getAttribute('value')).toBe('2');
    expect(
      [...shadow().querySelectorAll('.batch-rows .chip')].map((c) => c.getAttribute('data-level')),
    ).toEqual(['malicious']);
    const first = shadow().querySelector('.batch-rows li[data-job-id="job-0"]')!;
    first.querySelector('button')!.click();
    // The row's output is shown in the output frame, which fetches it from the worker by the job's id.
    await vi.waitFor(() => expect(first.querySelector('iframe.output-frame')).not.toBeNull());
    const src = new URL(first.querySelector('iframe')!.getAttribute('src')!);
    expect(src.pathname).toBe('/src/pages/output-frame/index.html');
    expect(new URLSearchParams(src.hash.slice(1)).get('job')).toBe('job-0');
    expect(first.textContent).not.toContain('listed');
  });

  it('shows rows the worker finished before it answered (no value to run on, cached) at once', async () => {
    runtime.uninstall();
    runtime = installFakeRuntime((request) => {
      if (request.type === 'catalog.list')
        return { ok: true, data: { orchestrator: { id: 'demo', name: 'Demo' }, actions: CATALOG } };
      if (request.type === 'batch.start') {
        // The worker fails a row it cannot run and pushes it before its answer leaves.
        runtime.push({
          type: 'job.update',
          job: { ...job(rows[1]!, { status: 'failed', updatedAt: 10 }), id: 'job-1' },
        });
        return { ok: true, data: { jobIds: ['job-0', 'job-1', 'job-2'] } };
      }
      if (request.type === 'run.get') return { ok: false, error: { code: 'not_found', message: 'not yet' } };
      return { ok: false, error: { code: 'bad_request', message: 'unhandled' } };
    });
    open(rows);
    await chooseAction('Where is this IP');
    button('Run on 3 selected rows').click();
    // Well before the fallback poll (2 s), which here would not know the job anyway.
    await vi.waitFor(() => expect(text()).toContain('0 done · 1 failed · 3 rows'), { timeout: 500 });
  });

  it('says on a failed row’s line why it failed, without opening it', async () => {
    open(rows);
    await chooseAction('Where is this IP');
    button('Run on 3 selected rows').click();
    await vi.waitFor(() => expect(text()).toContain('0 done · 0 failed · 3 rows'));
    // A row the worker never sent (no value for a required parameter): no run, the worker's reason.
    runtime.push({
      type: 'job.update',
      job: {
        ...job(rows[0]!, { status: 'failed', updatedAt: 10 }),
        id: 'job-0',
        runId: null,
        run: null,
        params: {},
        error: { code: 'bad_request', message: 'Not run: this row has no value for IP Address*.' },
      },
    });
    // A run the plugin failed: the orchestrator's reason; its output stays behind Details, in the frame.
    const failedRun = job(rows[1]!, {
      status: 'failed',
      updatedAt: 10,
      output: { stdout: '', stderr: 'geo: not an address', exitCode: 2, truncated: false },
    });
    runtime.push({
      type: 'job.update',
      job: { ...failedRun, id: 'job-1', run: { ...failedRun.run!, reason: 'the plugin exited with code 2' } },
    });
    // The row the worker never sent is counted apart: its data lacks a value, nothing failed.
    await vi.waitFor(() => expect(text()).toContain('0 done · 1 failed · 1 not run · 3 rows'));
    const line = (id: string) => shadow().querySelector(`.batch-rows li[data-job-id="${id}"]`)!;
    expect(line('job-0').getAttribute('data-outcome')).toBe('not-run');
    expect(line('job-0').querySelector('.status')?.textContent).toBe('Not run');
    expect(line('job-0').querySelector('.reason')?.textContent).toBe(
      'Not run: this row has no value for IP Address*.',
    );
    expect(line('job-1').getAttribute('data-outcome')).toBe('failed');
    expect(line('job-1').querySelector('.status')?.textContent).toBe('Failed');
    // Nothing more to show for a row that never ran: no Details to open onto nothing.
    expect(line('job-0').querySelector('button')).toBeNull();
    expect(line('job-1').querySelector('.reason')?.textContent).toBe('the plugin exited with code 2');
    expect(line('job-1').textContent).not.toContain('not an address');
    expect(line('job-1').querySelector('button')?.textContent).toBe('Details');
    expect(line('job-2').querySelector('.reason')).toBeNull();
  });

  it('draws again only the line of the row an update is about, not every row of the batch', async () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      rowContext({
        kind: 'alarm',
        key: { value: `b${i}`, source: 'column', confidence: 'high' },
        alarmId: `b${i}`,
        fields: { SIP: `10.0.1.${i}` },
      }),
    );
    open(many);
    await chooseAction('Where is this IP');
    button('Run on 20 selected rows').click();
    await vi.waitFor(() => expect(text()).toContain('0 done · 0 failed · 20 rows'));
    drawn.titles = 0;
    runtime.push({
      type: 'job.update',
      job: { ...job(many[7]!, { status: 'succeeded', updatedAt: 10 }), id: 'job-7' },
    });
    await vi.waitFor(() => expect(text()).toContain('1 done · 0 failed · 20 rows'));
    // The updated row's line, and the panel header above the list; not the other 19 lines: an update keeps
    // the other rows' objects (batch-state.ts), and a line whose props are the same is not drawn again.
    expect(drawn.titles).toBeLessThanOrEqual(2);
    expect(shadow().querySelector('li[data-job-id="job-7"]')?.getAttribute('data-outcome')).toBe('done');
  });

  it('draws updates that come together at most every 200 ms, and the one that ends the batch at once', async () => {
    open(rows);
    await chooseAction('Where is this IP');
    button('Run on 3 selected rows').click();
    await vi.waitFor(() => expect(text()).toContain('0 done · 0 failed · 3 rows'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const finish = (i: number) =>
        runtime.push({
          type: 'job.update',
          job: { ...job(rows[i]!, { status: 'succeeded', updatedAt: 10 }), id: `job-${i}` },
        });
      const progress = () => shadow().querySelector('progress')?.getAttribute('value');
      finish(0); // the first after a quiet spell: at once
      await vi.advanceTimersByTimeAsync(0);
      expect(progress()).toBe('1');
      finish(1); // right behind it: held
      await vi.advanceTimersByTimeAsync(150);
      expect(progress()).toBe('1');
      await vi.advanceTimersByTimeAsync(50);
      expect(progress()).toBe('2');
      finish(2); // also right behind a drawing, but it ends the batch
      await vi.advanceTimersByTimeAsync(0);
      expect(progress()).toBe('3');
      expect(text()).toContain('3 done · 0 failed · 3 rows');
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks before running an action with side effects on every row', async () => {
    open(rows);
    await chooseAction('Block IP');
    button('Run on 3 selected rows').click();
    await vi.waitFor(() =>
      expect(text()).toContain('Block IP changes things. Run it on all 3 selected rows'),
    );
    expect(runtime.requests.some((r) => r.type === 'batch.start')).toBe(false);
    button('Run on 3 rows').click();
    await vi.waitFor(() => expect(runtime.requests.some((r) => r.type === 'batch.start')).toBe(true));
    const sent = runtime.requests.find((r) => r.type === 'batch.start') as unknown as BatchRequest;
    expect(sent.confirmed).toBe(true);
  });
});
