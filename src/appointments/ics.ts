/** An iCalendar (RFC 5545) event for a booking, so a phone can add it to its calendar. */
export function bookingIcs(input: { id: string; code: string; title: string; location: string; start: number; end: number; stamp: number }): string {
  const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const text = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//OneWindow//Appointments//ZH',
    'BEGIN:VEVENT',
    `UID:${input.id}@onewindow`,
    `DTSTAMP:${utc(input.stamp)}`,
    `DTSTART:${utc(input.start)}`,
    `DTEND:${utc(input.end)}`,
    `SUMMARY:${text(`预约：${input.title}`)}`,
    `LOCATION:${text(input.location)}`,
    `DESCRIPTION:${text(`预约码 ${input.code}，请携带身份证提前到场签到。`)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
