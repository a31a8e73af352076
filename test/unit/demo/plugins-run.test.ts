import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DirectoryUser, KnownFile, PublicIp, ThreatIp } from '../../../demo/generator/dataset-types.ts';
import { HOSTILE_SAMPLES } from '../../../demo/generator/hostile.ts';
import { DATA_DIR, lastReport, runPlugin, verdict } from './run-plugin.ts';

const read = <T>(name: string): T => JSON.parse(readFileSync(join(DATA_DIR, name), 'utf8')) as T;
const threats = read<ThreatIp[]>('threat-ips.json');
const publicIps = read<PublicIp[]>('public-ips.json');
const files = read<KnownFile[]>('file-hashes.json');
const users = read<DirectoryUser[]>('users.json');
const API_KEY = 'test-feed-key-5c2e9d';
const scratch = mkdtempSync(join(tmpdir(), 'gridside-demo-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('ip-reputation', () => {
  const c2 = threats.find((t) => t.category === 'c2' && t.confidence >= 70)!;
  const scanner = threats.find((t) => t.category === 'scanner')!;

  it('calls a listed C2 address malicious and says why', async () => {
    const run = await runPlugin('ip-reputation', ['-ip', c2.ip, '-apikey', API_KEY]);
    expect(run.code).toBe(0);
    expect(verdict(run.stdout, 'IPRep')).toEqual({
      level: 'malicious',
      namespace: 'Gridside',
      predicate: 'IPRep',
      value: `c2 (${c2.confidence})`,
    });
  });

  it('calls a listed scanner suspicious, an unlisted public address safe, a private one info', async () => {
    const good = publicIps.find((p) => p.service !== '')!;
    const [bad, clean, internal] = await Promise.all([
      runPlugin('ip-reputation', ['-ip', scanner.ip, '-apikey', API_KEY]),
      runPlugin('ip-reputation', ['-ip', good.ip, '-apikey', API_KEY]),
      runPlugin('ip-reputation', ['-ip', '10.10.0.10', '-apikey', API_KEY]),
    ]);
    expect(verdict(bad.stdout, 'IPRep')?.level).toBe('suspicious');
    expect(verdict(clean.stdout, 'IPRep')).toMatchObject({ level: 'safe', value: 'not listed' });
    expect(verdict(internal.stdout, 'IPRep')?.level).toBe('info');
  });

  it('fails clearly without the API key, and never prints the key', async () => {
    const missing = await runPlugin('ip-reputation', ['-ip', c2.ip]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/no API key given \(-apikey\)/);
    const given = await runPlugin('ip-reputation', ['-ip', c2.ip, '-apikey', API_KEY]);
    expect(given.stdout + given.stderr).not.toContain(API_KEY);
  });

  it('refuses bad input with exit 2 and does not echo the value', async () => {
    const cases = [
      ['-ip', '<img src=x onerror=alert(1)>', '-apikey', API_KEY],
      ['-ip', c2.ip, '-apikey', API_KEY, '-ip', '8.8.8.8'],
      ['-ip'],
      ['--ip', c2.ip, '-apikey', API_KEY],
      [c2.ip],
    ];
    const runs = await Promise.all(cases.map((args) => runPlugin('ip-reputation', args)));
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^ip-reputation: /);
      expect(run.stderr).not.toContain('<img');
    }
  });
});

describe('hash-reputation', () => {
  it('finds known files by any digest, in either case', async () => {
    const suspicious = files.find((f) => f.verdict === 'suspicious')!;
    const clean = files.find((f) => f.verdict === 'clean')!;
    const eicar = files.find((f) => f.family === 'EICAR-Test-File')!;
    const [bad, odd, good, unknown] = await Promise.all([
      runPlugin('hash-reputation', ['-hash', eicar.md5.toUpperCase(), '-apikey', API_KEY]),
      runPlugin('hash-reputation', ['-hash', suspicious.sha256, '-apikey', API_KEY]),
      runPlugin('hash-reputation', ['-hash', clean.sha1, '-apikey', API_KEY]),
      runPlugin('hash-reputation', ['-hash', 'f'.repeat(64), '-apikey', API_KEY]),
    ]);
    expect(verdict(bad.stdout, 'HashRep')).toMatchObject({
      level: 'malicious',
      value: `malicious (${eicar.detections})`,
    });
    expect(verdict(bad.stdout, 'Family')?.value).toBe('EICAR-Test-File');
    expect(verdict(odd.stdout, 'HashRep')?.level).toBe('suspicious');
    expect(verdict(good.stdout, 'HashRep')?.level).toBe('safe');
    expect(verdict(unknown.stdout, 'HashRep')).toMatchObject({ level: 'info', value: 'unknown' });
  });

  it('refuses something that is not a digest', async () => {
    const run = await runPlugin('hash-reputation', ['-hash', 'not-a-hash; rm -rf /', '-apikey', API_KEY]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not an MD5, SHA-1 or SHA-256/);
  });
});

