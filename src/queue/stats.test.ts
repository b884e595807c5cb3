import { describe, expect, it } from 'vitest';
import { local } from '../calendar/test-helpers.js';
import { computeStats, idleMinutes, summarize, type StatEvent } from './stats.js';
import type { TicketEventType } from './tables.js';

const ZONE = 'Asia/Shanghai';
const ev = (ticketId: string | null, type: TicketEventType, reading: string, extra: Partial<StatEvent> = {}): StatEvent => ({
  ticketId,
  type,
  at: local(`2025-09-30T${reading}`),
  serviceId: 'svc',
  windowId: type === 'issued' ? null : 'w1',
  staffId: type === 'issued' ? null : 'u1',
  ...extra,
});

describe('queue statistics from the event log', () => {
  it('measures waiting, walking to the window and service for each visit', () => {
    const stats = computeStats(
      [
        ev('a', 'issued', '09:00'),
        ev('b', 'issued', '09:02'),
        ev('a', 'called', '09:10'),
        ev('a', 'started', '09:11'),
        ev('a', 'finished', '09:21'),
        ev('b', 'called', '09:25'),
        ev('b', 'finished', '09:31'),
      ],
      ZONE,
    );
    expect(summarize(stats.totals)).toEqual({
      tickets: 2,
      called: 2,
      served: 2,
      unserved: 0,
      noShows: 0,
      transferred: 0,
      avgWaitMinutes: (10 + 23) / 2,
      maxWaitMinutes: 23,
      avgWalkMinutes: 1,
      avgServiceMinutes: (10 + 6) / 2,
    });
    // Staff free from 09:21 to the next call at 09:25.
    expect(idleMinutes(stats.byStaff.get('u1')!)).toBe(4);
    expect(stats.byHour.get(9)!.served).toBe(2);
  });

  it('counts a miss as a no-show unless the ticket is restored, and waits again from the restore', () => {
    const stats = computeStats(
      [
        ev('a', 'issued', '09:00'),
        ev('b', 'issued', '09:00'),
        ev('a', 'called', '09:05'),
        ev('a', 'skipped', '09:08'),
        ev('b', 'called', '09:10'),
        ev('b', 'skipped', '09:12'),
        ev('a', 'restored', '09:20'),
        ev('a', 'called', '09:30'),
        ev('a', 'finished', '09:40'),
      ],
      ZONE,
    );
    const total = summarize(stats.totals);
    expect(total.noShows).toBe(1);
    expect(total.served).toBe(1);
    expect(stats.totals.waitMs).toEqual([5 * 60_000, 10 * 60_000, 10 * 60_000]);
  });

  it('leaves pauses out of idle time and does not count idle across days', () => {
    const stats = computeStats(
      [
        ev('a', 'issued', '09:00'),
        ev('a', 'called', '09:00'),
        ev('a', 'finished', '09:10'),
        ev(null, 'paused', '09:15'),
        ev(null, 'resumed', '09:45'),
        ev('b', 'issued', '09:50'),
        ev('b', 'called', '09:50'),
        ev('b', 'finished', '09:55'),
        { ...ev('c', 'called', '09:00'), at: local('2025-10-09T09:00') },
      ],
      ZONE,
    );
    expect(idleMinutes(stats.byStaff.get('u1')!)).toBe(5 + 5);
    expect(idleMinutes(stats.byWindow.get('w1')!)).toBe(10);
  });

  it('ends a visit at a transfer and starts the wait for the next service there', () => {
    const stats = computeStats(
      [
        ev('a', 'issued', '09:00'),
        ev('a', 'called', '09:05'),
        ev('a', 'transferred', '09:15', { serviceId: 'tax' }),
        ev('a', 'called', '09:20', { serviceId: 'tax', windowId: 'w2', staffId: 'u2' }),
        ev('a', 'finished', '09:30', { serviceId: 'tax', windowId: 'w2', staffId: 'u2' }),
      ],
      ZONE,
    );
    expect(summarize(stats.byWindow.get('w1')!)).toMatchObject({ transferred: 1, served: 0, avgServiceMinutes: 10 });
    expect(summarize(stats.byService.get('tax')!)).toMatchObject({ called: 1, served: 1, avgWaitMinutes: 5 });
  });

  it("counts tickets the day's sweep ended as unserved, at the window that had called them, and not as served", () => {
    const stats = computeStats(
      [
        ev('a', 'issued', '16:00'),
        ev('b', 'issued', '16:05'),
        ev('c', 'issued', '16:06'),
        ev('a', 'called', '16:40'),
        ev('c', 'cancelled', '16:50', { windowId: null, staffId: null }), // the visitor withdrew
        ev('a', 'cancelled', '18:00', { reason: 'day_closed' }),
        ev('b', 'cancelled', '18:00', { windowId: null, staffId: null, reason: 'day_closed' }),
      ],
      ZONE,
    );
    expect(summarize(stats.totals)).toMatchObject({ tickets: 3, called: 1, served: 0, unserved: 2, noShows: 0, avgServiceMinutes: null });
    expect(stats.byWindow.get('w1')).toMatchObject({ called: 1, unserved: 1 });
    expect(stats.byService.get('svc')!.unserved).toBe(2);
  });
});
