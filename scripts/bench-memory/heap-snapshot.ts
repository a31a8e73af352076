import { createWriteStream, readFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';

/**
 * Writes a heap snapshot of the page's renderer (every world of the page: the console's and the content
 * script's) to `file`, streamed as the DevTools protocol hands it out in chunks.
 */
export async function writeHeapSnapshot(cdp: CDPSession, file: string): Promise<void> {
  const out = createWriteStream(file);
  const onChunk = ({ chunk }: { chunk: string }) => out.write(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

interface SnapshotFile {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Bytes and counts of the objects in a snapshot by kind and constructor (or function, or string) name. */
export function sizesByConstructor(file: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as SnapshotFile;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const sizes = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!] ?? '?';
    // Strings are many and each distinct: count them together by kind.
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string'
        ? ''
        : (snap.strings[snap.nodes[i + nameAt]!] ?? '?').slice(0, 80);
    const key = `${type} ${name}`;
    const entry = sizes.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snap.nodes[i + sizeAt]!;
    entry.count += 1;
    sizes.set(key, entry);
  }
  return sizes;
}

/** V8's compiled forms of a function: machine code, bytecode, their tables and the type feedback. */
const CODE_KINDS = new Set([
  'system / InstructionStream',
  'system / Code',
  'system / BytecodeArray',
  'system / TrustedByteArray',
  'system / FeedbackVector',
]);
const SCRIPT_PREFIX = 'system / Script / ';

/**
 * Bytes of compiled code in a snapshot by the script it was compiled from (its URL; '' for code the
 * DevTools protocol evaluated, '?' when no function owns it within a few steps). The renderer's heap holds
 * the page's code and the content script's together: this says whose code a heap difference is.
 */
export function codeByScript(file: string): Map<string, number> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as SnapshotFile;
  const { meta } = snap.snapshot;
  const width = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const edgeToAt = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const count = snap.nodes.length / width;
  const nameOf = (node: number) => snap.strings[snap.nodes[node * width + nameAt]!] ?? '';
  const typeOf = (node: number) => nodeTypes[snap.nodes[node * width + typeAt]!] ?? '';

  // Edges are stored node by node; index them both ways (CSR arrays: a snapshot has millions of edges).
  const firstEdge = new Uint32Array(count + 1);
  for (let node = 0, edge = 0; node < count; node += 1) {
    firstEdge[node] = edge;
    edge += snap.nodes[node * width + edgeCountAt]! * edgeWidth;
    firstEdge[node + 1] = edge;
  }
  const inCount = new Uint32Array(count + 1);
  for (let e = 0; e < snap.edges.length; e += edgeWidth) inCount[snap.edges[e + edgeToAt]! / width + 1]! += 1;
  for (let node = 0; node < count; node += 1) inCount[node + 1]! += inCount[node]!;
  const inFrom = new Uint32Array(snap.edges.length / edgeWidth);
  const fill = inCount.slice(0, count);
  for (let node = 0; node < count; node += 1) {
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e += edgeWidth) {
      const to = snap.edges[e + edgeToAt]! / width;
      inFrom[fill[to]!++] = node;
    }
  }
  const edgeTo = (node: number, name: string): number | null => {
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e += edgeWidth) {
      const type = edgeTypes[snap.edges[e + edgeTypeAt]!];
      if (type === 'element' || type === 'hidden') continue;
      if (snap.strings[snap.edges[e + edgeNameAt]!] === name) return snap.edges[e + edgeToAt]! / width;
    }
    return null;
  };
  const scriptOf = (fn: number): string => {
    const shared = typeOf(fn) === 'closure' ? edgeTo(fn, 'shared') : fn;
    const script = shared == null ? null : edgeTo(shared, 'script');
    const name = script == null ? '' : nameOf(script);
    return name.startsWith(SCRIPT_PREFIX) ? name.slice(SCRIPT_PREFIX.length) : '?';
  };
  /** The nearest function (shared info or closure) holding this code, a few references up. */
  const ownerOf = (node: number): number | null => {
    const seen = new Set([node]);
    let frontier = [node];
    for (let depth = 0; depth < 5 && frontier.length; depth += 1) {
      const next: number[] = [];
      for (const at of frontier) {
        for (let i = inCount[at]!; i < inCount[at + 1]!; i += 1) {
          const from = inFrom[i]!;
          if (seen.has(from)) continue;
          seen.add(from);
          if (typeOf(from) === 'closure' || nameOf(from).startsWith('system / SharedFunctionInfo'))
            return from;
          next.push(from);
        }
      }
      frontier = next;
    }
    return null;
  };
  const bytes = new Map<string, number>();
  for (let node = 0; node < count; node += 1) {
    if (typeOf(node) !== 'code' || !CODE_KINDS.has(nameOf(node))) continue;
    const owner = ownerOf(node);
    const script = owner == null ? '?' : scriptOf(owner);
    bytes.set(script, (bytes.get(script) ?? 0) + snap.nodes[node * width + sizeAt]!);
  }
  return bytes;
}
