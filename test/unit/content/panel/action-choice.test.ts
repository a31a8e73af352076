import { describe, expect, it } from 'vitest';
import {
  missingRequired,
  paramsToSend,
  prefillParams,
  rankActions,
  suggestionsFor,
} from '../../../../src/content/panel/action-choice.ts';
import { placePanel } from '../../../../src/content/panel/placement.ts';
import { BLOCK_IP, CATALOG, GEO_IP, HASH_LOOKUP, rowContext } from './catalog-fixture.ts';

describe('which actions fit the row', () => {
  it('lists actions the row can fill first, then those it lacks fields for, then unavailable ones', () => {
    const ranked = rankActions(CATALOG, rowContext());
    expect(ranked.map((f) => f.action.id)).toEqual(['fw/block', 'geo/ip', 'hashes/lookup', 'old/thing']);
    expect(ranked.find((f) => f.action === HASH_LOOKUP)!.lacks).toEqual(['Hash']);
  });

  it('filters on plugin name, action name and description', () => {
    expect(rankActions(CATALOG, rowContext(), 'asn').map((f) => f.action.id)).toEqual(['geo/ip']);
    expect(rankActions(CATALOG, rowContext(), 'FIREWALL').map((f) => f.action.id)).toEqual(['fw/block']);
  });
});

describe('parameter form', () => {
  it('prefills field bindings from the row and static defaults as given; hides secrets and constants', () => {
    expect(prefillParams(GEO_IP, rowContext())).toEqual({ ip: '10.1.2.3', lang: 'en' });
    expect(prefillParams(HASH_LOOKUP, rowContext())).toEqual({ hash: '' });
  });

  it('sends only the editable values that are set', () => {
    expect(
      paramsToSend(GEO_IP, { ip: '10.9.9.9', lang: '', apikey: 'leak', server: 'x', mode: 'slow' }),
    ).toEqual({ ip: '10.9.9.9' });
    expect(missingRequired(BLOCK_IP, { ip: '  ' }).map((p) => p.id)).toEqual(['ip']);
  });

  it('suggests the row’s other values of the same observable type', () => {
    const suggestions = suggestionsFor(GEO_IP.params[0]!, rowContext());
    expect(suggestions).toContain('8.8.8.8');
    expect(suggestions).toContain('10.1.2.3');
    expect(suggestions).not.toContain('alice');
    expect(suggestionsFor(GEO_IP.params[1]!, rowContext())).toContain('hello'); // untyped: every value
  });
});

describe('panel placement', () => {
  const viewport = { width: 1000, height: 800 };
  const size = { width: 440, height: 300 };
  it('goes below the row, right-aligned with it', () => {
    expect(placePanel({ top: 100, bottom: 130, left: 0, right: 900 }, size, viewport)).toEqual({
      x: 460,
      y: 134,
    });
  });
  it('flips above a row near the bottom and stays inside the viewport', () => {
    const { x, y } = placePanel({ top: 700, bottom: 730, left: 0, right: 200 }, size, viewport);
    expect(y).toBe(396);
    expect(x).toBe(8);
  });
});
