import { describe, expect, it } from 'vitest';
import { csvCell, historyCsv } from '../../../../src/background/history/history-csv.ts';
import { toJob } from '../../../../src/background/jobs/job-record.ts';
import { storedJob } from './job-fixtures.ts';

/** RFC 4180 reader, enough to read back what `historyCsv` writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('history as CSV', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('')).toBe('');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    for (const hostile of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1']) {
      expect(csvCell(hostile).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes one row per run that reads back to the same values, hostile log data included', () => {
    const hostile = storedJob({
      id: 'x1',
      stdout: '=cmd|\' /C calc\'!A0\r\n"quoted", and more',
      taxonomies: [{ level: 'suspicious', namespace: 'Rep', predicate: 'Score', value: '55' }],
    });
    hostile.context.fields.User = '@evil';
    const text = historyCsv([toJob(hostile), toJob(storedJob({ id: 'x2' }))]);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, first, second] = parseCsv(text);
    expect(header).toContain('stdout');
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(first?.[column('id')]).toBe('x1');
    expect(first?.[column('stdout')]).toBe("'=cmd|' /C calc'!A0\r\n\"quoted\", and more");
    expect(first?.[column('verdicts')]).toBe('suspicious Rep:Score=55');
    expect(JSON.parse(first?.[column('fields')] ?? '{}').User).toBe('@evil');
    expect(second?.[column('status')]).toBe('succeeded');
    expect(first).toHaveLength(header?.length ?? 0);
  });
});
