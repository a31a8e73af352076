// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import {
  catalog,
  chosen,
  job,
  opening,
  pivotFrom,
  step,
  values,
} from '../../../../src/content/panel/panel-state.ts';
import { pivotChoices, pivotName } from '../../../../src/content/panel/pivot-binding.ts';
import { PivotChips } from '../../../../src/content/panel/pivot-chips.tsx';
import type { Action } from '../../../../src/core/api.ts';
import type { Job } from '../../../../src/core/messages.ts';
import { sampleAction, sampleContext } from '../../background/fake-orchestrator.ts';

const container = document.createElement('div');
document.body.append(container);
afterEach(() => render(null, container));

const param = (id: string, field: string) => ({
  ...sampleAction().params[0]!,
  id,
  name: field,
  default: { field },
});
const onSip = sampleAction({
  id: 'abuse/ip:SIP',
  name: 'Abuse Finder on SIP',
  params: [param('data', 'SIP')],
});
const onDip = sampleAction({
  id: 'abuse/ip:DIP',
  name: 'Abuse Finder on DIP',
  params: [param('data', 'DIP')],
});
const onHost = sampleAction({
  id: 'dns/resolve',
  plugin: { id: 'dns', name: 'DNS' },
  name: 'Resolve host',
  params: [param('user', 'Login'), param('host', 'DHostName')],
});
const unavailable = sampleAction({ id: 'whois/off', name: 'Off', available: false });
const ACTIONS: Action[] = [onSip, onDip, onHost, unavailable];

describe('which actions take an observable from a result', () => {
  it('binds an IP to the parameter bound to an IP field, once per plugin run, never to unavailable actions', () => {
    const choices = pivotChoices(ACTIONS, { type: 'ip', value: '8.8.4.4' });
    expect(choices.map((c) => [c.action.id, c.param.id])).toEqual([['abuse/ip:SIP', 'data']]);
    expect(pivotName(choices[0]!)).toBe('Abuse Finder');
  });

  it('binds a domain to a host parameter, and offers nothing for a type no parameter takes', () => {
    expect(pivotChoices(ACTIONS, { type: 'domain', value: 'dns.google' }).map((c) => c.param.id)).toEqual([
      'host',
    ]);
    expect(pivotChoices(ACTIONS, { type: 'hash', value: 'd41d8cd98f00b204e9800998ecf8427e' })).toEqual([]);
  });
});

describe('PivotChips', () => {
  it('shows typed chips as text, and picking an action opens its form with the value, tied to the job', async () => {
    const first = { id: 'job-1', actionName: 'Abuse Finder on SIP' } as Job;
    opening.value = { row: { context: sampleContext } } as never;
    catalog.value = {
      status: 'ready',
      data: { orchestrator: { id: 'c', name: 'Cortex' }, actions: ACTIONS },
    };
    job.value = first;
    const hostile = '<img src=x onerror=alert(1)>.example.com';
    render(
      <PivotChips
        observables={[
          { type: 'ip', value: '8.8.4.4' },
          { type: 'domain', value: hostile },
        ]}
      />,
      container,
    );
    const chips = [...container.querySelectorAll<HTMLButtonElement>('.pivot-chip')];
    expect(chips.map((c) => c.textContent)).toEqual(['IP 8.8.4.4', `Domain ${hostile}`]);
    expect(container.querySelector('img')).toBeNull();

    const rendered = () => new Promise((resolve) => setTimeout(resolve, 0));
    chips[1]!.click();
    await rendered();
    expect(container.querySelector('.pivot-action .name')?.textContent).toBe('Resolve host');
    chips[0]!.click();
    await rendered();
    const actions = [...container.querySelectorAll<HTMLButtonElement>('.pivot-action')];
    expect(actions.map((a) => a.querySelector('.name')?.textContent)).toEqual(['Abuse Finder']);
    actions[0]!.click();
    expect(chosen.value?.id).toBe('abuse/ip:SIP');
    expect(values.value.data).toBe('8.8.4.4');
    expect(pivotFrom.value).toBe(first);
    expect(step.value).toBe('form');
  });
});
