// Gridside demo SRP: directory record for a login (users.json, next to this script). Accepts jsmith,
// CORP\jsmith and jsmith@corp.example.com. Accounts disabled by the disable-account demo plugin show as
// disabled: both read the same state file.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail, parseSwitches, printReport, required } from './srp-args.mjs';

const PLUGIN = 'user-lookup';
const args = parseSwitches(PLUGIN, process.argv.slice(2), {
  values: { '-user': 'user', '-statefile': 'stateFile' },
});
const given = required(PLUGIN, args, 'user', '-user', 'the user name');
const match = /^(?:([A-Za-z0-9-]{1,15})\\)?([A-Za-z0-9._$-]{1,64})(?:@([A-Za-z0-9.-]{1,253}))?$/.exec(given);
if (!match || (match[1] && match[3])) {
  fail(
    PLUGIN,
    `the value given with -user (${given.length} characters) is not a user name (user, DOMAIN\\user or user@domain)`,
  );
}
const login = match[2].toLowerCase();

const stateFile =
  args.stateFile ||
  process.env.GRIDSIDE_DEMO_STATE_FILE ||
  join(tmpdir(), 'gridside-demo', 'disabled-accounts.json');
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { accounts: {} };
const users = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8'));
const user = users.find((u) => u.login === login);

if (!user) {
  printReport('Gridside', [{ level: 'info', predicate: 'User', value: 'not in directory' }], {
    query: given,
    login,
    found: false,
  });
} else {
  const disabledByDemo = state.accounts?.[login]?.disabled === true;
  const enabled = user.enabled && !disabledByDemo;
  const privileged = user.groups.some((g) =>
    ['Domain Admins', 'GG-Security-Tier0', 'Server Operators'].includes(g),
  );
  const taxonomies = [
    {
      level: privileged ? 'suspicious' : 'safe',
      predicate: 'User',
      value: `${user.display_name} (${user.department})`,
    },
    { level: enabled ? 'info' : 'suspicious', predicate: 'Status', value: enabled ? 'enabled' : 'disabled' },
  ];
  if (privileged) taxonomies.push({ level: 'suspicious', predicate: 'Privilege', value: 'privileged' });
  printReport('Gridside', taxonomies, {
    query: given,
    found: true,
    ...user,
    enabled,
    disabled_by_response: disabledByDemo,
  });
}
