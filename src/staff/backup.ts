// AB backup (AB角), pure: whether a post is covered right now, and what to do with its gap record.
import type { GapReason } from './tables.js';

export interface OnPost {
  userId: string;
  /** The window the person signed in at. */
  windowId: string | null;
}

export interface OpenGoingOut {
  userId: string;
  windowId: string | null;
  coveredBy: string | null;
}

/**
 * A window is covered when someone signed in at it is not out, or when the person who went out from it
 * named a cover who is signed in and not out themselves.
 */
export function coverageOf(windowId: string, signedIn: readonly OnPost[], outs: readonly OpenGoingOut[]): 'covered' | GapReason {
  const out = new Set(outs.map((o) => o.userId));
  const here = signedIn.filter((p) => p.windowId === windowId);
  if (here.some((p) => !out.has(p.userId))) return 'covered';
  const present = new Set(signedIn.filter((p) => !out.has(p.userId)).map((p) => p.userId));
  const leftHere = outs.filter((o) => o.windowId === windowId);
  if (leftHere.some((o) => o.coveredBy && present.has(o.coveredBy))) return 'covered';
  return here.length > 0 || leftHere.length > 0 ? 'out_without_cover' : 'nobody_signed_in';
}

export type GapStep =
  | { action: 'none' }
  | { action: 'open'; reason: GapReason; openedAt: number }
  | { action: 'close'; closedAt: number };

/**
 * One check of one post. A gap opens once the post has stood empty for `graceMs` inside a session
 * (dated from when it became empty) and closes when someone is back or the session ends; at most one is
 * open per window, so checking every minute still alerts once per gap.
 */
export function gapStep(input: {
  now: number;
  /** The session under way now, or null when the window is not due to be open. */
  session: { from: number; to: number } | null;
  coverage: 'covered' | GapReason;
  /** Last moment someone left the post today (sign-out or going out), if any. */
  lastLeftAt: number | null;
  openGap: { openedAt: number } | null;
  /** End of the session in which the open gap began, so a gap left open over lunch closes at noon. */
  openGapSessionEnd: number | null;
  graceMs: number;
}): GapStep {
  const { now, session, coverage, openGap } = input;
  if (openGap) {
    if (!session || coverage === 'covered') return { action: 'close', closedAt: Math.min(now, input.openGapSessionEnd ?? now) };
    if (input.openGapSessionEnd !== null && input.openGapSessionEnd < session.from) return { action: 'close', closedAt: input.openGapSessionEnd };
    return { action: 'none' };
  }
  if (!session || coverage === 'covered') return { action: 'none' };
  const emptySince = Math.max(session.from, input.lastLeftAt ?? session.from);
  if (now - emptySince < input.graceMs) return { action: 'none' };
  return { action: 'open', reason: coverage, openedAt: emptySince };
}
