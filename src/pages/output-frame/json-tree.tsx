import { useState } from 'preact/hooks';

/**
 * Plugin JSON (`output.data`) as a collapsible tree of text: keys and values are Preact text nodes, never
 * HTML. Large objects show their first entries and a button for the rest; depth is bounded.
 */

const PAGE = 50;
const MAX_DEPTH = 12;

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span class="muted">null</span>;
  if (typeof value === 'string') return <span>"{value}"</span>;
  return <span>{String(value)}</span>;
}

function Entries({ value, depth }: { value: object; depth: number }) {
  const [shown, setShown] = useState(PAGE);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return (
    <ul class="tree">
      {entries.slice(0, shown).map(([key, child]) => (
        <li key={key}>
          <JsonNode name={key} value={child} depth={depth + 1} />
        </li>
      ))}
      {entries.length > shown && (
        <li>
          <button type="button" onClick={() => setShown(entries.length)}>
            Show {entries.length - shown} more
          </button>
        </li>
      )}
    </ul>
  );
}

export function JsonNode({ name, value, depth = 0 }: { name?: string; value: unknown; depth?: number }) {
  const label = name === undefined ? null : <span class="k">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <span>
        {label}
        <Leaf value={value} />
      </span>
    );
  }
  const size = Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
  if (depth >= MAX_DEPTH) {
    return (
      <span>
        {label}
        <span class="muted">{size} (too deep to show)</span>
      </span>
    );
  }
  return (
    <details open={depth < 1}>
      <summary>
        {label}
        <span class="muted">{size}</span>
      </summary>
      <Entries value={value} depth={depth} />
    </details>
  );
}
