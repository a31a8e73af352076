/**
 * Gridside's orchestrator receives the analyst's bearer token and the row's values with every request:
 * over plain HTTP they would cross the network readable by anyone on the way. Plain HTTP is therefore
 * accepted only for an orchestrator on this machine (localhost, 127.0.0.0/8, [::1]), as in the demo.
 */

const isLocalHost = (hostname: string): boolean => {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
};

/** Why this URL may not be used for a Gridside orchestrator, in the analyst's words; undefined if it may. */
export function plainHttpProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // the URL's own validation speaks for itself
  }
  if (parsed.protocol !== 'http:' || isLocalHost(parsed.hostname)) return undefined;
  return `Gridside will not use the orchestrator at ${parsed.origin} over plain http: the token and the row's values would cross the network unencrypted. Use https:// (the orchestrator serves TLS itself), or http:// only for an orchestrator on this machine (localhost).`;
}
