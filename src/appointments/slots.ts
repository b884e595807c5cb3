import { fromLocal, localDate, sessionsOn, type HallHours, type Session, type WorkingCalendar } from '../calendar/index.js';
import type { Appointment } from '../catalog/schemas.js';

export interface SlotTime {
  start: number;
  end: number;
}

const minuteOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The slots an item offers on a day: whole slots inside each session of the hall's hours, or of a window's
 * own hours (weekend appointment days), none on a holiday, some on a make-up working day.
 */
export function slotsOn(calendar: WorkingCalendar, hoursList: readonly HallHours[], date: string, setting: Appointment): SlotTime[] {
  const seen = new Set<number>();
  const out: SlotTime[] = [];
  for (const hours of hoursList) {
    for (const [from, to] of sessionsOn(calendar, hours, date) as readonly Session[]) {
      for (let m = minuteOf(from); m + setting.slotMinutes <= minuteOf(to); m += setting.slotMinutes) {
        const start = fromLocal(date, m);
        if (seen.has(start)) continue;
        seen.add(start);
        out.push({ start, end: fromLocal(date, m + setting.slotMinutes) });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Whether a day is inside the booking horizon: from today to `daysAhead` days on. */
export function withinHorizon(date: string, nowMs: number, daysAhead: number): boolean {
  const today = localDate(nowMs);
  const last = localDate(nowMs + daysAhead * 86_400_000);
  return date >= today && date <= last;
}

/** A slot still offered now: it starts after the same-day cut-off. */
export const offeredAt = (slotStart: number, nowMs: number, cutoffMinutes: number): boolean => slotStart > nowMs + cutoffMinutes * 60_000;

export type CheckInTiming = 'early' | 'late' | 'ok';
export function checkInTiming(slot: SlotTime, nowMs: number, earlyMinutes: number, lateMinutes: number): CheckInTiming {
  if (nowMs < slot.start - earlyMinutes * 60_000) return 'early';
  if (nowMs > slot.start + lateMinutes * 60_000) return 'late';
  return 'ok';
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 8 characters without look-alikes (0/O, 1/I), read out at a window or typed at a kiosk. */
export function bookingCode(random: Uint8Array): string {
  return Array.from(random.slice(0, 8), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}
