/**
 * `npm run plugin:keygen -- --out PREFIX`: an Ed25519 key pair for signing plugins.
 */
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { KEYGEN_USAGE, keygenCommand, UsageError } from '../src/orchestrator/plugin-sign-cli.ts';

exitWithUsageOnHelp(KEYGEN_USAGE.replace('usage: keygen', 'usage: npm run plugin:keygen --'));

try {
  process.stdout.write(`${keygenCommand(process.argv.slice(2)).join('\n')}\n`);
} catch (error) {
  process.stderr.write(`plugin:keygen: ${error instanceof UsageError ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
