import type { ComponentChildren } from 'preact';

/**
 * A value from a log row shown as exactly what will be sent. Log data can hold characters that change how
 * a value looks without being seen: a right-to-left override makes `\u202Enimda-niamod` read as
 * "domain-admin", a zero-width space splits a user name invisibly, a line break hides the rest. Where an
 * analyst checks values before consenting to a run (the panel's form and confirm step, the approver's card
 * in the popup and the approval window, the history's run detail), each such character is drawn as its code
 * point (⟨U+202E⟩) and the value is isolated from the text around it, so it reads as it is sent. Approvers'
 * comments are shown the same way, except that their line breaks break the line: a comment is prose an
 * approver typed in a text area, not a value sent to a plugin.
 */

/** Unicode format characters (bidi controls, zero-width characters, tags), controls, line and paragraph separators. */
const HIDDEN = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}]/gu;

export const hasHiddenCharacters = (value: string): boolean => value.search(HIDDEN) >= 0;

const codePoint = (char: string): string =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The distinct hidden characters of `value`, as code points, in order of appearance. */
export function hiddenCodePoints(value: string): string[] {
  return [...new Set(Array.from(value.matchAll(HIDDEN), (match) => codePoint(match[0])))];
}

/** A line break as a textarea writes it (`\r\n` or `\n`), kept in prose. */
const LINE_BREAK = /^\r?\n/;

export function ShownValue({ value, prose = false }: { value: string; prose?: boolean }) {
  const parts: ComponentChildren[] = [];
  let from = 0;
  for (const match of value.matchAll(HIDDEN)) {
    if (match.index < from) continue;
    if (match.index > from) parts.push(value.slice(from, match.index));
    const lineBreak = prose ? LINE_BREAK.exec(value.slice(match.index, match.index + 2)) : null;
    parts.push(
      lineBreak ? (
        <br key={match.index} />
      ) : (
        <span class="hidden-char" key={match.index}>
          ⟨{codePoint(match[0])}⟩
        </span>
      ),
    );
    from = match.index + (lineBreak ? lineBreak[0].length : match[0].length);
  }
  if (from < value.length) parts.push(value.slice(from));
  return <bdi>{parts}</bdi>;
}

/** Said once under values that hold hidden characters. */
export function HiddenCharactersNote({ values }: { values: string[] }) {
  const found = [...new Set(values.flatMap(hiddenCodePoints))];
  if (found.length === 0) return null;
  return (
    <p class="warning" role="alert">
      These values hold characters that do not show on screen ({found.join(', ')}), drawn here as ⟨U+…⟩. They
      are sent as they are: check the row if you did not expect them.
    </p>
  );
}
