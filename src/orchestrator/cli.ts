import { exitWithUsageOnHelp, startedAsCommand } from './cli-usage.ts';

/**
 * `gridside-orchestrator [COMMAND] [OPTIONS]`: the installed command (package.json "bin", built to plain
 * JavaScript by `npm run build:orchestrator`). Each command lives in its own module and reads its own
 * options from process.argv, so the command word is taken off before that module loads; `npm run
 * orchestrator` starts main.ts directly, exactly as `gridside-orchestrator serve` does.
 */

const COMMANDS: Record<string, { summary: string; load: () => Promise<unknown> }> = {
  serve: { summary: 'serve the API (the default)', load: () => import('./main.ts') },
  backup: {
    summary: 'copy the database while it runs: backup --db FILE --to FILE',
    load: () => import('./backup-command.ts'),
  },
  'audit-verify': {
    summary: 're-walk the audit hash chain: audit-verify --db FILE [--config FILE]',
    load: () => import('./audit-verify.ts'),
  },
  sign: {
    summary: 'sign a plugin folder: sign --key FILE [--signer NAME] [--pack OUT.lpi] PLUGIN',
    load: () =>
      import('./plugin-sign-cli.ts').then((cli) =>
        cli.runPluginCommand(
          'gridside-orchestrator sign',
          cli.SIGN_USAGE.replace('usage: sign', 'usage: gridside-orchestrator sign'),
          cli.signCommand,
        ),
      ),
  },
  keygen: {
    summary: 'make an Ed25519 key pair for signing plugins: keygen --out PREFIX',
    load: () =>
      import('./plugin-sign-cli.ts').then((cli) =>
        cli.runPluginCommand(
          'gridside-orchestrator keygen',
          cli.KEYGEN_USAGE.replace('usage: keygen', 'usage: gridside-orchestrator keygen'),
          cli.keygenCommand,
        ),
      ),
  },
};

const USAGE = `usage: gridside-orchestrator [COMMAND] [OPTIONS]   (COMMAND --help for its options)

${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(14)}${command.summary}`)
  .join('\n')}`;

const first = process.argv[2];
if (first === undefined || first === '--help' || first === '-h') exitWithUsageOnHelp(USAGE, ['--help']);
const named = first !== undefined && first in COMMANDS;
if (!named && first !== undefined && !first.startsWith('-')) {
  process.stderr.write(`gridside-orchestrator: no command "${first}"\n${USAGE}\n`);
  process.exit(2);
}
if (named) process.argv.splice(2, 1);
const command = named ? first : 'serve';
// Each command's --help then names the installed command, not an npm script of a checkout.
startedAsCommand(`gridside-orchestrator ${command}`);
await COMMANDS[command]!.load();
