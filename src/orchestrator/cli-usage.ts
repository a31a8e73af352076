/**
 * The name a command runs under, for its usage line. The installed `gridside-orchestrator` (cli.ts) says
 * which of its commands it starts; run directly in a checkout, a module is started by its npm script. An
 * installed copy has neither src/ nor the npm scripts, so a usage line naming them would fail there.
 */
let startedAs: string | undefined;

/** Called by cli.ts before it loads a command's module, e.g. `gridside-orchestrator audit-verify`. */
export function startedAsCommand(name: string): void {
  startedAs = name;
}

/** `gridside-orchestrator <command>` when started through the installed command, else `npmScript`. */
export function commandName(npmScript: string): string {
  return startedAs ?? npmScript;
}

/**
 * `--help` for Gridside's command-line tools (the orchestrator, audit:verify and the scripts in scripts/):
 * print the usage to stdout and exit 0, before any argument is parsed or anything is started.
 */
export function exitWithUsageOnHelp(usage: string, args: readonly string[] = process.argv.slice(2)): void {
  if (!args.includes('--help') && !args.includes('-h')) return;
  process.stdout.write(`${usage.trim()}\n`);
  process.exit(0);
}
