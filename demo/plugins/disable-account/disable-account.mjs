// Gridside demo SRP with a side effect: disables a directory account. The demo has no directory server,
// so "disabled" is recorded in a state file (never in demo/data): -statefile (an environment-specific
// parameter), else $GRIDSIDE_DEMO_STATE_FILE, else <tmpdir>/gridside-demo/disabled-accounts.json.
// The orchestrator's configuration makes this action wait for approval.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fail, parseSwitches, printReport, required } from './srp-args.mjs';

const PLUGIN = 'disable-account';
const args = parseSwitches(PLUGIN, process.argv.slice(2), {
  values: { '-account': 'account', '-statefile': 'stateFile' },
  flags: { '-revoke-sessions': 'revokeSessions' },
});
const given = required(PLUGIN, args, 'account', '-account', 'the account to disable');
const match = /^(?:([A-Za-z0-9-]{1,15})\\)?([A-Za-z0-9._$-]{1,64})(?:@([A-Za-z0-9.-]{1,253}))?$/.exec(given);
if (!match || (match[1] && match[3])) {
  fail(
    PLUGIN,
    `the value given with -account (${given.length} characters) is not a user name (user, DOMAIN\\user or user@domain)`,
  );
}
const login = match[2].toLowerCase();
const users = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8'));
const user = users.find((u) => u.login === login);
if (!user) fail(PLUGIN, `no account "${login}" in the directory; nothing was changed`, 1);

const stateFile =
  args.stateFile ||
  process.env.GRIDSIDE_DEMO_STATE_FILE ||
  join(tmpdir(), 'gridside-demo', 'disabled-accounts.json');
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { accounts: {} };
state.accounts ??= {};
const before = state.accounts[login];
const alreadyDisabled = before?.disabled === true || !user.enabled;
const at = new Date().toISOString();
if (!alreadyDisabled || (args.revokeSessions && !before?.sessions_revoked)) {
  state.accounts[login] = {
    disabled: true,
    at: before?.at ?? at,
    sessions_revoked: Boolean(args.revokeSessions || before?.sessions_revoked),
  };
  mkdirSync(dirname(stateFile), { recursive: true });
  // Write then rename, so a cancelled run never leaves half a file.
  const temp = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, stateFile);
}
const did = alreadyDisabled ? 'was already disabled' : 'disabled';
printReport(
  'Gridside',
  [
    { level: 'info', predicate: 'Account', value: `${user.login} ${did}` },
    ...(args.revokeSessions ? [{ level: 'info', predicate: 'Sessions', value: 'revoked' }] : []),
  ],
  {
    account: user.login,
    display_name: user.display_name,
    action: args.revokeSessions ? 'disable-and-revoke-sessions' : 'disable',
    changed: !alreadyDisabled || Boolean(args.revokeSessions && !before?.sessions_revoked),
    already_disabled: alreadyDisabled,
    at,
    state_file: stateFile,
  },
);
