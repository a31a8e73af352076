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

describe("the orchestrator's usage lines", () => {
  const help = async (...args: string[]) =>
    (await promisify(execFile)(TSX, [...args, '--help'], { cwd: ROOT, timeout: 60_000 })).stdout;

  // An installed copy (docs/deploy.md) has no src/ and no npm scripts: its usage must name the command itself.
  it.concurrent.each([
    ['audit-verify', 'usage: gridside-orchestrator audit-verify --db FILE'],
    ['serve', 'usage: gridside-orchestrator serve --plugins DIR --config FILE'],
    ['backup', 'usage: gridside-orchestrator backup --db FILE --to FILE'],
    ['sign', 'usage: gridside-orchestrator sign --key FILE'],
    ['keygen', 'usage: gridside-orchestrator keygen --out PREFIX'],
  ])(
    'names gridside-orchestrator %s when the installed command starts it',
    async (command, usage) => {
      const stdout = await help('src/orchestrator/cli.ts', command);
      expect(stdout.startsWith(usage)).toBe(true);
      expect(stdout).not.toMatch(/npm run/);
    },
    90_000,
  );

  it.concurrent('names the npm script when a checkout runs the module directly', async () => {
    expect(await help('src/orchestrator/audit-verify.ts')).toMatch(
      /^usage: npm run audit:verify -- --db FILE/,
    );
    expect(await help('src/orchestrator/main.ts')).toMatch(/^usage: npm run orchestrator -- --plugins DIR/);
  }, 90_000);

  it.concurrent('lists every command of the installed command', async () => {
    const stdout = await help('src/orchestrator/cli.ts');
    for (const command of ['serve', 'backup', 'audit-verify', 'sign', 'keygen'])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  }, 90_000);
});
