// A per-node cache of values read on every ticket request (a hall's settings, the services a kiosk
// offers). A node's own changes clear it at once; changes made on another node apply within `ttlMs`.

export function ttlCache<V>(ttlMs: number) {
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  return {
    /** The cached value, or `load()`'s when there is none younger than `ttlMs`. */
    get(key: string, load: () => Promise<V>): Promise<V> {
      const now = Date.now(); // the cache's age is this process's wall time, not the hall's clock
      const hit = entries.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = load();
      entries.set(key, { at: now, value });
      // A failed read is not kept: the next request tries again.
      value.catch(() => entries.delete(key));
      return value;
    },
    delete(key: string) {
      entries.delete(key);
    },
  };
}
