import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiJson } from '../src/core/openapi.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';

exitWithUsageOnHelp(`usage: npm run gen:openapi

Writes docs/openapi.json from the API's zod schemas (test/unit/core/openapi.test.ts fails when the
committed file is stale).`);

// Writes docs/openapi.json from the zod schemas (src/core/openapi.ts builds it; this script only saves it).
// test/unit/core/openapi.test.ts fails when the committed file is stale.
const docs = new URL('../docs/', import.meta.url);
const target = new URL('openapi.json', docs);
mkdirSync(docs, { recursive: true });
writeFileSync(target, openApiJson());
process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
