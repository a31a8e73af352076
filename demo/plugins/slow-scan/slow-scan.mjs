// Gridside demo SRP that takes a while: prints one progress line a second for -seconds (default 8), then
// a Cortex-style report as the LAST line. It exercises live status and cancel: on SIGTERM or SIGINT it
// stops, says so on stderr and exits 143.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { fail, parseSwitches, printReport, required } from './srp-args.mjs';

const PLUGIN = 'slow-scan';
const args = parseSwitches(PLUGIN, process.argv.slice(2), {
  values: { '-target': 'target', '-seconds': 'seconds' },
});
const target = required(PLUGIN, args, 'target', '-target', 'the IP address to scan');
if (isIP(target) === 0)
  fail(PLUGIN, `the value given with -target (${target.length} characters) is not an IP address`);
const seconds = args.seconds === undefined || args.seconds === '' ? 8 : Number(args.seconds);
if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600)
  fail(PLUGIN, '-seconds must be a whole number from 1 to 600');

const started = Date.now();
const stop = (signal) => {
  process.stderr.write(
    `${PLUGIN}: canceled (${signal}) after ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  process.exit(143);
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

// Deterministic "findings" per target, so the demo and tests see the same result every time.
const digest = createHash('sha256').update(target).digest();
const CANDIDATES = [22, 25, 53, 80, 135, 139, 443, 445, 1433, 3306, 3389, 5985, 8080, 8443];
const open = CANDIDATES.filter((_, i) => (digest[i] ?? 0) % 3 === 0);
const STEPS = [
  'resolving',
  'ICMP sweep',
  'TCP SYN scan',
  'service banners',
  'TLS certificates',
  'HTTP titles',
  'SMB signing',
  'summary',
];

let step = 0;
const timer = setInterval(() => {
  step += 1;
  const stage = step === seconds ? 'summary' : STEPS[Math.floor(((step - 1) / seconds) * (STEPS.length - 1))];
  process.stdout.write(`progress ${step}/${seconds}: ${stage} ${target}\n`);
  if (step >= seconds) {
    clearInterval(timer);
    printReport(
      'Gridside',
      [
        {
          level: open.some((p) => [23, 445, 3389, 1433].includes(p)) ? 'suspicious' : 'info',
          predicate: 'OpenPorts',
          value: String(open.length),
        },
      ],
      { target, open_ports: open, seconds },
    );
  }
}, 1000);
