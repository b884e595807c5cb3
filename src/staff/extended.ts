// Extended service (延时服务), pure: from a day's queue events, the stretches in which a staff member
// served past the window's closing time or through its lunch break, longer than the hall's threshold.
import { merge, type Interval } from './attendance.js';
import type { ExtendedKind } from './tables.js';

const MINUTE = 60_000;

export interface QueueEvent {
  ticketId: string | null;
  type: string;
  at: number;
  windowId: string | null;
  staffId: string | null;
}

export interface Visit extends Interval {
  staffId: string;
  windowId: string | null;
}

/** Service at a window: from start (or the call, when staff did not press start) to finished or transferred. */
export function visitsFromEvents(events: readonly QueueEvent[]): Visit[] {
  const open = new Map<string, { from: number; staffId: string | null; windowId: string | null }>();
  const visits: Visit[] = [];
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (!e.ticketId) continue;
    if (e.type === 'called') open.set(e.ticketId, { from: e.at, staffId: e.staffId, windowId: e.windowId });
    else if (e.type === 'started') {
      const v = open.get(e.ticketId);
      if (v) v.from = e.at;
    } else if (e.type === 'finished' || e.type === 'transferred') {
      const v = open.get(e.ticketId);
      if (v?.staffId) visits.push({ from: v.from, to: e.at, staffId: v.staffId, windowId: v.windowId });
      open.delete(e.ticketId);
    } else if (e.type === 'skipped' || e.type === 'cancelled') open.delete(e.ticketId);
  }
  return visits;
}

/** The times outside a window's sessions that count: between sessions (lunch) and after the last one. */
export function outsideHours(sessions: readonly Interval[], dayEnd: number): { kind: ExtendedKind; span: Interval }[] {
  const out: { kind: ExtendedKind; span: Interval }[] = [];
  for (let i = 1; i < sessions.length; i++) out.push({ kind: 'lunch', span: { from: sessions[i - 1]!.to, to: sessions[i]!.from } });
  const last = sessions.at(-1);
  if (last && last.to < dayEnd) out.push({ kind: 'after_close', span: { from: last.to, to: dayEnd } });
  return out;
}

export interface Stretch {
  staffId: string;
  windowId: string | null;
  kind: ExtendedKind;
  from: number;
  to: number;
  minutes: number;
  visits: number;
}

/**
 * Stretches of extended service: each visit's part outside its window's hours, joined per staff member
 * and kind when the parts are at most `joinMinutes` apart, kept when longer than `minMinutes`.
 */
export function extendedStretches(
  visits: readonly Visit[],
  outsideOf: (windowId: string | null) => readonly { kind: ExtendedKind; span: Interval }[],
  settings: { extendedServiceMinutes: number; extendedJoinMinutes: number },
): Stretch[] {
  const parts = new Map<string, { staffId: string; windowId: string | null; kind: ExtendedKind; items: Interval[] }>();
  for (const v of visits) {
    for (const { kind, span } of outsideOf(v.windowId)) {
      const from = Math.max(v.from, span.from);
      const to = Math.min(v.to, span.to);
      if (to <= from) continue;
      const key = `${v.staffId}|${kind}`;
      let entry = parts.get(key);
      if (!entry) parts.set(key, (entry = { staffId: v.staffId, windowId: v.windowId, kind, items: [] }));
      entry.items.push({ from, to });
    }
  }
  const join = settings.extendedJoinMinutes * MINUTE;
  const stretches: Stretch[] = [];
  for (const entry of parts.values()) {
    // Joining: widen each part by the tolerance, merge, and count the parts inside each merged stretch.
    const joined = merge(entry.items.map((i) => ({ from: i.from, to: i.to + join })));
    for (const j of joined) {
      const inside = entry.items.filter((i) => i.from >= j.from && i.to <= j.to);
      const from = Math.min(...inside.map((i) => i.from));
      const to = Math.max(...inside.map((i) => i.to));
      const minutes = (to - from) / MINUTE;
      if (minutes > settings.extendedServiceMinutes) {
        stretches.push({ staffId: entry.staffId, windowId: entry.windowId, kind: entry.kind, from, to, minutes: Math.round(minutes), visits: inside.length });
      }
    }
  }
  return stretches.sort((a, b) => a.from - b.from);
}
