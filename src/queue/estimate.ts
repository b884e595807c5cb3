// The estimated wait shown on the ticket and the "my ticket" page.

/** Used until a service has finished visits of its own to learn from. */
export const DEFAULT_SERVICE_MINUTES = 10;

/** The typical service time: the median, so one two-hour case does not frighten everyone in the line. */
export function typicalServiceMs(recentServiceMs: readonly number[], defaultMinutes = DEFAULT_SERVICE_MINUTES): number {
  const sample = recentServiceMs.filter((ms) => Number.isFinite(ms) && ms > 0).sort((a, b) => a - b);
  if (sample.length === 0) return defaultMinutes * 60_000;
  const mid = sample.length >> 1;
  return sample.length % 2 ? sample[mid]! : (sample[mid - 1]! + sample[mid]!) / 2;
}

/**
 * Whole minutes until the visitor is called: the people ahead, served in parallel by the open windows
 * taking the service, at the typical service time. With every window paused it counts one window, so
 * the estimate stays finite and errs long.
 */
export function estimateWaitMinutes(
  ahead: number,
  recentServiceMs: readonly number[],
  openWindows: number,
  defaultMinutes = DEFAULT_SERVICE_MINUTES,
): number {
  if (ahead <= 0) return 0;
  const perPerson = typicalServiceMs(recentServiceMs, defaultMinutes);
  return Math.ceil((ahead * perPerson) / Math.max(1, openWindows) / 60_000);
}
