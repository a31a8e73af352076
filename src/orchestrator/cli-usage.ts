/**
 * `--help` for Gridside's command-line tools (the orchestrator, audit:verify and the scripts in scripts/):
 * print the usage to stdout and exit 0, before any argument is parsed or anything is started.
 */
export function exitWithUsageOnHelp(usage: string, args: readonly string[] = process.argv.slice(2)): void {
  if (!args.includes('--help') && !args.includes('-h')) return;
  process.stdout.write(`${usage.trim()}\n`);
  process.exit(0);
}
