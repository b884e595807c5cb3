// Group commit: concurrent requests on one node are written together, one transaction for many.
// While a batch is being written, requests that arrive wait and form the next batch, so an idle node
// writes a lone request at once and a busy one writes fewer, larger transactions.

/** One request's own outcome inside a batch: a refusal of one request never fails the others. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function createGroupCommit<In, Out>(write: (batch: In[]) => Promise<Outcome<Out>[]>, maxBatch = 100) {
  const waiting: { input: In; resolve: (value: Out) => void; reject: (err: unknown) => void }[] = [];
  let writing = false;

  async function settle(batch: typeof waiting): Promise<void> {
    let outcomes: Outcome<Out>[];
    try {
      outcomes = await write(batch.map((b) => b.input));
    } catch (err) {
      // An unexpected failure (not a refusal): write each request alone, so only the one at fault fails.
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const one of batch) await settle([one]);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)));
  }

  /**
   * One batch at a time: every batch draws from the same few counters, so a second one in flight would
   * only wait for the first one's commit, and make both smaller.
   */
  async function drain() {
    writing = true;
    while (waiting.length > 0) await settle(waiting.splice(0, maxBatch));
    writing = false;
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
