// Gridside demo SRP for tests: prints the arguments it received, exactly, as JSON. End-to-end tests use it
// to prove that a row's values reach a plugin verbatim, one argument each, with no shell in between.
process.stdout.write(`${JSON.stringify({ argv: process.argv.slice(2) })}\n`);
