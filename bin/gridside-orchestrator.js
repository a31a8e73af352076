#!/usr/bin/env node
// The installed `gridside-orchestrator` command: plain JavaScript built by `npm run build:orchestrator`,
// started with Node alone.
import { existsSync } from 'node:fs';

const built = new URL('../dist-orchestrator/gridside-orchestrator.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('gridside-orchestrator: not built yet; run `npm run build:orchestrator` first\n');
  process.exit(1);
}
await import(built.href);
