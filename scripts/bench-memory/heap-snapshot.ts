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
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
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
