import { describe, expect, it } from 'vitest';
import { extendedStretches, outsideHours, visitsFromEvents } from './extended.js';

const at = (hhmm: string) => Date.parse(`2025-09-30T${hhmm}:00+08:00`);
const sessions = [
  { from: at('09:00'), to: at('11:45') },
  { from: at('13:00'), to: at('16:45') },
];
const outside = outsideHours(sessions, at('23:59'));
const settings = { extendedServiceMinutes: 30, extendedJoinMinutes: 10 };
const ev = (ticketId: string, type: string, hhmm: string) => ({ ticketId, type, at: at(hhmm), windowId: 'w1', staffId: 's1' });

describe('extended service (延时服务)', () => {
  it('finds service past closing longer than half an hour, joining visits that follow each other', () => {
    const visits = visitsFromEvents([
      ev('a', 'called', '16:30'), ev('a', 'started', '16:31'), ev('a', 'finished', '16:58'),
      ev('b', 'called', '17:00'), ev('b', 'finished', '17:25'),
    ]);
    const found = extendedStretches(visits, () => outside, settings);
    expect(found).toEqual([expect.objectContaining({ staffId: 's1', kind: 'after_close', minutes: 40, visits: 2 })]);
  });

  it('counts service through lunch, and not a short overrun', () => {
    const lunch = visitsFromEvents([ev('c', 'called', '11:30'), ev('c', 'finished', '12:20')]);
    expect(extendedStretches(lunch, () => outside, settings)).toEqual([expect.objectContaining({ kind: 'lunch', minutes: 35 })]);
    const short = visitsFromEvents([ev('d', 'called', '16:40'), ev('d', 'finished', '17:10')]);
    expect(extendedStretches(short, () => outside, settings)).toEqual([]);
  });

  it('ignores a visit that ended in a no-show', () => {
    const visits = visitsFromEvents([ev('e', 'called', '16:40'), ev('e', 'skipped', '17:40')]);
    expect(extendedStretches(visits, () => outside, settings)).toEqual([]);
  });
});
