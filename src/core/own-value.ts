/**
 * `record[key]` when the record has `key` as its own key, `undefined` otherwise. Lookup tables keyed by
 * words an engine or a page sends must not answer for the names every object inherits: a plain
 * `table[word]` with `constructor`, `toString` or `__proto__` reads a function or Object.prototype, which
 * then passes for a status, a verdict level or a field name.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
