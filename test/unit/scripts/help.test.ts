import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

// Every command a user may start: the scripts and the orchestrator's own command line.
const commands = [
  ...readdirSync(path.join(ROOT, 'scripts'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `scripts/${name}`),
  'src/orchestrator/main.ts',
  'src/orchestrator/audit-verify.ts',
  'src/orchestrator/cli.ts',
  'src/orchestrator/backup-command.ts',
];

describe('--help', () => {
  it('finds the scripts', () => {
    expect(commands).toContain('scripts/test.ts');
    expect(commands.length).toBeGreaterThan(10);
  });

  it.concurrent.each(commands)(
    '%s prints its usage and exits 0, doing nothing else',
    async (command) => {
      const { stdout } = await promisify(execFile)(TSX, [command, '--help'], { cwd: ROOT, timeout: 60_000 });
      expect(stdout).toMatch(/^usage: /);
      // The usage and nothing more: no build, server or test run started before it.
      expect(stdout.trim().split('\n').length).toBeLessThan(20);
    },
    90_000,
  );
});