describe('asset-owner', () => {
  it('returns owner and criticality by FQDN, short name or IP', async () => {
    const [byFqdn, byName, byIp] = await Promise.all([
      runPlugin('asset-owner', ['-target', 'dc01.corp.example.com']),
      runPlugin('asset-owner', ['-target', 'DC01']),
      runPlugin('asset-owner', ['-target', '10.10.0.10']),
    ]);
    for (const run of [byFqdn, byName, byIp]) {
      expect(run.code).toBe(0);
      expect(verdict(run.stdout, 'Criticality')).toMatchObject({ level: 'malicious', value: 'critical' });
      expect(lastReport(run.stdout).full.fqdn).toBe('dc01.corp.example.com');
    }
    const owner = users.find((u) => u.login === lastReport(byFqdn.stdout).full.owner)!;
    expect(verdict(byFqdn.stdout, 'Owner')?.value).toBe(`${owner.display_name} (${owner.login})`);
  });

  it('says when a host is not in the CMDB, and refuses markup', async () => {
    const [unknown, hostile] = await Promise.all([
      runPlugin('asset-owner', ['-target', 'nas-99.corp.example.com']),
      runPlugin('asset-owner', ['-target', '"><svg/onload=alert(1)>']),
    ]);
    expect(verdict(unknown.stdout, 'Asset')).toMatchObject({ level: 'info', value: 'not in CMDB' });
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).not.toContain('<svg');
  });
});

describe('user-lookup and disable-account', () => {
  const person = users.find((u) => u.account_type === 'user' && u.enabled && u.groups.length === 2)!;
  const admin = users.find((u) => u.groups.includes('Domain Admins'))!;
  const stateFile = join(scratch, 'state', 'disabled.json');

  it('finds a user written as user, DOMAIN\\user or user@domain', async () => {
    const runs = await Promise.all(
      [person.login, `CORP\\${person.login}`, person.upn].map((user) =>
        runPlugin('user-lookup', ['-user', user]),
      ),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(verdict(run.stdout, 'User')).toMatchObject({
        level: 'safe',
        value: `${person.display_name} (${person.department})`,
      });
    }
  });

  it('flags privileged accounts, and says when nobody matches', async () => {
    const [priv, nobody, hostile] = await Promise.all([
      runPlugin('user-lookup', ['-user', admin.login]),
      runPlugin('user-lookup', ['-user', 'no.such.user']),
      runPlugin('user-lookup', ['-user', "jsmith'; DROP TABLE users;--"]),
    ]);
    expect(verdict(priv.stdout, 'Privilege')?.level).toBe('suspicious');
    expect(verdict(nobody.stdout, 'User')).toMatchObject({ level: 'info', value: 'not in directory' });
    expect(hostile.code).toBe(2);
  });

  it('disables an account in the state file only; user-lookup then shows it disabled', async () => {
    const dataBefore = createHash('sha256')
      .update(readFileSync(join(DATA_DIR, 'users.json')))
      .digest('hex');
    const disable = await runPlugin('disable-account', ['-account', person.upn, '-statefile', stateFile]);
    expect(disable.code).toBe(0);
    expect(verdict(disable.stdout, 'Account')?.value).toBe(`${person.login} disabled`);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).accounts[person.login].disabled).toBe(true);
    const lookup = await runPlugin('user-lookup', ['-user', person.login, '-statefile', stateFile]);
    expect(verdict(lookup.stdout, 'Status')).toMatchObject({ level: 'suspicious', value: 'disabled' });
    const again = await runPlugin('disable-account', ['-account', person.login, '-statefile', stateFile]);
    expect(lastReport(again.stdout).full).toMatchObject({ changed: false, already_disabled: true });
    const dataAfter = createHash('sha256')
      .update(readFileSync(join(DATA_DIR, 'users.json')))
      .digest('hex');
    expect(dataAfter).toBe(dataBefore);
  });

  it('takes the state file from the environment when no parameter is given', async () => {
    const envFile = join(scratch, 'env-state.json');
    const run = await runPlugin('disable-account', ['-revoke-sessions', '-account', admin.login], {
      env: { GRIDSIDE_DEMO_STATE_FILE: envFile },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(envFile, 'utf8')).accounts[admin.login]).toMatchObject({
      disabled: true,
      sessions_revoked: true,
    });
  });

  it('changes nothing for an unknown account', async () => {
    const file = join(scratch, 'untouched.json');
    const run = await runPlugin('disable-account', ['-account', 'ghost.user', '-statefile', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(existsSync(file)).toBe(false);
  });
});

describe('echo-row', () => {
  it('receives every hostile value verbatim, one argument each', async () => {
    const args = HOSTILE_SAMPLES.flatMap((s) => [`-${s.field.toLowerCase()}`, s.value]);
    const run = await runPlugin('echo-row', args);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ argv: args });
  });
});

describe('slow-scan', () => {
  it('prints progress, then the report on the last line', async () => {
    const run = await runPlugin('slow-scan', ['-target', '203.0.113.5', '-seconds', '1']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('progress 1/1: summary 203.0.113.5');
    expect(JSON.parse(lines.at(-1)!)).toEqual(lastReport(run.stdout));
    expect(verdict(run.stdout, 'OpenPorts')).toBeDefined();
  });

  it('stops when canceled and says so', async () => {
    const run = await runPlugin('slow-scan', ['-target', '203.0.113.5', '-seconds', '30'], {
      onStdout: (text, child) => {
        if (text.includes('progress 1/30')) child.kill('SIGTERM');
      },
    });
    expect(run.code).toBe(143);
    expect(run.stderr).toMatch(/canceled \(SIGTERM\)/);
    expect(run.stdout).not.toContain('summary');
  });

  it('refuses a duration out of range', async () => {
    const run = await runPlugin('slow-scan', ['-target', '203.0.113.5', '-seconds', '0']);
    expect(run.code).toBe(2);
  });
});
