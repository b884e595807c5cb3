// Reads a Server-Sent Events stream in tests and benchmarks (excluded from the build by the test-* pattern).

export interface StreamReader {
  contentType: string | null;
  /** The next event of that name not yet taken, waiting up to `timeoutMs`. */
  next(event: string, timeoutMs?: number): Promise<unknown>;
  /** How many events of that name have arrived so far. */
  seen(event: string): number;
  /** Called with each event as it is parsed. */
  onEvent?: (event: string, data: unknown) => void;
  close(): void;
}

export async function openStream(url: string): Promise<StreamReader> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`stream ${url}: ${res.status}`);
  const queues = new Map<string, unknown[]>();
  const counts = new Map<string, number>();
  const waiters = new Set<() => void>();
  const reader: StreamReader = {
    contentType: res.headers.get('content-type'),
    async next(event, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const queue = queues.get(event);
        if (queue?.length) return queue.shift();
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no '${event}' event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    seen: (event) => counts.get(event) ?? 0,
    close: () => abort.abort(),
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!name || data === undefined) continue;
          const parsed = JSON.parse(data) as unknown;
          counts.set(name, (counts.get(name) ?? 0) + 1);
          reader.onEvent?.(name, parsed);
          queues.set(name, [...(queues.get(name) ?? []), parsed]);
          for (const wake of [...waiters]) wake();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return reader;
}
