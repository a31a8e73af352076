import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * deploy/gridside-orchestrator.service: hardened as the deploy guide promises, and accepted by systemd
 * itself (`systemd-analyze verify`, which also warns about unknown or malformed settings) where that
 * tool is installed.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const UNIT = path.join(ROOT, 'deploy/gridside-orchestrator.service');
const text = readFileSync(UNIT, 'utf8');

/** `Key=value` lines of a section, continuation lines joined; a key may repeat. */
function section(name: string): [string, string][] {
  const body =
    text
      .replace(/\\\n\s*/g, ' ')
      .split(/^\[/m)
      .find((part) => part.startsWith(`${name}]`)) ?? '';
  return body
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
    });
}
const service = section('Service');
const value = (key: string): string | undefined => service.find(([k]) => k === key)?.[1];

const systemdAnalyze = (() => {
  const found = spawnSync('which', ['systemd-analyze'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
})();

describe('the systemd unit', () => {
  it('runs as a dedicated unprivileged account with no capabilities', () => {
    expect(value('User')).toBe('gridside');
    expect(value('Group')).toBe('gridside');
    expect(value('NoNewPrivileges')).toBe('yes');
    expect(value('CapabilityBoundingSet')).toBe('');
    expect(value('AmbientCapabilities')).toBe('');
    expect(value('RestrictSUIDSGID')).toBe('yes');
  });

  it('sees a read-only system with its data folder alone writable, and a private /tmp', () => {
    expect(value('ProtectSystem')).toBe('strict');
    expect(value('ProtectHome')).toBe('yes');
    expect(value('PrivateTmp')).toBe('yes');
    expect(value('ReadWritePaths')).toBe('/var/lib/gridside');
    const exec = value('ExecStart')!;
    expect(exec).toMatch(/--data-dir \/var\/lib\/gridside(\s|$)/);
    // The plugins and the config are outside the writable folder: the service cannot change them.
    expect(exec).toMatch(/--plugins \/etc\/gridside\/plugins/);
    expect(exec).toMatch(/--config \/etc\/gridside\/orchestrator\.json/);
  });

  it('starts the installed bin with Node alone and restarts on failure', () => {
    const bin = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    ).bin['gridside-orchestrator'];
    expect(value('ExecStart')).toMatch(new RegExp(`^/usr/bin/node /opt/gridside/${bin} serve `));
    expect(value('ExecStart')).not.toMatch(/tsx|--insecure-http/);
    expect(value('Restart')).toBe('on-failure');
    expect(value('KillMode')).toBe('mixed');
  });

  it.skipIf(!systemdAnalyze)(
    `passes systemd-analyze verify without a warning${systemdAnalyze ? '' : ' (skipped: systemd-analyze is not installed on this machine)'}`,
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'gridside-unit-'));
      try {
        // verify checks that ExecStart's program exists: point it at this machine's Node.
        const unit = path.join(dir, 'gridside-orchestrator.service');
        writeFileSync(unit, text.replace('/usr/bin/node ', `${process.execPath} `));
        const result = spawnSync(systemdAnalyze!, ['verify', unit], { encoding: 'utf8', cwd: dir });
        expect(result.stderr.trim()).toBe('');
        expect(result.status).toBe(0);
        // The same check does catch a malformed setting.
        writeFileSync(unit, text.replace('ProtectSystem=strict', 'ProtectSystem=everything'));
        const broken = spawnSync(systemdAnalyze!, ['verify', unit], { encoding: 'utf8', cwd: dir });
        expect(broken.stderr).toMatch(/ProtectSystem|protect system/i);
        // The optional run-as drop-in, read after the unit as systemd would, is accepted too.
        const dropIn = readFileSync(path.join(ROOT, 'deploy/run-as.conf'), 'utf8');
        writeFileSync(unit, `${text.replace('/usr/bin/node ', `${process.execPath} `)}\n${dropIn}`);
        const withDropIn = spawnSync(systemdAnalyze!, ['verify', unit], { encoding: 'utf8', cwd: dir });
        expect(withDropIn.stderr.trim()).toBe('');
        expect(withDropIn.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
