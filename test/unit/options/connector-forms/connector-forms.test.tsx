// @vitest-environment jsdom
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookOptionsSchema } from '../../../../src/core/engines/webhook-options.ts';
import { OrchestratorKindSchema } from '../../../../src/core/settings.ts';
import { connectorOptionsForm } from '../../../../src/options/connector-forms/index.ts';

let host: HTMLElement | undefined;
afterEach(() => {
  if (!host) return;
  render(null, host);
  host.remove();
  host = undefined;
});

function mount(kind: Parameters<typeof connectorOptionsForm>[0], value: Record<string, unknown> = {}) {
  const el = document.createElement('div');
  document.body.append(el);
  host = el;
  const changes: Record<string, unknown>[] = [];
  let current = value;
  const draw = () => {
    const Form = connectorOptionsForm(kind)!;
    render(
      h(Form, {
        value: current,
        onChange: (next) => {
          changes.push(next);
          current = next;
          draw();
        },
      }),
      el,
    );
  };
  act(draw);
  return { changes, current: () => current };
}

function type(el: HTMLInputElement | HTMLTextAreaElement, text: string) {
  act(() => {
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('connector option forms', () => {
  it('has a form for every engine kind except the Gridside orchestrator', () => {
    for (const kind of OrchestratorKindSchema.options) {
      expect(connectorOptionsForm(kind) === null, kind).toBe(kind === 'gridside');
    }
  });

  it('Cortex: choosing TLP and force stores numbers and booleans the connector schema accepts', () => {
    const form = mount('cortex');
    const tlp = host!.querySelector<HTMLSelectElement>('select[name="tlp"]')!;
    act(() => {
      tlp.value = '3';
      tlp.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const force = host!.querySelector<HTMLInputElement>('input[name="force"]')!;
    act(() => force.click());
    expect(form.current()).toEqual({ tlp: 3, force: true });
    expect(host!.textContent).toContain('Options are valid.');
  });

  it('JSON fields refuse invalid JSON and schema mismatches in words, keeping the stored value', () => {
    const form = mount('stackstorm', { mapping: { 'enrich.ip': { ip: 'SIP' } } });
    const area = host!.querySelector<HTMLTextAreaElement>('textarea[name="mapping"]')!;
    type(area, '{ "enrich.ip": { "ip": ');
    expect(host!.querySelector('[role="alert"]')?.textContent).toMatch(/Not valid JSON/);
    type(area, '{ "enrich.ip": { "ip": 4 } }');
    expect(host!.querySelector('[role="alert"]')?.textContent).toMatch(/enrich\.ip\.ip/);
    expect(form.changes).toHaveLength(0);
    type(area, '{ "enrich.ip": { "ip": "DIP" } }');
    expect(form.current()).toEqual({ mapping: { 'enrich.ip': { ip: 'DIP' } } });
  });

  it('Webhook: every preset adds an action the webhook connector accepts, with unique ids', () => {
    const form = mount('webhook');
    const buttons = [...host!.querySelectorAll<HTMLButtonElement>('.gs-presets button')];
    expect(buttons.map((b) => b.textContent)).toEqual([
      'Add Tines action',
      'Add n8n action',
      'Add Shuffle action',
      'Add Logic Apps action',
    ]);
    for (const b of buttons) act(() => b.click());
    act(() => buttons[0]!.click());
    const parsed = WebhookOptionsSchema.parse(form.current());
    expect(parsed.actions.map((a) => a.id)).toEqual([
      'tines-enrich',
      'n8n-enrich',
      'shuffle-enrich',
      'logic-app-enrich',
      'tines-enrich-2',
    ]);
    // The editor shows what was added.
    expect(host!.querySelector<HTMLTextAreaElement>('textarea[name="actions"]')!.value).toContain(
      'shuffle-enrich',
    );
  });

  it('LogRhythm: the comment limit is validated against the connector schema', () => {
    mount('logrhythm');
    const limit = host!.querySelector<HTMLInputElement>('input[name="commentMaxChars"]')!;
    type(limit, '5');
    expect(host!.textContent).toMatch(/commentMaxChars is not accepted/);
  });
});
