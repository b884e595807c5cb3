// Timing and percentiles, as every bench reads them.
import { loadavg } from 'node:os';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1)! };
}

/** Milliseconds for a table cell: two decimals, right-aligned. */
export const ms = (n: number) => n.toFixed(2).padStart(7);

/** How long `fn` took, in milliseconds, and what it returned. */
export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

/** The machine's three load averages: the VM is shared, so a figure is read beside them. */
export const loads = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * Runs `fn` `rounds` times and prints its median and fastest run beside `label` and the load; returns the
 * last result and the median.
 */
export async function timeRounds<T>(label: string, fn: () => Promise<T>, rounds = 1): Promise<{ result: T; median: number }> {
  const samples: number[] = [];
  let result!: T;
  for (let i = 0; i < rounds; i++) {
    const [took, value] = await time(fn);
    samples.push(took);
    result = value;
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  console.log(`${label.padEnd(58)} ${rounds > 1 ? `median ${median.toFixed(0).padStart(7)} ms  min ${samples[0]!.toFixed(0).padStart(7)} ms (${rounds} runs)` : `${median.toFixed(0).padStart(7)} ms`}   load ${loads()}`);
  return { result, median };
}
