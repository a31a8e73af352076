import type { ObservableType } from './field-types.ts';

/**
 * What kind of observable a raw value is, for columns the field crosswalk does not know: connectors pick
 * an analyzer by it, and the panel suggests values by it. Apart from fields.ts because the content script
 * needs it only once the panel is open, not on every console page load.
 */

// ── Observable detection for values of unknown columns ───────────────────────────────────────────────────
// Every pattern is anchored and has no nested or overlapping quantifiers, so matching is linear in the
// input; values longer than MAX_OBSERVABLE_CHARS are text without looking at them at all.

const MAX_OBSERVABLE_CHARS = 8192;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX = /^[0-9a-f]+$/i;
const HASH_LENGTHS = new Set([32, 40, 64, 128]);
const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;
const CVE = /^cve-\d{4}-\d{4,}$/i;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]\S*$/i;
const EMAIL_LOCAL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/i;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const NUMBER = /^-?\d{1,30}(?:\.\d{1,30})?$/;
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;

function isIpv6(value: string): boolean {
  const address = value.replace(/^\[|\]$/g, '').replace(/%[\w.-]{1,64}$/, '');
  if (address.length > 45 || !address.includes(':')) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string | undefined): string[] => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const all = [...head, ...tail];
  let count = all.length;
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) stands for two groups.
  const last = all[all.length - 1];
  if (last?.includes('.')) {
    if (!IPV4.test(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((group) => IPV6_GROUP.test(group))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

function isDomain(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.replace(/\.$/, '').split('.');
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1]!;
  return TLD.test(tld) && labels.every((label) => DOMAIN_LABEL.test(label));
}

function isEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return false;
  return EMAIL_LOCAL.test(value.slice(0, at)) && isDomain(value.slice(at + 1));
}

/**
 * Best-effort classification of a raw value, for columns the crosswalk does not know (connectors pick an
 * analyzer by it). Unclassifiable values are `text`. Linear time: hostile 100 KB cells cannot hang it.
 */
export function detectObservableType(value: string): ObservableType {
  const v = value.trim();
  if (v === '' || v.length > MAX_OBSERVABLE_CHARS) return 'text';
  if (IPV4.test(v) || isIpv6(v)) return 'ip';
  if (HASH_LENGTHS.has(v.length) && HEX.test(v)) return 'hash';
  if (MAC.test(v)) return 'mac';
  if (CVE.test(v)) return 'cve';
  if (URL_SCHEME.test(v)) return 'url';
  if (isEmail(v)) return 'email';
  if (ISO_DATE.test(v)) return 'date';
  if (NUMBER.test(v)) return 'number';
  if (isDomain(v)) return 'domain';
  return 'text';
}
