import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { actionId, actionParamIds, pluginId } from '../../../src/core/srp/ids.ts';
import { parseActionsXml } from '../../../src/core/srp/parse.ts';
import { loadConfigFile } from '../../../src/orchestrator/config.ts';
import { PLUGINS_DIR } from './run-plugin.ts';

const folders = readdirSync(PLUGINS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name);
const xmlOf = (folder: string): string => readFileSync(join(PLUGINS_DIR, folder, 'actions.xml'), 'utf8');
const CONFIG = join(PLUGINS_DIR, '..', 'orchestrator.config.json');

describe('demo plugin packages', () => {
  it('has the eight plugins', () => {
    expect(folders.sort()).toEqual(
      [
        'asset-owner',
        'disable-account',
        'echo-row',
        'geoip-asn',
        'hash-reputation',
        'ip-reputation',
        'slow-scan',
        'user-lookup',
      ].sort(),
    );
  });

  it.each(folders)('%s/actions.xml is well-formed XML in the remv1 namespace', (folder) => {
    const parser = new SaxesParser({ xmlns: true });
    const roots: string[] = [];
    parser.on('opentag', (tag) => {
      if (roots.length === 0) roots.push(`${tag.uri} ${tag.local}`);
    });
    parser.write(xmlOf(folder)).close();
    expect(roots).toEqual(['RemediationVersion1.xsd Remediation-Plugin']);
  });

  it.each(folders)('%s parses as an SRP whose actions run its own script with node', (folder) => {
    const plugin = parseActionsXml(xmlOf(folder));
    expect(plugin.version).toBe(1);
    expect(plugin.actions.length).toBeGreaterThan(0);
    for (const action of plugin.actions) {
      expect(action.command).toBe('node');
      const first = action.params[0]!;
      expect(first).toMatchObject({ kind: 'constant', switch: `${folder}.mjs`, order: '1' });
      // Every value a script takes is introduced by a switch with a trailing space ("-ip "), so the
      // orchestrator passes it as its own argument.
      for (const param of action.params.slice(1)) {
        if (param.kind === 'string') expect(param.switch).toMatch(/^-[a-z-]+ $/);
      }
    }
  });

  it('binds row fields by default and keeps an API key encrypted', () => {
    const plugins = folders.map((folder) => parseActionsXml(xmlOf(folder)));
    const params = plugins.flatMap((p) => p.actions.flatMap((a) => a.params));
    const bound = new Set<string>(
      params.flatMap((p) =>
        p.kind === 'string' && p.default && 'field' in p.default ? [p.default.field] : [],
      ),
    );
    for (const field of [
      'SIP',
      'DIP',
      'SHostName',
      'DHostName',
      'Login',
      'Account',
      'URL',
      'Process',
      'Object',
    ]) {
      expect(bound.has(field), field).toBe(true);
    }
    const encrypted = params.filter((p) => p.kind === 'string' && p.encrypted);
    expect(encrypted.map((p) => p.name)).toContain('Threat Feed API Key');
  });

  it('echo-row binds every field it is meant to echo', () => {
    const [action] = parseActionsXml(xmlOf('echo-row')).actions;
    const fields = action!.params.flatMap((p) =>
      p.kind === 'string' && p.default && 'field' in p.default ? [p.default.field] : [],
    );
    expect(fields).toEqual([
      'SIP',
      'DIP',
      'SHostName',
      'DHostName',
      'Login',
      'URL',
      'Account',
      'Process',
      'Object',
      'Subject',
      'Hash',
    ]);
  });

  it('ships the same argument parser in every plugin', () => {
    const master = readFileSync(join(PLUGINS_DIR, '_shared', 'srp-args.mjs'), 'utf8');
    for (const folder of folders.filter((f) => f !== 'echo-row')) {
      expect(readFileSync(join(PLUGINS_DIR, folder, 'srp-args.mjs'), 'utf8'), folder).toBe(master);
    }
  });
});

describe('demo orchestrator config', () => {
  const config = loadConfigFile(CONFIG);
  const catalog = new Map<string, string[]>();
  for (const folder of folders) {
    const plugin = parseActionsXml(xmlOf(folder));
    for (const action of plugin.actions)
      catalog.set(actionId(plugin.name, action.name), actionParamIds(action));
  }

  it('names only actions and parameters that exist', () => {
    for (const [id, settings] of Object.entries(config.actions)) {
      expect(catalog.has(id), id).toBe(true);
      for (const param of Object.keys(settings.params))
        expect(catalog.get(id), `${id} ${param}`).toContain(param);
    }
    const pluginIds = new Set(folders.map((f) => pluginId(parseActionsXml(xmlOf(f)).name)));
    for (const id of Object.keys(config.plugins)) expect(pluginIds.has(id), id).toBe(true);
  });

  it('has an analyst, two approvers and an admin', () => {
    const roles = config.tokens.map((t) => t.roles.join(','));
    expect(roles.filter((r) => r === 'approver')).toHaveLength(2);
    expect(roles).toContain('analyst');
    expect(roles).toContain('admin');
  });

  it('makes disabling an account wait for one approval, and the revoke variant for two', () => {
    const disable = config.actions['gridside-demo-disable-account/disable-account-user-impacted'];
    const revoke =
      config.actions['gridside-demo-disable-account/disable-account-and-revoke-sessions-user-origin'];
    expect(disable).toMatchObject({ sideEffects: true, approval: { levels: 1 } });
    expect(revoke).toMatchObject({ sideEffects: true, approval: { levels: 2 } });
  });

  it('fills every encrypted parameter from the configuration', () => {
    for (const folder of folders) {
      const plugin = parseActionsXml(xmlOf(folder));
      for (const action of plugin.actions) {
        const ids = actionParamIds(action);
        action.params.forEach((param, index) => {
          if (param.kind !== 'string' || !param.encrypted) return;
          const id = ids[index]!;
          const configured =
            config.plugins[pluginId(plugin.name)]?.params[id] ??
            config.actions[actionId(plugin.name, action.name)]?.params[id];
          expect(configured, `${action.name} ${id}`).toBeDefined();
        });
      }
    }
  });
});
