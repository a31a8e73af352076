/**
 * `npm run plugin:sign -- --key FILE [--signer NAME] [--pack OUT.lpi] PLUGIN`: signs a plugin folder
 * (the same command as `gridside-orchestrator sign`).
 */
import { runPluginCommand, SIGN_USAGE, signCommand } from '../src/orchestrator/plugin-sign-cli.ts';

await runPluginCommand(
  'plugin:sign',
  SIGN_USAGE.replace('usage: sign', 'usage: npm run plugin:sign --'),
  signCommand,
);
