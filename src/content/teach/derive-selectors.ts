/**
 * CSS selectors for a grid no adapter recognises, derived from the elements the analyst pointed at in
 * teach mode. A selector names what an element IS (its stable class names, role, data attributes), never
 * where it happens to sit (`nth-child`), so it survives sorting, scrolling and re-rendering; each
 * candidate is checked against the live DOM (it matches the clicked element and its sibling rows or
 * cells, and nothing nested or in the header) before it is offered.
 */

export interface GridSelectors {
  root: string;
  row: string;
  cell: string;
  /** Header cells; a cell's column is its position among them (site-selectors.ts). */
  header: string;
}

export interface GridShape {
  root: Element;
  /** One data row the analyst pointed at. */
  row: Element;
  /** One header cell the analyst pointed at. */
  header: Element;
}

/** Words that describe a state (hover, selected, odd…) rather than what the element is. */
const STATE_WORD =
  /(^|[-_])(hover|hovered|active|selected|focus|focused|odd|even|first|last|open|closed|expanded|collapsed|checked|disabled|highlight|highlighted|current|dragging|sorted|asc|desc)$/i;
/** Class names frameworks and CSS-in-JS tools generate per build or per render. */
const GENERATED = /^(ng-|_ng|css-|sc-|jsx-|svelte-|emotion-|chakra-|Mui[A-Z].*-root-\d)/;

export function isStableClass(name: string): boolean {
  if (name.length < 2 || name.length > 48) return false;
  if (!/^-?[a-zA-Z_][\w-]*$/.test(name)) return false;
  if (GENERATED.test(name) || STATE_WORD.test(name)) return false;
  // `row-12`, `css-1q2w3e`, `a8f3kx`: numbered per row or hashed per build.
  if (/\d{2,}/.test(name) || /[-_]\d+$/.test(name)) return false;
  const tail = name.split(/[-_]/).pop() ?? name;
  return !(/\d/.test(tail) && tail.length >= 5);
}

export function stableClasses(el: Element): string[] {
  return [...el.classList].filter(isStableClass);
}

/** Same kind of element: same tag, and a stable class in common (or neither has one). */
export function sameShape(a: Element, b: Element): boolean {
  if (a.tagName !== b.tagName) return false;
  const ours = stableClasses(a);
  const theirs = new Set(stableClasses(b));
  if (ours.length === 0 && theirs.size === 0) return true;
  return ours.some((name) => theirs.has(name));
}

/** Siblings of `el` (itself included) of the same shape. */
export function shapePeers(el: Element): Element[] {
  const parent = el.parentElement;
  if (!parent) return [el];
  return [...parent.children].filter((child) => child === el || sameShape(child, el));
}

function escapeIdent(value: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(value) : value.replace(/[^\w-]/g, '\\$&');
}

