// Group commit: concurrent requests on one node are sent to the database together, one statement for many.
// While a batch is in flight, requests that arrive wait and form the next batch, so an idle node sends a
// lone request at once and a busy one sends fewer, larger batches. Each round trip to the database costs
// both sides a wake-up and protocol work that is much larger than one more row in a statement.

/** One request's own outcome inside a batch: a refusal of one request never fails the others. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * One batch in flight at a time: ticket batches draw from the same few counters, so a second one would
 * only wait for the first one's commit, and make both smaller; for reads, a second batch in flight measured
 * no faster and made the batches smaller (docs/performance.md).
 */
export function createGroupCommit<In, Out>(write: (batch: In[]) => Promise<Outcome<Out>[]>, maxBatch = 100) {
  const waiting: { input: In; resolve: (value: Out) => void; reject: (err: unknown) => void }[] = [];
  let writing = false;

  /** Sends one batch; resolves to the hand-over of its outcomes, so the caller decides when they are delivered. */
  async function send(batch: typeof waiting): Promise<() => void> {
    let outcomes: Outcome<Out>[];
    try {
      outcomes = await write(batch.map((b) => b.input));
    } catch (err) {
      // An unexpected failure (not a refusal): send each request alone, so only the one at fault fails.
      if (batch.length === 1) return () => batch[0]!.reject(err);
      for (const one of batch) (await send([one]))();
      return () => {};
    }
    return () => outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)));
  }

  // The next batch is sent before the last one's outcomes are handed over: answering its requests
  // (serialising and writing the responses) then overlaps the database's work on the next batch.
  async function drain() {
    writing = true;
    let deliver: (() => void) | undefined;
    try {
      while (waiting.length > 0) {
        const next = send(waiting.splice(0, maxBatch));
        deliver?.();
        deliver = await next;
      }
    } finally {
      writing = false;
      deliver?.();
    }
  }

  return {
    submit(input: In): Promise<Out> {
      return new Promise<Out>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

/**
 * Reads by key, batched the same way: concurrent lookups become one `= any($1)` statement. Each answer is
 * at least as fresh as its request, since its batch is sent after the request arrived. Keys asked for twice
 * in one batch are read once; a key the load does not return resolves to undefined.
 */
export function createBatchedLookup<K, V>(load: (keys: K[]) => Promise<Map<K, V>>) {
  const batched = createGroupCommit<K, V | undefined>(async (keys) => {
    const found = await load([...new Set(keys)]);
    return keys.map((k) => ({ ok: true, value: found.get(k) }));
  });
  return (key: K): Promise<V | undefined> => batched.submit(key);
}
