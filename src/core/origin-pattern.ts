/**
 * The match pattern that covers one origin: for host permissions, content-script registrations, tab
 * queries and the context menu's `documentUrlPatterns`. Every part of Gridside builds it here, so a
 * permission the analyst granted is exactly the one the registration and the checks look for.
 *
 * Chrome's match patterns may name a port (`https://siem.example.com:8443/*`). Firefox's may not: there the
 * port is taken as part of the host name, so such a pattern matches no page and is never covered by a grant,
 * and Gridside would never appear on a console served on a non-default port. In Firefox the pattern is the
 * host's (every port of it), the finest grain Firefox's patterns allow.
 */
export function originPattern(origin: string): string {
  return originPatternFor(origin, portlessPatterns());
}

/** The same, for the browser named: `portless` in Firefox. */
export function originPatternFor(origin: string, portless: boolean): string {
  const url = new URL(origin);
  return portless ? `${url.protocol}//${url.hostname}/*` : `${url.origin}/*`;
}

/** Firefox runs extension pages and the background at moz-extension:// origins, Chrome at chrome-extension://. */
function portlessPatterns(): boolean {
  return globalThis.location?.protocol === 'moz-extension:';
}
