// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Taxonomy } from '../../../src/core/api.ts';
import { VerdictChips } from '../../../src/ui/verdict-chips.tsx';

const container = document.createElement('div');
document.body.append(container);
afterEach(() => render(null, container));

describe('VerdictChips (the panel and the history page)', () => {
  it('says each level in words and gives its icon a spoken label, not colour alone', () => {
    const taxonomies: Taxonomy[] = [
      { level: 'malicious', namespace: 'Gridside', predicate: 'IPRep', value: 'c2 (95)' },
      { level: 'safe', namespace: 'Geo', predicate: 'Country', value: 'NL' },
    ];
    render(<VerdictChips taxonomies={taxonomies} />, container);
    expect(container.querySelector('ul')!.getAttribute('aria-label')).toBe('Verdicts');
    const chips = [...container.querySelectorAll('li')];
    expect(chips.map((chip) => chip.dataset.level)).toEqual(['malicious', 'safe']);
    expect(chips.map((chip) => chip.querySelector('[role="img"]')!.getAttribute('aria-label'))).toEqual([
      'malicious',
      'safe',
    ]);
    expect(chips[0]!.textContent).toBe('✖ malicious · Gridside:IPRep = c2 (95)');
  });

  it('reads a level it does not know as info, and draws nothing for no verdicts', () => {
    const odd = { level: 'catastrophic', namespace: 'X', predicate: 'Y', value: 'z' } as unknown as Taxonomy;
    render(<VerdictChips taxonomies={[odd]} />, container);
    expect(container.querySelector('li')!.dataset.level).toBe('info');
    render(<VerdictChips taxonomies={[]} />, container);
    expect(container.querySelector('ul')).toBeNull();
  });

  it('renders a hostile value as text', () => {
    const hostile = {
      level: 'info',
      namespace: 'N',
      predicate: 'P',
      value: '<img src=x onerror=alert(1)>',
    } as Taxonomy;
    render(<VerdictChips taxonomies={[hostile]} />, container);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
