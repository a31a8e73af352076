/**
 * Webhook body templates and JSON pointers. A template is parsed JSON; placeholders such as `{{SIP}}`,
 * `{{param.ip}}` or `{{row.labels.Origin IP}}` are replaced inside its string values by walking the tree,
 * and the result is serialised with JSON.stringify. Values are never spliced into JSON text, so a cell
 * holding quotes, backslashes or newlines cannot change the document's structure.
 */

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** What a placeholder can read. */
export interface TemplateScope {
  fields: Record<string, string>;
  params: Record<string, string>;
  row: {
    console: string;
    kind: string;
    key: string;
    alarmId: string;
    labels: Record<string, string>;
  };
  /** Poll templates only: the run id and values captured from the start response. */
  run?: Record<string, string>;
  /** URL templates only (Tines and Logic Apps put their secret in the URL). */
  secret?: string;
}

export type Placeholder =
  | { kind: 'field'; name: string }
  | { kind: 'param'; name: string }
  | { kind: 'row'; path: string }
  | { kind: 'run'; name: string }
  | { kind: 'secret' };

export class TemplateError extends Error {}

export function parsePlaceholder(expression: string): Placeholder {
  if (expression === 'secret') return { kind: 'secret' };
  if (expression.startsWith('param.') && expression.length > 6)
    return { kind: 'param', name: expression.slice(6) };
  if (expression.startsWith('run.') && expression.length > 4)
    return { kind: 'run', name: expression.slice(4) };
  if (expression.startsWith('row.')) {
    const path = expression.slice(4);
    if (
      /^(console|kind|key|alarmId|fieldsJson)$/.test(path) ||
      (path.startsWith('labels.') && path.length > 7)
    )
      return { kind: 'row', path };
  }
  if (FIELD_NAME.test(expression)) return { kind: 'field', name: expression };
  throw new TemplateError(`unknown placeholder {{${expression}}}`);
}

function placeholderValue(p: Placeholder, scope: TemplateScope): string {
  switch (p.kind) {
    // A field the analyst edited in the panel arrives as a parameter of the same name.
    case 'field':
      return scope.params[p.name] ?? scope.fields[p.name] ?? '';
    case 'param':
      return scope.params[p.name] ?? '';
    case 'run':
      return scope.run?.[p.name] ?? '';
    case 'secret':
      if (scope.secret === undefined)
        throw new TemplateError(
          '{{secret}} is only allowed in the action URL, not in bodies or poll URLs (those are kept with the run)',
        );
      return scope.secret;
    case 'row': {
      if (p.path === 'fieldsJson') return JSON.stringify(scope.fields);
      if (p.path.startsWith('labels.')) return scope.row.labels[p.path.slice(7)] ?? '';
      return scope.row[p.path as 'console' | 'kind' | 'key' | 'alarmId'];
    }
  }
}

function renderString(text: string, scope: TemplateScope, encode: (s: string) => string): string {
  return text.replace(PLACEHOLDER, (_, expression: string) =>
    encode(placeholderValue(parsePlaceholder(expression), scope)),
  );
}

/** Renders a parsed JSON template; placeholders only ever produce string values. */
export function renderTemplate(template: unknown, scope: TemplateScope): unknown {
  const noSecret = { ...scope, secret: undefined };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return renderString(node, noSecret, (s) => s);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  return walk(template);
}

/**
 * A row value that cannot go in a URL's path: `.` or `..` stays as it is under percent-encoding (and
 * `%2E%2E` is read as `..` all the same), so the URL would climb out of its segment to another endpoint.
 */
export class UrlValueError extends Error {
  constructor(
    readonly placeholder: string,
    readonly value: string,
  ) {
    super(`the value "${value}" of {{${placeholder}}} cannot be a URL path segment`);
  }
}

/**
 * Renders a URL template; every substituted value is percent-encoded so it stays inside its segment. A
 * value `.` or `..` in the path is refused: no encoding keeps it from meaning "this" or "the parent" folder.
 */
export function renderUrl(template: string, scope: TemplateScope): string {
  const queryAt = template.search(/[?#]/);
  return template.replace(PLACEHOLDER, (_, expression: string, offset: number) => {
    const value = placeholderValue(parsePlaceholder(expression), scope);
    const inPath = queryAt < 0 || offset < queryAt;
    if (inPath && (value === '.' || value === '..')) throw new UrlValueError(expression.trim(), value);
    return encodeURIComponent(value);
  });
}

/**
 * Whether a URL (absolute, or a path with query) has a `.` or `..` segment in its path, written plainly or
 * percent-encoded: such a URL is resolved to another path than it reads.
 */
export function hasDotSegment(url: string): boolean {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/\\?#]*/i, '').split(/[?#]/, 1)[0] ?? '';
  return path.split(/[/\\]/).some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

/** Every placeholder a template (or URL) uses, in order of first use. */
export function placeholdersIn(template: unknown): Placeholder[] {
  const seen = new Map<string, Placeholder>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const m of node.matchAll(PLACEHOLDER)) {
        const expression = (m[1] ?? '').trim();
        if (!seen.has(expression)) seen.set(expression, parsePlaceholder(expression));
      }
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(template);
  return [...seen.values()];
}

/** RFC 6901 JSON pointer lookup; `undefined` when the path does not exist. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/'))
    throw new TemplateError(`"${pointer}" is not a JSON pointer (it must start with /)`);
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = /^\d+$/.test(key) ? node[Number(key)] : undefined;
    else if (node && typeof node === 'object' && Object.hasOwn(node, key))
      node = (node as Record<string, unknown>)[key];
    else return undefined;
  }
  return node;
}
