import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The one-action plugin the orchestrator benchmarks run: a constant first switch, then the row's host
 * name (`--host <SHostName>`), so the figures are the orchestrator's own and not a plugin's. Also the
 * tokens those benchmarks give their orchestrators.
 */

export const BENCH_TOKENS: { analyst: string; admin: string } = {
  analyst: 'bench-analyst-token-000000000000',
  admin: 'bench-admin-token-00000000000000',
};

/** A Node script that prints one line per run: `hello <host>`. */
export const HELLO_SCRIPT = "process.stdout.write('hello ' + process.argv.at(-1) + '\\n');\n";

export interface BenchPlugin {
  /** The plugin's display name, its one action's name and its SRP `Command`. */
  name: string;
  action: string;
  command: string;
  /** The constant first parameter (for `node`, the script to run). */
  constant: { name: string; value: string };
  /** Files to write beside actions.xml (e.g. the script). */
  files?: Record<string, string>;
}

export function benchActionsXml(plugin: BenchPlugin): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd" Name="${plugin.name}">
  <remv1:Action Name="${plugin.action}" Command="${plugin.command}">
    <remv1:ConstantParameter Name="${plugin.constant.name}" Switch="${plugin.constant.value}" Order="1" />
    <remv1:StringParameter Name="Host" Switch="--host" Order="2">
      <remv1:DefaultInput><remv1:SHostName /></remv1:DefaultInput>
    </remv1:StringParameter>
  </remv1:Action>
</remv1:Remediation-Plugin>
`;
}

/**
 * A fresh work folder (readable by the unprivileged user an orchestrator started as root runs plugins as:
 * mkdtemp makes it 0700) with the plugin in `plugins/<folder>`.
 */
export function benchPluginFolder(
  prefix: string,
  folder: string,
  plugin: BenchPlugin,
): { work: string; plugins: string; pluginDir: string } {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(work, 0o755);
  const pluginDir = path.join(work, 'plugins', folder);
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(path.join(pluginDir, 'actions.xml'), benchActionsXml(plugin));
  for (const [file, text] of Object.entries(plugin.files ?? {}))
    writeFileSync(path.join(pluginDir, file), text);
  return { work, plugins: path.join(work, 'plugins'), pluginDir };
}

/** The "Say Hello" Node action of bench:orchestrator and bench:orchestrator-scale. */
export const SAY_HELLO: BenchPlugin = {
  name: 'Bench',
  action: 'Say Hello',
  command: 'node',
  constant: { name: 'Script', value: 'hello.mjs' },
  files: { 'hello.mjs': HELLO_SCRIPT },
};
