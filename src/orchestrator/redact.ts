import type { RunOutput } from '../core/api.ts';
import { parseReport } from './report.ts';

/**
 * Configured values are blanked out of whatever a plugin prints, in the form it printed them: as they are,
 * or inside JSON, where an encoder escapes characters (`"` and `\` always; PowerShell's ConvertTo-Json
 * also ' < > & as `\u0027`…, Python every non-ASCII character, PHP `/` as `\/`). A secret counts as
 * printed wherever the text spells it character by character, each character as itself or in any escape
 * JSON allows, so every mix of escapes is caught and the JSON parsed from redacted output holds no secret.
 */

const REDACTED = '[redacted]';

/** JSON's two-character escapes. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** The most characters one UTF-16 unit of a secret takes when printed: `\uXXXX`. */
const LONGEST_SPELLING = 6;

/** How one UTF-16 unit of a secret can be printed: as itself, by its short escape, as `\u` and hex. */
function spellings(unit: string): string[] {
  const hex = `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const short = SHORT_ESCAPES[unit];
  return short === undefined ? [unit, hex] : [unit, short, hex];
}

/**
 * Whether the text at `at` is `spelling` ('whole'), or ends while it still could be ('begun'). The hex
 * digits of a `\uXXXX` escape may be either case.
 */
function spelledAt(text: string, at: number, spelling: string): 'whole' | 'begun' | undefined {
  const piece = text.slice(at, at + spelling.length);
  const comparable = spelling.length === LONGEST_SPELLING ? piece.toLowerCase() : piece;
  if (comparable === spelling) return 'whole';
  return at + piece.length === text.length && spelling.startsWith(comparable) ? 'begun' : undefined;
}

/**
 * Where a spelling of `secret` that starts at `at` ends (the longest, when escapes allow several), or
 * 'begun' when the text ends while it could still be one: the start of a secret whose rest is not there.
 * Every way of spelling it is followed at once, unit by unit, so a long secret costs no deep recursion.
 */
export function secretAt(text: string, at: number, secret: string): number | 'begun' | undefined {
  let ends = new Set([at]);
  let begun = false;
  for (let index = 0; index < secret.length && ends.size > 0; index++) {
    const next = new Set<number>();
    for (const end of ends) {
      for (const spelling of spellings(secret.charAt(index))) {
        const found = spelledAt(text, end, spelling);
        if (found === 'whole') next.add(end + spelling.length);
        else if (found === 'begun') begun = true;
      }
    }
    ends = next;
  }
  if (ends.size > 0) return Math.max(...ends);
  return begun ? 'begun' : undefined;
}

/** How far back from the end of a text a secret that is only begun there can start. */
export function longestSpelling(secrets: readonly string[]): number {
  return Math.max(0, ...secrets.map((secret) => secret.length)) * LONGEST_SPELLING;
}

function redactOne(text: string, secret: string): string {
  // Every escape starts with a backslash: without one in the text, only the secret as it is can be there.
  if (!text.includes('\\')) return text.split(secret).join(REDACTED);
  // Most places fail on the secret's first character: checked alone before the whole secret is followed.
  const first = spellings(secret.charAt(0));
  let out = '';
  let from = 0;
  for (let at = 0; at < text.length; at++) {
    if (text[at] !== secret[0] && text[at] !== '\\') continue;
    if (!first.some((spelling) => spelledAt(text, at, spelling) === 'whole')) continue;
    const end = secretAt(text, at, secret);
    if (typeof end !== 'number') continue;
    out += `${text.slice(from, at)}${REDACTED}`;
    from = end;
    at = end - 1;
  }
  return out + text.slice(from);
}

/**
 * The encoded forms shorter than this are not looked for: a handful of base64 letters turns up by
 * coincidence in any hash or token a plugin prints.
 */
const SHORTEST_ENCODED_FORM = 6;

/**
 * The characters base64 spells from the secret's bytes alone, when the secret starts `offset` bytes into
 * the data encoded (0, 1 or 2: base64 works in groups of three bytes, so an `Authorization: Basic`
 * header encodes `user:password` with the password at the offset the user name's length gives). The
 * letters at either end that also carry bits of the neighbouring bytes are left out, as they depend on
 * what surrounds the secret.
 */
function base64Inside(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

/**
 * Each secret with the forms a plugin that encodes it prints: base64 in both alphabets at each of the
 * three offsets, and percent-encoding as a URL's path or query carries it (hex in either case, a space
 * as `+` in a form body). What is kept out of output, the audit trail and recovered output is this list,
 * so a secret a plugin sends in a Basic header or a query string and echoes in its debug output is
 * blanked as the secret itself is.
 */
export function withEncodedForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    const bytes = Buffer.from(secret, 'utf8');
    for (const offset of [0, 1, 2]) {
      const base64 = base64Inside(bytes, offset);
      forms.add(base64);
      forms.add(base64.replaceAll('+', '-').replaceAll('/', '_'));
    }
    const percent = encodeURIComponent(secret);
    forms.add(percent);
    forms.add(percent.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    forms.add(new URLSearchParams({ v: secret }).toString().slice('v='.length));
  }
  return [...forms].filter((form) => secrets.includes(form) || form.length >= SHORTEST_ENCODED_FORM);
}

/** Replaces every spelling of a secret value; longest first so overlapping secrets vanish whole. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    out = redactOne(out, secret);
  }
  return out;
}

/**
 * Masks the end of a stream the output cap cut, where the start of a secret could be (its last
 * `longestSpelling(secrets) - 1` characters), whatever that end holds: the rest of a secret cut there was
 * dropped with the rest of the output, so no whole secret is there to redact. Masking it only where it
 * begins a secret would answer a question: a caller who can place a guess at the cut (a plugin that
 * echoes a value the caller sends) would learn from the marker whether the guess begins a secret, one
 * character per run. A cut inside a marker moves to the marker's start.
 */
function maskCutEnd(text: string, secrets: readonly string[]): string {
  const reach = longestSpelling(secrets) - 1;
  if (reach <= 0) return text;
  let at = Math.max(0, text.length - reach);
  const marker = text.lastIndexOf(REDACTED, at);
  if (marker >= 0 && marker + REDACTED.length > at) at = marker;
  return `${text.slice(0, at)}${REDACTED}`;
}

/** Which of a run's streams the output cap cut. */
export type CutStreams = Record<'stdout' | 'stderr', boolean>;

/**
 * A run's output as it is stored and shown: both streams redacted (and the end of a stream the cap cut
 * masked), then stdout parsed as a report. Without `cut`, every stream of a truncated run counts as cut.
 */
export function redactedOutput(
  printed: { stdout: string; stderr: string; exitCode: number | null; truncated: boolean; cut?: CutStreams },
  secrets: readonly string[],
): RunOutput {
  const clean = (stream: keyof CutStreams): string => {
    const redacted = redactSecrets(printed[stream], secrets);
    const wasCut = printed.cut ? printed.cut[stream] : printed.truncated;
    return wasCut ? maskCutEnd(redacted, secrets) : redacted;
  };
  const stdout = clean('stdout');
  return {
    stdout,
    stderr: clean('stderr'),
    exitCode: printed.exitCode,
    truncated: printed.truncated,
    ...parseReport(stdout),
  };
}
