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
function section(name: string, of = text): [string, string][] {
  const body =
    of
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

const DROP_IN = readFileSync(path.join(ROOT, 'deploy/run-as.conf'), 'utf8');
/** The last value the drop-in gives a key: the one systemd keeps. */
const dropIn = (key: string): string | undefined =>
  section('Service', DROP_IN)
    .filter(([k]) => k === key)
    .at(-1)?.[1];

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

  it('with the run-as drop-in, lets the orchestrator find and stop what plugins leave behind', () => {
    const caps = dropIn('CapabilityBoundingSet')!.split(/\s+/).sort();
    // Change user, signal that user's processes, and read their environment in /proc (the sweep): both
    // CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH are needed for that, and nothing more.
    expect(caps).toEqual(['CAP_DAC_READ_SEARCH', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SYS_PTRACE']);
    // The ptrace system call stays blocked: the sweep reads /proc, it never attaches.
    expect(dropIn('SystemCallFilter')).toMatch(/~.*@debug/);
    // The base unit's invisible /proc would hide the plugin account's processes; a read-only cgroup tree
    // would give runs no cgroup.
    expect(value('ProtectProc')).toBe('invisible');
    expect(dropIn('ProtectProc')).toBe('ptraceable');
    expect(value('ProtectControlGroups')).toBe('yes');
    expect(dropIn('ProtectControlGroups')).toBe('no');
    expect(dropIn('Delegate')).toBe('yes');
  });

  it('with the run-as drop-in, lets the plugin account reach the extracted .lpi packages and nothing else there', () => {
    // 0700 would stop the plugin account at the data folder; 0711 lets it through without listing it.
    expect(value('StateDirectoryMode')).toBe('0700');
    expect(dropIn('StateDirectoryMode')).toBe('0711');
    // Extracted packages take the process's umask; the database is made 0600 by the orchestrator itself.
    expect(value('UMask')).toBe('0077');
    expect(dropIn('UMask')).toBe('0022');
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
        writeFileSync(unit, `${text.replace('/usr/bin/node ', `${process.execPath} `)}\n${DROP_IN}`);
        const withDropIn = spawnSync(systemdAnalyze!, ['verify', unit], { encoding: 'utf8', cwd: dir });
        expect(withDropIn.stderr.trim()).toBe('');
        expect(withDropIn.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
