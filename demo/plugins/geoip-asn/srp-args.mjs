// Strict command-line parsing for the Gridside demo SmartResponse scripts.
//
// The orchestrator builds argv from actions.xml (`Switch` then value, in `Order`), without a shell, so a
// field value arrives as exactly one argument. These scripts accept only their declared switches, take the
// next argument as the value even when it starts with "-", and refuse anything else. Values are data: they
// are never evaluated, never passed to a shell, and never echoed into error messages.
//
// This file is copied into each plugin folder (a plugin package is self-contained); the master copy is
// demo/plugins/_shared/srp-args.mjs and a test checks the copies match it.

/** Exit code for bad input, distinct from 1 (a failure while working). */
export const BAD_INPUT = 2;

/** Writes `plugin: message` to stderr and exits with `code`. */
export function fail(plugin, message, code = BAD_INPUT) {
  process.stderr.write(`${plugin}: ${message}\n`);
  process.exit(code);
}

/**
 * @param {string} plugin name used in error messages
 * @param {string[]} argv usually process.argv.slice(2)
 * @param {{ values?: Record<string, string>, flags?: Record<string, string> }} spec
 *   values: switch → key (the switch takes one value); flags: switch → key (no value)
 * @returns {Record<string, string | boolean>}
 */
export function parseSwitches(plugin, argv, spec) {
  const values = spec.values ?? {};
  const flags = spec.flags ?? {};
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const key = Object.hasOwn(values, token)
      ? values[token]
      : Object.hasOwn(flags, token)
        ? flags[token]
        : undefined;
    if (key === undefined) {
      const known = [...Object.keys(values), ...Object.keys(flags)].join(', ');
      fail(plugin, `unexpected argument #${i + 1} (expected one of: ${known})`);
    }
    if (Object.hasOwn(out, key)) fail(plugin, `${token} given twice`);
    if (Object.hasOwn(flags, token)) {
      out[key] = true;
      continue;
    }
    if (i + 1 >= argv.length) fail(plugin, `${token} needs a value`);
    out[key] = argv[++i];
  }
  return out;
}

/** A required, non-empty value. Names the switch, never echoes what was given. */
export function required(plugin, args, key, flag, what) {
  const value = args[key];
  if (typeof value !== 'string' || value.trim() === '') fail(plugin, `${what} is missing (${flag})`);
  return value;
}

/**
 * The API key from the EncryptedParameter. The orchestrator fills it from its configuration; it is
 * checked for presence and never printed.
 */
export function requireApiKey(plugin, args, key, flag, parameterName) {
  const value = args[key];
  if (typeof value !== 'string' || value.length === 0) {
    fail(
      plugin,
      `no API key given (${flag}); set the encrypted parameter "${parameterName}" in the orchestrator configuration`,
    );
  }
  if (value.length < 8 || /\s/.test(value))
    fail(plugin, `the API key given with ${flag} is not valid (expected at least 8 characters, no spaces)`);
  return value;
}

/** Prints one Cortex-style report: `{ summary: { taxonomies }, full }`. */
export function printReport(namespace, taxonomies, full) {
  const summary = {
    taxonomies: taxonomies.map((t) => ({
      level: t.level,
      namespace,
      predicate: t.predicate,
      value: t.value,
    })),
  };
  process.stdout.write(`${JSON.stringify({ summary, full })}\n`);
}
