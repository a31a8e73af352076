import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeByScript } from '../../../scripts/bench-memory/heap-snapshot.ts';

/** Two functions cut from a real snapshot of the demo console with Gridside (see its README). */
const FIXTURE = path.join(import.meta.dirname, '../../fixtures/heap/code-owners.heapsnapshot');
const AG_GRID = 'http://127.0.0.1:8080/vendor/ag-grid-community/ag-grid-community.min.js';
const GRIDSIDE = 'chrome-extension://gridsideextensionidfortestsonly/content/gridside.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gridside-heap-snapshot-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compiled code by script, from a heap snapshot', () => {
  it('puts each function’s feedback, bytecode and machine code under the script it came from', () => {
    // newAgStackInstance: FeedbackVector 44 + Code 72 + InstructionStream 256 + BytecodeArray 72 + its two
    // byte tables 20 + 24. watchGrid: 60 + 72 + 256 + 72 + 24 + 24. Closures, shared infos, scripts and
    // feedback cells are not compiled code and count for no one.
    expect(codeByScript(FIXTURE)).toEqual(
      new Map([
        [AG_GRID, 488],
        [GRIDSIDE, 508],
      ]),
    );
  });

  it('counts code no function holds under "?", not under a script', () => {
    const snap = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const fields: string[] = snap.snapshot.meta.node_fields;
    const row = fields.map(() => 0);
    row[fields.indexOf('type')] = snap.snapshot.meta.node_types[0].indexOf('code');
    row[fields.indexOf('name')] = snap.strings.indexOf('system / InstructionStream');
    row[fields.indexOf('self_size')] = 1000;
    row[fields.indexOf('id')] = 999_999;
    snap.nodes.push(...row);
    const file = path.join(dir, 'orphan.heapsnapshot');
    writeFileSync(file, JSON.stringify(snap));

    const bytes = codeByScript(file);
    expect(bytes.get('?')).toBe(1000);
    expect(bytes.get(GRIDSIDE)).toBe(508);
  });
});
