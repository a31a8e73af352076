import type { ObservableType } from './field-types.ts';
import { detectObservableType } from './observables.ts';

/**
 * The observables a run's result names (a Cortex report's artifacts, addresses and hashes in a plugin's
 * JSON or text), so the analyst can pivot to another action on one without leaving the grid. Pure and
 * bounded: hostile or huge output costs a fixed amount of work and yields at most MAX_RESULT_OBSERVABLES.
 */

/** The types worth pivoting on; dates, numbers and free text are not. */
export const PIVOT_TYPES = ['ip', 'domain', 'hash', 'url'] as const satisfies readonly ObservableType[];
export type PivotType = (typeof PIVOT_TYPES)[number];

export interface ResultObservable {
  type: PivotType;
  value: string;
}

export const MAX_RESULT_OBSERVABLES = 50;
/** Longest value taken as an observable (a URL can be long; anything longer is not worth a chip). */
export const MAX_OBSERVABLE_VALUE_CHARS = 2048;
/** How much of the output is looked at: strings visited in JSON, characters of text. */
const MAX_JSON_STRINGS = 5_000;
const MAX_TEXT_CHARS = 256 * 1024;
const MAX_JSON_DEPTH = 20;

const isPivotType = (type: string): type is PivotType => (PIVOT_TYPES as readonly string[]).includes(type);

/** Collects typed, de-duplicated observables up to the limit, skipping values the run was given. */
class Collector {
  readonly found: ResultObservable[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly skip: ReadonlySet<string>) {}

  get full(): boolean {
    return this.found.length >= MAX_RESULT_OBSERVABLES;
  }

  add(type: string, raw: string): void {
    const value = raw.trim();
    if (this.full || !isPivotType(type) || value === '' || value.length > MAX_OBSERVABLE_VALUE_CHARS) return;
    if (this.skip.has(value)) return;
    const key = `${type}\u0000${value.toLowerCase()}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.found.push({ type, value });
  }

  /** A value classified on its own (a whole JSON string, or one word of text). */
  addDetected(raw: string): void {
    const value = raw.trim();
    if (value.length > MAX_OBSERVABLE_VALUE_CHARS) return;
    const type = detectObservableType(value);
    if (type === 'domain' && looksLikeFileName(value)) return;
    this.add(type, value);
  }
}

/**
 * Output names files far more often than domains under these endings (`report.json`, `dropper.exe`); a
 * guessed domain with one of them is left out. Cortex artifacts are typed by Cortex and not guessed.
 */
const FILE_ENDINGS = new Set(
  'bat bin cfg cmd conf csv dat dll doc docx exe gz htm html ini jar jpg js json log msi pdf png ps1 py rar sh sys tar tmp ts txt vbs xls xlsx xml yaml yml zip'.split(
    ' ',
  ),
);

function looksLikeFileName(value: string): boolean {
  return FILE_ENDINGS.has(value.slice(value.lastIndexOf('.') + 1).toLowerCase());
}

/** Cortex data types → the field model's observable types; the rest (filename, mail, other…) are not pivots. */
const CORTEX_TYPE: Record<string, PivotType> = {
  ip: 'ip',
  domain: 'domain',
  fqdn: 'domain',
  url: 'url',
  hash: 'hash',
};

/** A Cortex report's `artifacts: [{ dataType, data }]`; entries of other shapes are ignored. */
export function observablesOfArtifacts(
  artifacts: readonly unknown[],
  given: Iterable<string> = [],
): ResultObservable[] {
  const out = new Collector(new Set(given));
  for (const artifact of artifacts) {
    if (out.full) break;
    if (typeof artifact !== 'object' || artifact === null) continue;
    const { dataType, data } = artifact as { dataType?: unknown; data?: unknown };
    if (typeof dataType !== 'string' || typeof data !== 'string') continue;
    const type = CORTEX_TYPE[dataType];
    // Trust Cortex's type only when the value agrees with it (an "ip" artifact that is not an address is noise).
    if (type && (type === 'domain' || detectObservableType(data) === type)) out.add(type, data);
  }
  return out.found;
}

/** Words of text that could be observables: split on whitespace and the punctuation that wraps them. */
const TOKEN_SPLIT = /[\s"'`<>()[\]{},;|]+/;

function walkJson(value: unknown, out: Collector, depth: number, budget: { strings: number }): void {
  if (out.full || depth > MAX_JSON_DEPTH || budget.strings <= 0) return;
  if (typeof value === 'string') {
    budget.strings -= 1;
    if (detectObservableType(value) !== 'text') out.addDetected(value);
    else if (value.length <= MAX_TEXT_CHARS) textTokens(value, out);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walkJson(item, out, depth + 1, budget);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) walkJson(item, out, depth + 1, budget);
  }
}

function textTokens(text: string, out: Collector): void {
  for (const token of text.slice(0, MAX_TEXT_CHARS).split(TOKEN_SPLIT)) {
    if (out.full) return;
    // A sentence's full stop or colon is not part of the address before it.
    const word = token.replace(/[.:]+$/, '');
    if (word.length >= 4) out.addDetected(word);
  }
}

/**
 * Observables in a plugin's output: strings of its JSON (`data`), then words of its text. `given` are the
 * values the run was started with: the result restating its own input is not something new to pivot to.
 */
export function observablesOfOutput(
  output: { stdout: string; data?: unknown },
  given: Iterable<string> = [],
): ResultObservable[] {
  const out = new Collector(new Set(given));
  if (output.data !== undefined && output.data !== null)
    walkJson(output.data, out, 0, { strings: MAX_JSON_STRINGS });
  if (!out.full) textTokens(output.stdout, out);
  return out.found;
}
