/**
 * `read`, remembered per key until the end of the current task (the next microtask). Reading many rows of
 * one grid in one go (the rows on screen, the marks' places) then reads what every row shares (the grid's
 * header layout, its own box) once, and a grid the page changes afterwards is never seen through an old
 * answer.
 */
export function perTask<K, V>(read: (key: K) => V): (key: K) => V {
  let known: Map<K, V> | undefined;
  return (key) => {
    if (!known) {
      known = new Map();
      queueMicrotask(() => {
        known = undefined;
      });
    }
    if (!known.has(key)) known.set(key, read(key));
    return known.get(key) as V;
  };
}
