// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  REQUEST_TIMEOUT_MS as CONNECTOR_REQUEST_TIMEOUT_MS,
  START_WAIT_SECONDS,
} from '../../../../src/background/connectors/gridside.ts';
import { START_ATTEMPTS } from '../../../../src/background/jobs/job-engine.ts';
import { DEFAULT_BACKOFF, nextDelay } from '../../../../src/background/jobs/poll-schedule.ts';
import { ask } from '../../../../src/content/background-channel.ts';
import {
  createOverlayHost,
  type OverlayHost,
  overlayShadowForTests,
} from '../../../../src/content/overlay-host.ts';
import { showPanel } from '../../../../src/content/panel/panel-app.tsx';
import { RUN_VIEW_AFTER_MS, START_ANSWER_TIMEOUT_MS } from '../../../../src/content/panel/panel-state.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { CATALOG, rowContext } from './catalog-fixture.ts';
import { installFakeRuntime, job } from './fake-runtime.ts';

const ALARM_ROW = rowContext({
  kind: 'alarm',
  key: { value: '12345', source: 'column', confidence: 'high' },
  alarmId: '12345',
});

let controller: AbortController;
let overlay: OverlayHost;
let runtime: ReturnType<typeof installFakeRuntime>;

function open(context: RowContext) {
  showPanel(
    overlay,
    {
      source: 'button',
      row: { context, otherColumnsNotShown: 0 },
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

beforeEach(() => {
  controller = new AbortController();
  overlay = createOverlayHost();
  runtime = installFakeRuntime((request) => {
    if (request.type === 'catalog.list')
      return {
        ok: true,
        data: { orchestrator: { id: 'demo', name: 'Demo orchestrator' }, actions: CATALOG },
      };
    if (request.type === 'run.start')
      return { ok: true, data: job((request as unknown as { context: RowContext }).context) };
    if (request.type === 'run.get') return { ok: true, data: job(ALARM_ROW) };
    return { ok: false, error: { code: 'bad_request', message: 'unhandled' } };
  });
});
afterEach(() => {
  controller.abort();
  overlay.dispose();
  runtime.uninstall();
});

describe('panel', () => {
  it.each([
    ['context-menu', 'Right-click a row of the grid, then choose Run SmartResponse.'],
    ['shortcut', 'Put the focus in a grid row (click a cell), then try again.'],
  ] as const)(
    'opened by %s on no row, says what to do instead of listing actions',
    async (source, notice) => {
      showPanel(overlay, { source, row: null, anchor: null, returnFocus: null }, controller.signal);
      await vi.waitFor(() => expect(text()).toContain(notice));
      expect(shadow().querySelectorAll('.action')).toHaveLength(0);
      expect(runtime.requests.map((r) => r.type)).not.toContain('catalog.list');
    },
  );

  it('names the row and lists the actions it can fill first, unavailable ones disabled with the reason', async () => {
    open(ALARM_ROW);
    await vi.waitFor(() => expect(text()).toContain('Where is this IP'));
    expect(shadow().querySelector('h2')!.textContent).toContain('Alarm 12345');
    const names = [...shadow().querySelectorAll('.action .name')].map((n) => n.textContent);
    expect(names).toEqual(['Block IP', 'Where is this IP', 'Look up file hash', 'Tampered action']);
    expect(text()).toContain('row lacks: Hash');
    expect(text()).toContain('needs approval (2 levels)');
    expect(text()).toContain('changes things');
    expect(button('Tampered action').disabled).toBe(true);
    expect(text()).toContain('plugin files changed since import');
  });

  it('prefills the form from the row, runs, and shows verdict chips by level and the output in the output frame', async () => {
    open(ALARM_ROW);
    await vi.waitFor(() => button('Where is this IP'));
    button('Where is this IP').click();
    await vi.waitFor(() => expect(shadow().querySelector('form')).not.toBeNull());
    const inputs = [...shadow().querySelectorAll('form input[type=text]')] as HTMLInputElement[];
    expect(inputs.map((i) => i.value)).toEqual(['10.1.2.3', 'en']);
    expect(text().match(/set by the orchestrator/g)).toHaveLength(2);
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(runtime.requests.some((r) => r.type === 'run.start')).toBe(true));
    const start = runtime.requests.find((r) => r.type === 'run.start') as unknown as {
      params: Record<string, string>;
    };
    expect(start.params).toEqual({ ip: '10.1.2.3', lang: 'en' });
    await vi.waitFor(() => expect(text()).toContain('Running'));

    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    runtime.push({
      type: 'job.update',
      job: job(ALARM_ROW, {
        status: 'succeeded',
        updatedAt: 5000,
        output: {
          stdout: hostile,
          stderr: '',
          exitCode: 0,
          truncated: true,
          data: { asn: { number: 15169, name: '<b>Google</b>' } },
          taxonomies: [
            { level: 'malicious', namespace: 'VT', predicate: 'score', value: '12/70' },
            { level: 'safe', namespace: 'Geo', predicate: 'country', value: 'US' },
          ],
        },
      }),
    });
    await vi.waitFor(() => expect(text()).toContain('Succeeded'));
    // The output is not drawn in the panel (even when a job arrives with it): the frame shows it.
    expect(text()).not.toContain('alert');
    expect(text()).not.toContain('Google');
    expect(shadow().querySelector('script, img, b, pre')).toBeNull();
    // The frame is created once the render with the verdict has been painted (output-frame.tsx).
    await vi.waitFor(() => expect(shadow().querySelector('iframe.output-frame')).not.toBeNull());
    const frame = shadow().querySelector<HTMLIFrameElement>('iframe.output-frame')!;
    const src = new URL(frame.getAttribute('src')!);
    expect(`${src.protocol}//${src.host}${src.pathname}`).toBe(
      'chrome-extension://gridside-test/src/pages/output-frame/index.html',
    );
    const fragment = new URLSearchParams(src.hash.slice(1));
    expect(fragment.get('job')).toBe('job-1');
    const view = fragment.get('view')!;
    expect(view).toMatch(/^[0-9a-f]{24}$/);
    const chips = [...shadow().querySelectorAll('.chip')];
    expect(chips.map((c) => c.getAttribute('data-level'))).toEqual(['malicious', 'safe']);
    expect(chips[0]!.textContent).toContain('malicious · VT:score = 12/70');
    expect(chips[0]!.querySelector('[aria-label=malicious]')).not.toBeNull();
    const state = JSON.parse(overlay.host.getAttribute('data-gridside-state')!);
    expect(state).toMatchObject({
      open: true,
      status: 'succeeded',
      verdicts: ['malicious', 'safe'],
      stdout: null,
    });

    // What the frame reports comes back through the worker, by the frame's view name: its height (capped)
    // and, in test builds, the accessor's summary; a report about another view changes nothing.
    runtime.push({ type: 'output.frame', view: 'someotherframe0', height: 77, summary: 'not this one' });
    // (Pushed again until it lands: the frame's listener starts with its first effect, after the render.)
    await vi.waitFor(() => {
      runtime.push({ type: 'output.frame', view, height: 180, summary: hostile });
      expect(frame.style.height).toBe('180px');
    });
    runtime.push({ type: 'output.frame', view, height: 5000 });
    await vi.waitFor(() => expect(frame.style.height).toBe('420px'));
    expect(JSON.parse(overlay.host.getAttribute('data-gridside-state')!).stdout).toBe(hostile);
    expect(text()).not.toContain('alert');

    // Escape pressed inside the frame closes the panel.
    runtime.push({ type: 'output.frame', view, key: 'Escape' });
    await vi.waitFor(() =>
      expect(JSON.parse(overlay.host.getAttribute('data-gridside-state')!).open).toBe(false),
    );
  });

  it('ignores pushes from anyone but this extension, and jobs of other runs', async () => {
    open(ALARM_ROW);
    await vi.waitFor(() => button('Where is this IP'));
    button('Where is this IP').click();
    await vi.waitFor(() => shadow().querySelector('form'));
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(text()).toContain('Running'));
    runtime.push(
      { type: 'job.update', job: job(ALARM_ROW, { status: 'failed', updatedAt: 9000 }) },
      'other-extension',
    );
    runtime.push({
      type: 'job.update',
      job: job(ALARM_ROW, { id: 'job-2', status: 'failed', updatedAt: 9000 }),
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(text()).toContain('Running');
    expect(text()).not.toContain('Failed');
  });

  /** The form of `action` on the alarm row, with a worker that holds the start's answer until asked to give it. */
  async function formWithStartHeld(action = 'Where is this IP') {
    let answerStart: (reply: unknown) => void = () => {};
    runtime.uninstall();
    runtime = installFakeRuntime((request) => {
      if (request.type === 'catalog.list')
        return {
          ok: true,
          data: { orchestrator: { id: 'demo', name: 'Demo orchestrator' }, actions: CATALOG },
        };
      if (request.type === 'run.start') return new Promise((resolve) => (answerStart = resolve));
      return { ok: false, error: { code: 'bad_request', message: 'unhandled' } };
    });
    open(ALARM_ROW);
    await vi.waitFor(() => button(action));
    button(action).click();
    await vi.waitFor(() => shadow().querySelector('form'));
    return (reply: unknown) => answerStart(reply);
  }

  /**
   * Runs "Where is this IP" from that form; returns when the start was sent, with the click's time and a
   * way to answer it.
   */
  async function runWithStartHeld() {
    const answerStart = await formWithStartHeld();
    const clicked = Date.now();
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(runtime.requests.some((r) => r.type === 'run.start')).toBe(true));
    return { clicked, answerStart };
  }

  /** A job for the values the form sends, created now (after the click), ended. */
  const ended = (over: Parameters<typeof job>[1] = {}) =>
    job(ALARM_ROW, {
      status: 'succeeded',
      params: { ip: '10.1.2.3', lang: 'en' },
      createdAt: Date.now(),
      updatedAt: Date.now() + 50,
      ...over,
    });

  it('shows the run its start asked for from the push, before the start is answered, and only that run', async () => {
    const { clicked, answerStart } = await runWithStartHeld();
    // Not the run asked for: other values, another action, another row, or a run from before the click.
    runtime.push({
      type: 'job.update',
      job: ended({ id: 'other-values', params: { ip: '10.9.9.9', lang: 'en' } }),
    });
    runtime.push({ type: 'job.update', job: ended({ id: 'other-action', actionId: 'hash/lookup' }) });
    runtime.push({ type: 'job.update', job: ended({ id: 'other-row', context: rowContext() }) });
    runtime.push({ type: 'job.update', job: ended({ id: 'earlier', createdAt: clicked - 60_000 }) });
    await new Promise((r) => setTimeout(r, 20));
    expect(text()).not.toContain('Succeeded');

    runtime.push({ type: 'job.update', job: ended({ id: 'asked' }) });
    await vi.waitFor(() => expect(text()).toContain('Succeeded'));
    expect(JSON.parse(overlay.host.getAttribute('data-gridside-state')!)).toMatchObject({
      status: 'succeeded',
    });

    // The start's answer, an earlier state of the same job, does not take the verdict back.
    answerStart({ ok: true, data: ended({ id: 'asked', status: 'running', updatedAt: clicked + 10 }) });
    await new Promise((r) => setTimeout(r, 20));
    expect(text()).toContain('Succeeded');
    expect(text()).not.toContain('Running');
  });

  it('shows only the error when the start is answered with one after its state was pushed', async () => {
    const { answerStart } = await runWithStartHeld();
    runtime.push({ type: 'job.update', job: ended() });
    await vi.waitFor(() => expect(text()).toContain('Succeeded'));
    answerStart({
      ok: false,
      error: {
        code: 'internal',
        message:
          'Where is this IP was started on the orchestrator (run run-1), but this browser could not save it.',
      },
    });
    await vi.waitFor(() => expect(text()).toContain('could not save it'));
    expect(text()).not.toContain('Succeeded');
    expect(JSON.parse(overlay.host.getAttribute('data-gridside-state')!)).toMatchObject({
      status: null,
      error: 'internal',
    });
  });

  /** What `ask` answers when the worker has not answered the start within its time. */
  const notAnswered = {
    ok: false,
    error: { code: 'timeout', message: 'The Gridside background did not answer in time.' },
  };

  it('keeps following a pushed run whose start the worker did not answer in time', async () => {
    const { answerStart } = await runWithStartHeld();
    runtime.push({ type: 'job.update', job: ended({ id: 'asked', status: 'running' }) });
    await vi.waitFor(() => expect(text()).toContain('Running'));
    answerStart(notAnswered);
    await new Promise((r) => setTimeout(r, 20));
    expect(text()).toContain('Running');
    expect(text()).not.toContain('did not answer');
    runtime.push({ type: 'job.update', job: ended({ id: 'asked', updatedAt: Date.now() + 500 }) });
    await vi.waitFor(() => expect(text()).toContain('Succeeded'));
  });

  it('says a start not answered in time may still run, and shows the run when it is pushed later', async () => {
    const { answerStart } = await runWithStartHeld();
    answerStart(notAnswered);
    await vi.waitFor(() => expect(text()).toContain('has not yet said whether this run started'));
    expect(text()).not.toContain('Failed');
    runtime.push({ type: 'job.update', job: ended({ id: 'asked' }) });
    await vi.waitFor(() => expect(text()).toContain('Succeeded'));
    expect(text()).not.toContain('has not yet said');
  });

  it('lets Try again start anew after a start not answered in time', async () => {
    const { answerStart } = await runWithStartHeld();
    answerStart(notAnswered);
    await vi.waitFor(() => button('Try again'));
    button('Try again').click();
    await vi.waitFor(() => expect(starts()).toHaveLength(2));
  });

  it('waits for a start longer than the worker may take to answer it', () => {
    // Every try of a start the worker sends again, and the pauses between them.
    const oneTry = CONNECTOR_REQUEST_TIMEOUT_MS + START_WAIT_SECONDS * 1000;
    let pauses = 0;
    for (let pause = DEFAULT_BACKOFF.firstMs, i = 1; i < START_ATTEMPTS; i++) {
      pauses += pause;
      pause = nextDelay(pause, DEFAULT_BACKOFF);
    }
    expect(START_ANSWER_TIMEOUT_MS).toBeGreaterThan(START_ATTEMPTS * oneTry + pauses);
  });

  it('keeps the form until the run has something to show, then the run view, and starts it once', async () => {
    const { answerStart } = await runWithStartHeld();
    // Within RUN_VIEW_AFTER_MS nothing is drawn: the form stays, and Run pressed again sends nothing.
    expect(shadow().querySelector('form')).not.toBeNull();
    expect(text()).not.toContain('Starting…');
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(text()).toContain('Starting…'));
    expect(shadow().querySelector('form')).toBeNull();
    expect(runtime.requests.filter((r) => r.type === 'run.start')).toHaveLength(1);
    answerStart({ ok: true, data: ended({ id: 'asked', status: 'running' }) });
    await vi.waitFor(() => expect(text()).toContain('Running'));
  });

  it('goes from the form straight to the verdict when the run ends within RUN_VIEW_AFTER_MS', async () => {
    const drawn: string[] = [];
    const watcher = new MutationObserver(() => drawn.push(text()));
    watcher.observe(shadow(), { subtree: true, childList: true, characterData: true });
    const { answerStart } = await runWithStartHeld();
    await new Promise((r) => setTimeout(r, RUN_VIEW_AFTER_MS / 2));
    answerStart({ ok: true, data: ended({ id: 'asked' }) });
    await vi.waitFor(() => expect(text()).toContain('Succeeded'));
    watcher.disconnect();
    expect(drawn.some((shown) => shown.includes('Starting…'))).toBe(false);
  });

  it('leaves a view the analyst moved to while the start was on its way', async () => {
    const { answerStart } = await runWithStartHeld();
    // Back to the list, and the same action chosen again: a new form, which the old start must not replace.
    button('Back').click();
    await vi.waitFor(() => button('Where is this IP'));
    button('Where is this IP').click();
    await vi.waitFor(() => expect(shadow().querySelector('form')).not.toBeNull());
    runtime.push({ type: 'job.update', job: ended({ id: 'asked' }) });
    answerStart({ ok: true, data: ended({ id: 'asked' }) });
    await new Promise((r) => setTimeout(r, RUN_VIEW_AFTER_MS + 20));
    expect(shadow().querySelector('form')).not.toBeNull();
    expect(text()).not.toContain('Succeeded');
  });

  const starts = () => runtime.requests.filter((r) => r.type === 'run.start');
  const runButton = () => shadow().querySelector<HTMLButtonElement>('form button[type="submit"]')!;
  const press = () =>
    runButton().dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, button: 0, isPrimary: true }));
  /** The release, and the click that follows it in the same task when the release is on the button. */
  const release = (onRun: boolean) => {
    runButton().dispatchEvent(new PointerEvent('pointerup', { bubbles: true, composed: true }));
    if (onRun) runButton().click();
  };

  it('sends a read-only lookup on the press of Run and shows its answer only at the click, at once', async () => {
    const answerStart = await formWithStartHeld();
    press();
    await vi.waitFor(() => expect(starts()).toHaveLength(1));
    expect(starts()[0]).toMatchObject({ actionId: 'geo/ip', params: { ip: '10.1.2.3', lang: 'en' } });
    // The answer comes while the button is still held: nothing is shown before the click.
    answerStart({ ok: true, data: ended({ id: 'asked' }) });
    runtime.push({ type: 'job.update', job: ended({ id: 'asked' }) });
    await new Promise((r) => setTimeout(r, RUN_VIEW_AFTER_MS + 20));
    expect(shadow().querySelector('form')).not.toBeNull();
    expect(text()).not.toContain('Succeeded');
    expect(text()).not.toContain('Starting…');

    release(true);
    // The click shows the verdict at its next render, long before the run view's time, and sends no
    // second start.
    await vi.waitFor(() => expect(text()).toContain('Succeeded'), {
      timeout: RUN_VIEW_AFTER_MS / 2,
      interval: 1,
    });
    expect(starts()).toHaveLength(1);
  });

  it('shows a pressed run from its push when the click comes before the start is answered', async () => {
    const answerStart = await formWithStartHeld();
    press();
    await vi.waitFor(() => expect(starts()).toHaveLength(1));
    runtime.push({ type: 'job.update', job: ended({ id: 'asked', status: 'running' }) });
    await new Promise((r) => setTimeout(r, 20));
    expect(text()).not.toContain('Running');
    release(true);
    await vi.waitFor(() => expect(text()).toContain('Running'), {
      timeout: RUN_VIEW_AFTER_MS / 2,
      interval: 1,
    });
    answerStart({ ok: true, data: ended({ id: 'asked' }) });
    await vi.waitFor(() => expect(text()).toContain('Succeeded'));
    expect(starts()).toHaveLength(1);
  });

  it('leaves the run of a press released off Run to the history, and starts anew at the next click', async () => {
    const answerStart = await formWithStartHeld();
    press();
    await vi.waitFor(() => expect(starts()).toHaveLength(1));
    release(false);
    answerStart({ ok: true, data: ended({ id: 'pressed' }) });
    await new Promise((r) => setTimeout(r, RUN_VIEW_AFTER_MS + 20));
    expect(shadow().querySelector('form')).not.toBeNull();
    expect(text()).not.toContain('Succeeded');

    runButton().click();
    await vi.waitFor(() => expect(starts()).toHaveLength(2));
  });

  it('starts a pressed lookup anew when its values changed before the click', async () => {
    const answerStart = await formWithStartHeld();
    press();
    await vi.waitFor(() => expect(starts()).toHaveLength(1));
    const ip = shadow().querySelector<HTMLInputElement>('#gs-param-0')!;
    ip.value = '10.9.9.9';
    ip.dispatchEvent(new Event('input', { bubbles: true }));
    answerStart({ ok: true, data: ended({ id: 'pressed' }) });
    release(true);
    await vi.waitFor(() => expect(starts()).toHaveLength(2));
    expect(starts()[1]).toMatchObject({ params: { ip: '10.9.9.9' } });
    expect(text()).not.toContain('Succeeded');
  });

  it('starts nothing on the press for an action that changes things, or a form missing a value', async () => {
    await formWithStartHeld('Block IP');
    press();
    await new Promise((r) => setTimeout(r, 20));
    expect(starts()).toHaveLength(0);

    button('Back').click();
    await vi.waitFor(() => button('Where is this IP'));
    button('Where is this IP').click();
    await vi.waitFor(() => shadow().querySelector('form'));
    const ip = shadow().querySelector<HTMLInputElement>('#gs-param-0')!;
    ip.value = '';
    ip.dispatchEvent(new Event('input', { bubbles: true }));
    press();
    await new Promise((r) => setTimeout(r, 20));
    expect(starts()).toHaveLength(0);
  });

  it('confirms actions that change things, with the exact values and a check for a weakly identified row', async () => {
    open(rowContext()); // content-hash key: low confidence
    await vi.waitFor(() => button('Block IP'));
    button('Block IP').click();
    await vi.waitFor(() => shadow().querySelector('form'));
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(text()).toContain('It will run with exactly these values'));
    expect(shadow().querySelector('.sent')!.textContent).toBe('IP to block = 10.1.2.3');
    expect(text()).toContain('could not be identified reliably');
    const run = button('Run Block IP');
    expect(run.disabled).toBe(true);
    run.click();
    expect(runtime.requests.some((r) => r.type === 'run.start')).toBe(false);
    (shadow().querySelector('input[type=checkbox]') as HTMLInputElement).click();
    await vi.waitFor(() => expect(button('Run Block IP').disabled).toBe(false));
    button('Run Block IP').click();
    await vi.waitFor(() => expect(runtime.requests.some((r) => r.type === 'run.start')).toBe(true));
  });

  /** The form of Block IP on an alarm row, with `ip` typed into it. */
  async function blockIpForm(ip: string) {
    open(ALARM_ROW);
    await vi.waitFor(() => button('Block IP'));
    button('Block IP').click();
    await vi.waitFor(() => shadow().querySelector('form'));
    const input = shadow().querySelector<HTMLInputElement>('#gs-param-0')!;
    input.value = ip;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  async function toConfirmation() {
    shadow()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(text()).toContain('It will run with exactly these values'));
  }

  it('starts the confirmation on the values, and lets no held key act on it', async () => {
    await blockIpForm('10.1.2.3');
    await toConfirmation();
    await vi.waitFor(() => expect(shadow().activeElement?.classList.contains('sent')).toBe(true));
    const run = button('Run Block IP');
    const keydown = (repeat: boolean) => {
      const event = new KeyboardEvent('keydown', { key: 'Enter', repeat, bubbles: true, cancelable: true });
      run.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(keydown(true)).toBe(true);
    expect(keydown(false)).toBe(false);
  });

  it('shows characters that do not show on screen as code points where values are checked, and sends them as they are', async () => {
    const spoofed = '\u202E3.2.1.01\u200B';
    await blockIpForm(spoofed);
    await vi.waitFor(() => expect(text()).toContain('holds characters that do not show: U+202E, U+200B'));
    await toConfirmation();
    const sent = shadow().querySelector('.sent')!;
    expect(sent.textContent).toBe('IP to block = ⟨U+202E⟩3.2.1.01⟨U+200B⟩');
    expect(sent.querySelector('bdi')).not.toBeNull();
    expect(text()).toContain('do not show on screen (U+202E, U+200B)');
    button('Run Block IP').click();
    await vi.waitFor(() => expect(starts()).toHaveLength(1));
    expect((starts()[0] as unknown as { params: Record<string, string> }).params).toEqual({ ip: spoofed });
  });

  it('shows a failed request in plain words and stays usable', async () => {
    runtime.uninstall();
    runtime = installFakeRuntime(() => ({
      ok: false,
      error: {
        code: 'unreachable',
        message: 'The orchestrator at https://orch.example did not answer.',
        hint: 'Check it is running.',
      },
    }));
    open(ALARM_ROW);
    await vi.waitFor(() => expect(text()).toContain('did not answer'));
    expect(text()).toContain('Check it is running.');
    expect(button('Try again').disabled).toBe(false);
  });
});

describe('background channel', () => {
  it('answers a request the background never answers with a timeout message instead of hanging', async () => {
    runtime.uninstall();
    (globalThis as { chrome?: unknown }).chrome = {
      runtime: {
        id: 'x',
        sendMessage: () => new Promise(() => {}),
        onMessage: { addListener() {}, removeListener() {} },
      },
    };
    const reply = await ask({ type: 'run.get', jobId: 'j' }, 30);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'timeout', message: 'The Gridside background did not answer in time.' },
    });
  });
});
