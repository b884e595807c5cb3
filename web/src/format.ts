/** The hall's time zone: staff and visitors read times as the hall's wall clock, whatever the device says. */
export const HALL_TIME_ZONE = 'Asia/Shanghai';

const instantFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: HALL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2025-09-30 09:15:00` in the hall's time. */
export function formatInstant(iso: string): string {
  const parts = Object.fromEntries(instantFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** `2025-09-30 09:15` in the hall's time, or a dash when there is no instant. */
export const when = (iso: string | null | undefined): string => (iso ? formatInstant(iso).slice(0, 16) : '—');

/** A rate (0.973) as a percentage to one decimal (`97.3%`), or a dash when there is no rate. */
export const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The start of a hall day (`YYYY-MM-DD`) as an instant with the hall's offset (China keeps +08:00). */
export const dayStart = (date: string): string => `${date}T00:00:00+08:00`;

/** The day after a `YYYY-MM-DD` date. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
