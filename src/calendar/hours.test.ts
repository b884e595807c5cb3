import { describe, expect, it } from 'vitest';
import { compileHours, isOpenAt, nextOpening, sessionsOn, ticketsOpenAt, validateHours, type HallHours } from './hours.js';
import { HOURS, SEED_HOURS, local } from './test-helpers.js';
import { WorkingCalendar } from './working-calendar.js';
import { formatInstant } from './zone.js';

const calendar = new WorkingCalendar();

describe('validateHours', () => {
  it('accepts the seed halls\' hours and a day ending at 24:00', () => {
    expect(validateHours(HOURS)).toEqual([]);
    expect(validateHours(SEED_HOURS)).toEqual([]);
    expect(validateHours({ workday: [['00:00', '24:00']], weekend: [['08:30', '24:00']], ticketCutoffMinutes: 0 })).toEqual([]);
  });

  it('explains each problem in Chinese, with the field it concerns', () => {
    const issues = (h: Partial<HallHours>) => validateHours({ ...HOURS, ...h });
    expect(issues({ workday: [['9:00', '12:00']] })).toEqual([
      { path: 'workday[0][0]', message: '工作日第 1 个时段的开始时间“9:00”无效，应为 00:00 至 23:59' },
    ]);
    expect(issues({ workday: [['24:00', '24:00']] })[0]?.message).toContain('开始时间“24:00”无效');
    expect(issues({ weekend: [['09:00', '24:30']] })[0]).toEqual({
      path: 'weekend[0][1]',
      message: '周末第 1 个时段的结束时间“24:30”无效，应为 00:01 至 24:00',
    });
    expect(issues({ workday: [['13:00', '12:00']] })[0]?.message).toBe('工作日第 1 个时段的结束时间必须晚于开始时间');
    expect(issues({ workday: [['09:00', '12:00'], ['11:00', '17:00']] })[0]?.message).toContain('重叠或顺序颠倒');
    expect(issues({ workday: [['13:00', '17:00'], ['09:00', '12:00']] })[0]?.path).toBe('workday[1]');
    expect(issues({ workday: [] })).toEqual([{ path: 'workday', message: '工作日至少需要一个办公时段' }]);
    expect(issues({ ticketCutoffMinutes: -5 })[0]?.path).toBe('ticketCutoffMinutes');
    expect(issues({ ticketCutoffMinutes: 2.5 })).toHaveLength(1);
  });

  it('lets sessions touch end to start', () => {
    expect(validateHours({ ...HOURS, workday: [['09:00', '12:00'], ['12:00', '17:00']] })).toEqual([]);
  });

  it('refuses to compute with invalid hours', () => {
    expect(() => compileHours({ ...HOURS, workday: [] })).toThrow(/办公时间设置无效：工作日至少需要一个办公时段/);
  });
});

describe('sessions by kind of day', () => {
  it('opens a make-up Saturday with workday hours, a normal Saturday with Saturday service, a holiday not at all', () => {
    expect(sessionsOn(calendar, HOURS, '2025-10-11')).toEqual(HOURS.workday);
    expect(sessionsOn(calendar, HOURS, '2025-10-18')).toEqual(HOURS.weekend);
    expect(sessionsOn(calendar, HOURS, '2025-10-04')).toEqual([]);
    expect(sessionsOn(calendar, HOURS, '2025-10-01')).toEqual([]);
    expect(sessionsOn(calendar, SEED_HOURS, '2025-10-18')).toEqual([]);
    expect(sessionsOn(calendar, HOURS, '2025-10-13')).toEqual(HOURS.workday);
  });

  it('follows the hall\'s overrides', () => {
    const hall = new WorkingCalendar({ overrides: [{ date: '2025-10-03', workday: true, name: '国庆值班' }] });
    expect(sessionsOn(hall, HOURS, '2025-10-03')).toEqual(HOURS.workday);
  });

  it('is open inside a session of the day, closed over lunch and on holidays', () => {
    expect(isOpenAt(calendar, HOURS, local('2025-10-11T14:00'))).toBe(true);
    expect(isOpenAt(calendar, HOURS, local('2025-10-18T14:00'))).toBe(false);
    expect(isOpenAt(calendar, HOURS, local('2025-10-18T10:00'))).toBe(true);
    expect(isOpenAt(calendar, HOURS, local('2025-10-04T10:00'))).toBe(false);
    expect(isOpenAt(calendar, HOURS, local('2025-10-13T12:30'))).toBe(false);
    expect(isOpenAt(calendar, HOURS, local('2025-10-13T09:00'))).toBe(true);
    expect(isOpenAt(calendar, HOURS, local('2025-10-13T17:00'))).toBe(false);
    expect(isOpenAt(calendar, HOURS, local('2025-10-13T16:59:59'))).toBe(true);
  });

  it('stops issuing tickets the cut-off before each session ends', () => {
    expect(ticketsOpenAt(calendar, HOURS, local('2025-10-13T16:29'))).toBe(true);
    expect(ticketsOpenAt(calendar, HOURS, local('2025-10-13T16:30'))).toBe(false);
    expect(ticketsOpenAt(calendar, HOURS, local('2025-10-13T11:45'))).toBe(false);
    expect(ticketsOpenAt(calendar, HOURS, local('2025-10-13T13:00'))).toBe(true);
  });

  it('uses the hall time zone whatever instant is given', () => {
    // 2025-10-13 01:30 UTC is 09:30 in the hall.
    expect(isOpenAt(calendar, HOURS, Date.UTC(2025, 9, 13, 1, 30))).toBe(true);
    expect(isOpenAt(calendar, HOURS, Date.UTC(2025, 9, 13, 1, 30), 'UTC')).toBe(false);
  });
});

describe('nextOpening', () => {
  const next = (hours: HallHours, at: string, c = calendar) => {
    const ms = nextOpening(c, hours, local(at));
    return ms === null ? null : formatInstant(ms);
  };

  it('is the instant itself while open, else the next session start', () => {
    expect(next(HOURS, '2025-10-13T10:00')).toBe('2025-10-13T10:00:00+08:00');
    expect(next(HOURS, '2025-10-13T12:15')).toBe('2025-10-13T13:00:00+08:00');
    expect(next(HOURS, '2025-10-13T07:00')).toBe('2025-10-13T09:00:00+08:00');
  });

  it('skips the National Day week, with or without Saturday service', () => {
    expect(next(HOURS, '2025-09-30T17:30')).toBe('2025-10-09T09:00:00+08:00');
    expect(next(SEED_HOURS, '2025-09-30T17:30')).toBe('2025-10-09T09:00:00+08:00');
  });

  it('opens on Saturday morning only where there is Saturday service', () => {
    expect(next(HOURS, '2025-10-17T18:00')).toBe('2025-10-18T09:00:00+08:00');
    expect(next(SEED_HOURS, '2025-10-17T18:00')).toBe('2025-10-20T09:00:00+08:00');
    expect(next(HOURS, '2025-10-18T12:00')).toBe('2025-10-19T09:00:00+08:00');
  });

  it('gives null when nothing opens within 400 days', () => {
    const closures = new WorkingCalendar({
      overrides: Array.from({ length: 420 }, (_, i) => ({
        date: new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10),
        workday: false,
        name: '闭馆',
      })),
    });
    expect(next(HOURS, '2030-01-01T08:00', closures)).toBeNull();
  });
});
