// Green channels of a booking (domain.md, Queue: 涉老, 立等可取, 上门服务, 场内绿色通道) and what each
// becomes at check-in. Pure: no I/O.
import type { Priority } from '../queue/priority.js';
import type { AppointmentChannel } from './schemas.js';

/** 老年人权益保障法: an older person is 60 or more. */
export const ELDERLY_AGE = 60;

/** Age in whole years on `date` (YYYY-MM-DD) of the holder of a valid 18-digit ID number. */
export function ageOn(idNumber: string, date: string): number {
  const birth = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
  return date.slice(5) < birth.slice(5) ? years - 1 : years;
}

/**
 * The ticket class a checked-in booking gets: 涉老 keeps the elderly class, 立等可取 and 场内绿色通道 the
 * green channel, a plain booking the appointment class. A home visit is served where the person lives,
 * so it has no ticket.
 */
export function ticketPriorityOf(channel: AppointmentChannel): Priority | null {
  switch (channel) {
    case 'normal':
      return 'appointment';
    case 'elderly':
      return 'elderly';
    case 'same_day':
    case 'green_window':
      return 'green';
    case 'home_visit':
      return null;
  }
}
