/**
 * `npm run plugin:keygen -- --out PREFIX`: an Ed25519 key pair for signing plugins (the same command as
 * `gridside-orchestrator keygen`).
 */
import { KEYGEN_USAGE, keygenCommand, runPluginCommand } from '../src/orchestrator/plugin-sign-cli.ts';

await runPluginCommand(
  'plugin:keygen',
  KEYGEN_USAGE.replace('usage: keygen', 'usage: npm run plugin:keygen --'),
  keygenCommand,
);