function escapeValue(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/** Attributes that describe a kind of element (role, data-*), as selectors every element of `group` has. */
function commonAttributes(group: readonly Element[]): string[] {
  const first = group[0];
  if (!first) return [];
  const kinds: string[] = [];
  const out: string[] = [];
  for (const { name, value } of [...first.attributes]) {
    if (name !== 'role' && !name.startsWith('data-')) continue;
    if (name.startsWith('data-gridside')) continue;
    if (!group.every((el) => el.hasAttribute(name))) continue;
    const same = group.every((el) => el.getAttribute(name) === value);
    // A shared short word is a kind (`data-kind="row"`); a value per element is an id: presence only.
    if (same && value !== '' && value.length <= 40 && !/\d/.test(value))
      kinds.push(`[${name}="${escapeValue(value)}"]`);
    else out.push(`[${name}]`);
  }
  return [...kinds, ...out];
}

/** Candidate compound selectors for a group of like elements, most telling first. */
export function compoundCandidates(group: readonly Element[]): string[] {
  const first = group[0];
  if (!first) return [];
  let common = stableClasses(first);
  for (const el of group.slice(1)) {
    const theirs = new Set(stableClasses(el));
    common = common.filter((name) => theirs.has(name));
  }
  const tag = first.tagName.toLowerCase();
  const classes = common.map((name) => `.${escapeIdent(name)}`);
  const attributes = commonAttributes(group);
  const out: string[] = [];
  if (classes.length > 1) out.push(classes.join(''));
  out.push(...classes);
  out.push(...attributes);
  for (const cls of classes) for (const attr of attributes) out.push(`${cls}${attr}`);
  out.push(tag);
  return [...new Set(out)];
}

/**
 * Like `scope.querySelectorAll`; a selector that starts outside the scope (`#feed > div > div`) is matched
 * against the whole document and kept to the scope's descendants, which is what browsers do (and some DOM
 * implementations get wrong).
 */
function safeAll(scope: ParentNode, selector: string): Element[] {
  try {
    if (selector.startsWith(':scope') || !('ownerDocument' in scope) || !scope.ownerDocument)
      return [...scope.querySelectorAll(selector)];
    const within = scope as Element;
    return [...within.ownerDocument.querySelectorAll(selector)].filter(
      (el) => el !== within && within.contains(el),
    );
  } catch {
    return [];
  }
}

const nested = (matched: readonly Element[]): boolean =>
  matched.some((a) => matched.some((b) => a !== b && a.contains(b)));

/** Exactly these elements, in document order. */
function sameSet(matched: readonly Element[], expected: readonly Element[]): boolean {
  return matched.length === expected.length && expected.every((el) => matched.includes(el));
}

/**
 * Last resorts, for markup with no names at all: the path from the grid's root through the containers
 * (by tag, then by their place among their siblings — never the row's or cell's own place).
 */
function pathsFromRoot(el: Element, root: Element, rootSelector: string, own: readonly string[]): string[] {
  const containers: Element[] = [];
  for (let up = el.parentElement; up && up !== root; up = up.parentElement) containers.unshift(up);
  if (containers.length > 4) return [];
  const tag = (c: Element) => c.tagName.toLowerCase();
  const placed = (c: Element) => {
    const same = c.parentElement ? [...c.parentElement.children].filter((s) => s.tagName === c.tagName) : [c];
    return same.length > 1 ? `${tag(c)}:nth-of-type(${same.indexOf(c) + 1})` : tag(c);
  };
  const byTag = containers.map(tag);
  const byPlace = containers.map(placed);
  return [byTag, byPlace].flatMap((chain) => own.map((c) => [rootSelector, ...chain, c].join(' > ')));
}

/** The data rows: the clicked row and its like siblings, nothing nested, nothing holding the header. */
export function deriveRowSelector(shape: GridShape, rootSelector: string): string | null {
  const peers = shapePeers(shape.row);
  const ok = (selector: string): boolean => {
    const matched = safeAll(shape.root, selector);
    return (
      peers.every((el) => matched.includes(el)) &&
      !nested(matched) &&
      !matched.some((el) => el.contains(shape.header) || shape.header.contains(el))
    );
  };
  const own = compoundCandidates(peers);
  const parent = shape.row.parentElement;
  const scoped =
    parent && parent !== shape.root
      ? compoundCandidates(shapePeers(parent)).flatMap((p) => own.map((c) => `${p} > ${c}`))
      : [];
  const paths = pathsFromRoot(shape.row, shape.root, rootSelector, own);
  return [...own, ...scoped, ...paths].find(ok) ?? null;
}

/** The cells of a row: looked up inside each row, they must be exactly that row's cells. */
export function deriveCellSelector(
  shape: GridShape,
  rowSelector: string,
  headerCount: number,
): string | null {
  const cells = [...shape.row.children];
  const rows = safeAll(shape.root, rowSelector).slice(0, 50);
  const ok = (selector: string): boolean => {
    if (!sameSet(safeAll(shape.row, selector), cells)) return false;
    // Sibling rows hold as many cells (a spanning separator row may hold fewer), never more than headers.
    return rows.every((row) => safeAll(row, selector).length <= Math.max(headerCount, cells.length));
  };
  const own = compoundCandidates(cells);
  return [...own, ...own.map((c) => `:scope > ${c}`), ':scope > *'].find(ok) ?? null;
}

/** The header cells: exactly the clicked header cell and its like siblings, none inside a data row. */
export function deriveHeaderSelector(
  shape: GridShape,
  rowSelector: string,
  rootSelector: string,
): string | null {
  const peers = shapePeers(shape.header);
  const rows = safeAll(shape.root, rowSelector);
  const ok = (selector: string): boolean => {
    const matched = safeAll(shape.root, selector);
    return sameSet(matched, peers) && !matched.some((el) => rows.some((row) => row.contains(el)));
  };
  const own = compoundCandidates(peers);
  const parent = shape.header.parentElement;
  const scoped =
    parent && parent !== shape.root
      ? compoundCandidates([parent]).flatMap((p) => own.map((c) => `${p} > ${c}`))
      : [];
  const paths = pathsFromRoot(shape.header, shape.root, rootSelector, own);
  return [...own, ...scoped, ...paths].find(ok) ?? null;
}

/** An id that reads like a name, not a generated number (`grid-3f9a2`, `ext-gen1234`). */
function isStableId(id: string): boolean {
  return /^[a-zA-Z][\w-]{1,63}$/.test(id) && !/\d{2,}/.test(id) && !/^(ext-|ember|react-|:r)/.test(id);
}

/**
 * The grid's root. `rootOf` looks it up with `closest()`, so no element inside it or around it may match
 * (another grid elsewhere on the page may: it is read the same way).
 */
export function deriveRootSelector(root: Element): string | null {
  const doc = root.ownerDocument;
  const ok = (selector: string): boolean => {
    const matched = safeAll(doc, selector);
    return (
      matched.includes(root) && !matched.some((el) => el !== root && (el.contains(root) || root.contains(el)))
    );
  };
  const candidates: string[] = [];
  if (root.id && isStableId(root.id)) candidates.push(`#${escapeIdent(root.id)}`);
  candidates.push(...compoundCandidates([root]).filter((c) => c !== root.tagName.toLowerCase()));
  const found = candidates.find(ok);
  if (found) return found;
  // Scoped under the nearest ancestor that has a name of its own, through the tags between them.
  const own = [...candidates, root.tagName.toLowerCase()];
  let between = '';
  for (let up = root.parentElement; up && up !== doc.documentElement; up = up.parentElement) {
    const names =
      up.id && isStableId(up.id) ? [`#${escapeIdent(up.id)}`] : compoundCandidates([up]).slice(0, 2);
    const scoped = names.flatMap((name) => own.map((c) => `${name} > ${between}${c}`)).find(ok);
    if (scoped) return scoped;
    between = `${up.tagName.toLowerCase()} > ${between}`;
  }
  return null;
}

export type Derivation = { ok: true; selectors: GridSelectors } | { ok: false; problem: string };

/** All four selectors, each verified against the page; the first that cannot be found says what failed. */
export function deriveSelectors(shape: GridShape): Derivation {
  const root = deriveRootSelector(shape.root);
  if (!root) return { ok: false, problem: 'Gridside found no stable name for the grid’s outer element.' };
  const row = deriveRowSelector(shape, root);
  if (!row) return { ok: false, problem: 'Gridside could not tell the data rows from the rest of the grid.' };
  const header = deriveHeaderSelector(shape, row, root);
  if (!header) return { ok: false, problem: 'Gridside could not tell the column headers apart.' };
  const headerCount = safeAll(shape.root, header).length;
  const cell = deriveCellSelector(shape, row, headerCount);
  if (!cell) return { ok: false, problem: 'Gridside could not tell the cells of a row apart.' };
  return { ok: true, selectors: { root, row, cell, header } };
}
