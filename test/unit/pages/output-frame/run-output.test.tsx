// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOutput } from '../../../../src/core/api.ts';
import { RunOutputView } from '../../../../src/pages/output-frame/run-output.tsx';

const container = document.createElement('div');
document.body.append(container);
afterEach(() => render(null, container));

const output = (stdout: string, data?: unknown): RunOutput => ({
  stdout,
  stderr: '',
  exitCode: 0,
  truncated: false,
  taxonomies: [{ level: 'malicious', namespace: 'Gridside', predicate: 'IPRep', value: 'c2 (95)' }],
  ...(data === undefined ? {} : { data }),
});

describe('RunOutputView', () => {
  it('shows a report plugin’s JSON as an open tree and keeps the raw text folded away', () => {
    const report = { summary: { taxonomies: [] }, full: { ip: '203.0.113.9', category: 'c2' } };
    render(<RunOutputView output={output(JSON.stringify(report), report.full)} />, container);
    const [data, raw] = [...container.querySelectorAll(':scope .output > details')] as HTMLDetailsElement[];
    expect(data!.querySelector('summary')!.textContent).toBe('Data');
    expect(data!.open).toBe(true);
    expect(raw!.querySelector('summary')!.textContent).toBe('Raw output');
    expect(raw!.open).toBe(false);
    expect(raw!.querySelector('pre')!.textContent).toBe(JSON.stringify(report));
  });

  it('shows plain text output as text, with any data folded', () => {
    render(<RunOutputView output={output('progress 50%\n{"done":true}', { done: true })} />, container);
    expect(container.querySelector(':scope .output > pre')!.textContent).toBe('progress 50%\n{"done":true}');
    const data = container.querySelector<HTMLDetailsElement>(':scope .output > details')!;
    expect(data.open).toBe(false);
    expect(container.textContent).not.toContain('Raw output');
  });
});
