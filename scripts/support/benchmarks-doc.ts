import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'docs',
  'benchmarks.md',
);
const NEW_FILE =
  '# Benchmarks\n\nFigures measured by the scripts in `scripts/`; each section says how to reproduce it.\n';

/**
 * Puts a benchmark's section (`text`, starting with its `heading` line) into docs/benchmarks.md: it
 * replaces the section with exactly that heading, up to the next `## ` heading, or is appended. Other
 * sections are left alone; a heading that only begins the same ("## Orchestrator" and "## Orchestrator at
 * scale") is another section.
 */
export function writeBenchmarkSection(heading: string, text: string, file = BENCHMARKS): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : NEW_FILE;
  const lines = current.split('\n');
  const start = lines.findIndex((line) => line.trimEnd() === heading);
  let next: string;
  if (start === -1) next = `${current.trimEnd()}\n\n${text}`;
  else {
    const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
    const before = lines.slice(0, start).join('\n');
    const after = end === -1 ? '' : `\n\n${lines.slice(end).join('\n')}`;
    next = `${before}${start > 0 ? '\n' : ''}${text.trimEnd()}${after}`;
  }
  writeFileSync(file, `${next.trimEnd()}\n`);
}
