import { existsSync, type FSWatcher, mkdirSync, watch } from 'node:fs';
import path from 'node:path';
import type { PluginRegistry } from './plugins.ts';

/**
 * File-integrity monitoring of the plugin folders. Change events (fs.watch) bring a check within a moment;
 * a full rescan every `rescanSeconds` catches what events miss (network file systems, a watcher limit,
 * a folder replaced wholesale). Changes made while the orchestrator was stopped are caught by the check
 * every plugin gets at start-up. What counts as a change is decided by comparing hashes with the trusted
 * manifest (PluginRegistry.sweep), never by the event itself, so an event storm costs one comparison.
 */

export interface IntegrityWatch {
  stop(): void;
}

export function watchPlugins(registry: PluginRegistry, rescanSeconds: number): IntegrityWatch {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const sweep = (): void => {
    if (stopped) return;
    if (running || registry.isBusy()) {
      again = true;
      return;
    }
    running = registry
      .sweep()
      .catch((error: unknown) => {
        process.stderr.write(`gridside-orchestrator: plugin integrity check failed: ${String(error)}\n`);
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          soon();
        }
      });
  };
  // Events come in bursts (an editor writes, renames and touches); one comparison after the burst.
  let debounce: NodeJS.Timeout | undefined;
  const soon = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(sweep, 150);
  };

  const folders = new Set<string>();
  if (registry.pluginsDir) folders.add(registry.pluginsDir);
  // Extracted .lpi packages live here, including ones an admin uploads later.
  const extracted = path.join(registry.dataDir, 'plugins');
  mkdirSync(extracted, { recursive: true });
  folders.add(extracted);
  // Plugin folders elsewhere (none today) get a watch of their own; nested ones are covered already.
  const covered = (dir: string) =>
    [...folders].some((f) => path.resolve(dir).startsWith(path.resolve(f) + path.sep));
  for (const entry of registry.list()) if (!covered(entry.dir)) folders.add(entry.dir);
  const watchers: FSWatcher[] = [];
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    try {
      const watcher = watch(path.resolve(folder), { recursive: true, persistent: false }, soon);
      watcher.on('error', soon);
      watchers.push(watcher);
    } catch (error) {
      process.stderr.write(
        `gridside-orchestrator: cannot watch ${folder} (${(error as Error).message}); relying on the periodic rescan\n`,
      );
    }
  }
  timer = setInterval(sweep, rescanSeconds * 1000);
  timer.unref();

  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(debounce);
      timer = undefined;
      for (const watcher of watchers) watcher.close();
    },
  };
}
