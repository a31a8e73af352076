/**
 * `npm run plugin:sign -- --key FILE [--signer NAME] [--pack OUT.lpi] PLUGIN`: signs a plugin folder.
 */
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { SIGN_USAGE, signCommand, UsageError } from '../src/orchestrator/plugin-sign-cli.ts';

exitWithUsageOnHelp(SIGN_USAGE.replace('usage: sign', 'usage: npm run plugin:sign --'));

signCommand(process.argv.slice(2)).then(
  (lines) => process.stdout.write(`${lines.join('\n')}\n`),
  (error: unknown) => {
    process.stderr.write(`plugin:sign: ${error instanceof UsageError ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
