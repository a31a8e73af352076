// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../src/core/messages.ts';
import { HiddenCharactersNote, ShownValue } from '../../../src/ui/shown-value.tsx';
import { sampleRun } from '../background/fake-orchestrator.ts';
import { storedJob } from '../background/history/job-fixtures.ts';

// The history page and the panel reach the worker through these; nothing here sends anything.
vi.mock('webextension-polyfill', () => ({ default: { runtime: { sendMessage: async () => ({}) } } }));

const { JobDetail } = await import('../../../src/history/job-detail.tsx');
const { RunView } = await import('../../../src/content/panel/run-view.tsx');
const panel = await import('../../../src/content/panel/panel-state.ts');

/** Reads "domain-admin" where shown as plain text; it is the account name reversed. */
const SPOOFED = '\u202Enimda-niamod';

const container = document.createElement('div');
document.body.append(container);
afterEach(() => {
  render(null, container);
  panel.job.value = null;
});

describe('ShownValue (the confirm step, the approver, the history)', () => {
  it('draws each hidden character as its code point, in a <bdi>, and warns once', () => {
    render(
      <>
        <ShownValue value={SPOOFED} />
        <HiddenCharactersNote values={[SPOOFED, 'plain']} />
      </>,
      container,
    );
    const bdi = container.querySelector('bdi')!;
    expect(bdi.textContent).toBe('⟨U+202E⟩nimda-niamod');
    expect(bdi.textContent).not.toContain('\u202E');
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('(U+202E)');
  });
});

describe("the panel's approval lines", () => {
  it("isolates an approver's comment and shows its hidden characters", () => {
    const run = sampleRun({
      status: 'pending_approval',
      approvals: [
        { level: 1, status: 'approved', by: 'erin', at: null, comment: `ok for ${SPOOFED}` },
        { level: 2, status: 'denied', by: 'sam', at: null, comment: 'not \u200Bthis one' },
        { level: 3, status: 'pending', by: null, at: null, comment: null },
      ],
    });
    panel.job.value = { ...storedJob({ id: 'j' }), status: 'pending_approval', run } as unknown as Job;
    render(<RunView />, container);
    const lines = [...container.querySelectorAll('ul.approvals li')];
    expect(lines.map((li) => li.textContent)).toEqual([
      'Level 1: approved by erin — “ok for ⟨U+202E⟩nimda-niamod”',
      'Level 2: denied by sam — “not ⟨U+200B⟩this one”',
      'Level 3: pending',
    ]);
    expect(lines[0]!.querySelector('bdi')!.textContent).toBe('ok for ⟨U+202E⟩nimda-niamod');
  });

  it("breaks the line where an approver's comment does, and still shows a lone carriage return", () => {
    const run = sampleRun({
      status: 'pending_approval',
      approvals: [
        {
          level: 1,
          status: 'approved',
          by: 'erin',
          at: null,
          comment: 'ticket INC-1\r\nhost isolated\nok\rnext',
        },
      ],
    });
    panel.job.value = { ...storedJob({ id: 'j' }), status: 'pending_approval', run } as unknown as Job;
    render(<RunView />, container);
    const bdi = container.querySelector('ul.approvals li bdi')!;
    expect(bdi.querySelectorAll('br').length).toBe(2);
    expect(bdi.textContent).toBe('ticket INC-1host isolatedok⟨U+000D⟩next');
  });
});

describe("the history's run detail", () => {
  it('shows parameters and row fields with their hidden characters', () => {
    const job = storedJob({ id: 'j', user: SPOOFED }) as unknown as Job;
    job.params = { 'target-account': SPOOFED };
    render(<JobDetail job={job} />, container);
    const cells = [...container.querySelectorAll('table.pairs td')].map((td) => td.textContent);
    expect(cells).toContain('⟨U+202E⟩nimda-niamod');
    expect(container.textContent).not.toContain('\u202E');
    expect(container.querySelectorAll('table.pairs td bdi').length).toBe(cells.length);
  });
});
