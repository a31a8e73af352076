// Runs every Gridside check in order and ends with one line `N passed, N failed` summing all of them:
// type check, lint, the orchestrator's plain-JavaScript build, unit and integration tests (vitest), the
// demo build, the Firefox build lint, the end-to-end tests in real Chromium, the faults suite (test/faults/,
// in Chromium too), and the core end-to-end proof
// in real Firefox (ESR). A check that is
// not a test suite counts as one test. A browser that is missing and cannot be installed with apt counts
// as a failure, with the install instructions printed: it is never skipped silently.
// Usage: npm test            (everything)
//        npm test -- --no-e2e (skip the browser tests, e.g. on a machine without Chromium or Firefox)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { ensureChromium, INSTALL_HELP } from './ensure-chromium.ts';
import { ensureFirefox, FIREFOX_INSTALL_HELP } from './ensure-firefox.ts';

exitWithUsageOnHelp(`usage: npm test [-- --no-e2e]

Runs every Gridside check in order (type check, lint, unit and integration tests, the demo build, the
Firefox build lint, the end-to-end and fault tests in Chromium) and ends with one line: N passed, N failed.
--no-e2e skips the browser tests.`);

const skipE2e = process.argv.includes('--no-e2e');
const reportDir = '.tmp/test-reports';
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines: string[] = [];

function run(command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n▶ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(name: string, ok: boolean): void {
  totals[ok ? 'passed' : 'failed'] += 1;
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

/** The first line of a failure message, short enough to read in the summary. */
function firstLine(message: string | undefined): string {
  const line = (message ?? '').split('\n').find((text) => text.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function vitestSuite(name: string, configArgs: string[], env: Record<string, string> = {}): void {
  const outputFile = `${reportDir}/${name}.json`;
  const ok = run(
    'npx',
    ['vitest', 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile=${outputFile}`],
    env,
  );
  if (!existsSync(outputFile)) {
    check(`${name}: vitest produced no report`, false);
    return;
  }
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as VitestReport;
  // A file that fails to load counts as a failure even though none of its tests ran.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  );
  const skipped = report.numPendingTests + report.numTodoTests;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests + brokenFiles.length;
  totals.skipped += skipped;
  const failed = report.numFailedTests + brokenFiles.length;
  lines.push(
    `${failed === 0 && ok ? 'ok  ' : 'FAIL'} ${name}: ${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`,
  );
  // Name each failure in the summary, which is the part of a long run's output that is read first.
  for (const file of report.testResults) {
    const where = relative(process.cwd(), file.name);
    if (file.status === 'failed' && file.assertionResults.length === 0)
      lines.push(`       ✗ ${where}: ${firstLine(file.message)}`);
    for (const test of file.assertionResults.filter((result) => result.status === 'failed'))
      lines.push(`       ✗ ${where} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
  }
  if (!ok && failed === 0) check(`${name}: vitest exited with an error`, false);
}

check('type check (tsc --noEmit)', run('npx', ['tsc', '--noEmit', '-p', '.']));
check('lint and format (biome check)', run('npx', ['biome', 'check', '.']));
check('orchestrator build (plain JavaScript)', run('npx', ['tsx', 'scripts/build-orchestrator.ts']));
vitestSuite('unit', []);
const built = run('npx', ['vite', 'build', '--mode', 'demo']);
check('extension build (demo mode)', built);
if (existsSync('scripts/build-firefox.ts')) {
  check('Firefox build and web-ext lint', run('npx', ['tsx', 'scripts/build-firefox.ts', '--lint']));
}

if (skipE2e) {
  lines.push('skip end-to-end tests (--no-e2e)');
} else if (!built) {
  check('end-to-end tests: skipped because the extension did not build', false);
} else {
  const chromium = ensureChromium();
  if (!chromium) {
    console.error(INSTALL_HELP);
    check('end-to-end tests: no Chromium (see message above)', false);
  } else {
    vitestSuite('e2e', ['-c', 'vitest.e2e.config.ts'], { GRIDSIDE_CHROMIUM: chromium });
    // Faults (docs/reliability.md): a flaky network, a crashed orchestrator, a full disk, a full browser store.
    vitestSuite('faults', ['-c', 'vitest.faults.config.ts'], { GRIDSIDE_CHROMIUM: chromium });
  }
  firefoxSuite();
}

/** The core proof in Firefox: the Firefox demo build (dist-firefox/) in Firefox ESR, through WebDriver BiDi. */
function firefoxSuite(): void {
  const firefox = ensureFirefox();
  if (!firefox) {
    console.error(FIREFOX_INSTALL_HELP);
    check('Firefox end-to-end tests: no Firefox (see message above)', false);
    return;
  }
  const builtForFirefox = run('npx', ['tsx', 'scripts/build-firefox.ts', '--demo']);
  check('Firefox demo build', builtForFirefox);
  if (builtForFirefox)
    vitestSuite('e2e-firefox', ['-c', 'vitest.firefox.config.ts'], { GRIDSIDE_FIREFOX: firefox });
}

console.log('\n== Gridside test summary ==');
for (const line of lines) console.log(line);
console.log(`${totals.skipped} skipped`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
