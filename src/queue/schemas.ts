import { z } from 'zod';
import { isMobilePhone } from '../shared/identity.js';
import { DEFAULT_PRIORITY_POLICY, PRIORITIES } from './priority.js';
import { TICKET_STATUSES } from './states.js';

// Shared by the server (validation, OpenAPI) and the web app (kiosk, console, display).

const ServiceCode = z.string().trim().min(1, '事项编码不能为空').max(40);
export const Priority = z.enum(PRIORITIES);
export const TicketStatus = z.enum(TICKET_STATUSES);
const Instant = z.string();

export const TicketInput = z
  .object({
    serviceCode: ServiceCode,
    channel: z.enum(['kiosk', 'mobile', 'staff']),
    // Appointment tickets come only from an appointment's check-in, never from this public form.
    priority: z.enum(['normal', 'green', 'elderly']).default('normal'),
    /** One-window acceptance: the services that follow, in order, on the same number. */
    thenServiceCodes: z.array(ServiceCode).max(5, '一张号票最多串联 6 个事项').default([]),
    name: z.string().trim().min(1, '姓名不能为空').max(40).optional(),
    /** Checked by the service (400 INVALID_ID_NUMBER, the code appointments use too). */
    idNumber: z.string().trim().min(1).max(20).optional(),
    phone: z
      .string()
      .trim()
      .refine(isMobilePhone, '手机号码应为 11 位，以 13-19 开头')
      .optional(),
  });
export type TicketInput = z.infer<typeof TicketInput>;

export const TransferInput = z
  .object({
    serviceCode: ServiceCode,
    /** Only this window may call it next (e.g. the colleague who handles the follow-up). */
    windowId: z.uuid({ message: '窗口编号格式不正确' }).optional(),
  });

export const StepsInput = z.object({ serviceCodes: z.array(ServiceCode).max(5, '一张号票最多串联 6 个事项') });

export const PauseInput = z
  .object({ reason: z.string().trim().min(1, '暂停须填写原因（如休息、外出）').max(60, '原因不能超过 60 个字') });

const TicketStep = z.object({ serviceCode: z.string(), serviceName: z.string(), state: z.enum(['done', 'current', 'next']) });

/** What anyone holding the ticket may see: no personal data but a masked name. */
export const PublicTicket = z.object({
  id: z.string(),
  number: z.string(),
  serviceCode: z.string(),
  serviceName: z.string(),
  status: TicketStatus,
  priority: Priority,
  ahead: z.number().int(),
  estimatedWaitMinutes: z.number().int(),
  issuedAt: Instant,
  calledAt: Instant.nullable(),
  windowName: z.string().nullable(),
  windowNumber: z.number().nullable(),
  holderName: z.string().nullable(),
  steps: z.array(TicketStep),
  /** Until when a missed ticket can still be restored at a window. */
  restorableUntil: Instant.nullable(),
});
export type PublicTicket = z.infer<typeof PublicTicket>;

/** What the window sees: adds the masked ID and phone, recalls and the ticket's events. */
export const StaffTicket = PublicTicket.extend({
  channel: z.string(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  recallCount: z.number().int(),
  recallsLeft: z.number().int(),
  startedAt: Instant.nullable(),
  windowId: z.string().nullable(),
});
export type StaffTicket = z.infer<typeof StaffTicket>;

/** `POST /tickets` answer: the fixed fields of shared/api.md and the rest of the public view. */
export const IssuedTicket = PublicTicket;

/** A service offered at the kiosk and on the phone. */
export const TicketService = z.object({
  code: z.string(),
  name: z.string(),
  prefix: z.string(),
  departmentName: z.string(),
  waiting: z.number().int(),
  /** Tickets can be taken now; otherwise `nextOpening` says when. */
  open: z.boolean(),
  nextOpening: Instant.nullable(),
});
export type TicketService = z.infer<typeof TicketService>;

const Guard = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ratio'), normal: z.number().int().min(1).max(20), priority: z.number().int().min(1).max(20) }),
  z.object({ kind: z.literal('maxInRow'), max: z.number().int().min(1).max(50) }),
  z.object({ kind: z.literal('none') }),
]);

/** Hall settings of the queue (`halls.settings.queue`); every field has the default a hall starts with. */
export const QueueSettings = z
  .object({
    /** Every class once, highest first; classes above `normal` count as priority for the guard. */
    priorityOrder: z
      .array(Priority)
      .length(PRIORITIES.length, '须列出全部 4 个类别')
      .refine((o) => new Set(o).size === o.length, '类别不能重复')
      .default([...DEFAULT_PRIORITY_POLICY.order]),
    guard: Guard.default(DEFAULT_PRIORITY_POLICY.guard),
    /** Recalls after the first call; pressing recall once more counts the ticket as missed. */
    recallLimit: z.number().int().min(0).max(10).default(2),
    /** Minutes after a miss during which a window may put the ticket back in line. */
    restoreGraceMinutes: z.number().int().min(0).max(480).default(30),
    /** SMS "N places from the front" to visitors who left a phone; 0 turns it off. */
    notifyAhead: z.number().int().min(0).max(50).default(3),
    /** Real-name tickets: name and ID number required, one number per item per ID per day. */
    realName: z.boolean().default(false),
    /** Tickets per service per day, by service code; a service not listed has no cap. */
    dailyCaps: z.record(z.string(), z.number().int().min(1).max(100_000)).default({}),
    /** Ticket cut-off before closing per service code, replacing the hall's `ticketCutoffMinutes`. */
    cutoffMinutes: z.record(z.string(), z.number().int().min(0).max(240)).default({}),
    /** Service time assumed for the estimate until a service has history. */
    defaultServiceMinutes: z.number().int().min(1).max(240).default(10),
    /**
     * Minutes after closing at which the day's unfinished tickets are ended (日终清号); until then a
     * window may still serve the visitors left in line (延时服务).
     */
    sweepAfterMinutes: z.number().int().min(0).max(600).default(60),
  });
export type QueueSettings = z.infer<typeof QueueSettings>;

/** A hall's stored queue settings; a setting stored by an older version that no longer parses falls back to the defaults. */
export function queueSettingsOf(stored: unknown): QueueSettings {
  const parsed = QueueSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : QueueSettings.parse({});
}

export const DisplayCall = z.object({
  number: z.string(),
  windowName: z.string(),
  windowNumber: z.number(),
  windowId: z.string(),
  serviceName: z.string(),
  calledAt: Instant,
  /** A recall of the same ticket: announce again. */
  recall: z.boolean(),
});
export type DisplayCall = z.infer<typeof DisplayCall>;

export const WaitingCount = z.object({ serviceCode: z.string(), serviceName: z.string(), prefix: z.string(), waiting: z.number().int() });
export type WaitingCount = z.infer<typeof WaitingCount>;

export const DisplayWindow = z.object({
  id: z.string(),
  number: z.number(),
  name: z.string(),
  status: z.enum(['open', 'paused', 'closed']),
  pauseReason: z.string().nullable(),
  current: z.object({ number: z.string(), status: TicketStatus, calledAt: Instant.nullable(), serviceName: z.string() }).nullable(),
  waiting: z.number().int(),
});
export type DisplayWindow = z.infer<typeof DisplayWindow>;

export const DisplayState = z.object({
  hallName: z.string(),
  at: Instant,
  windows: z.array(DisplayWindow),
  recentCalls: z.array(DisplayCall),
  waiting: z.array(WaitingCount),
});
export type DisplayState = z.infer<typeof DisplayState>;

const Durations = z.object({
  tickets: z.number().int(),
  called: z.number().int(),
  served: z.number().int(),
  /** Ended by the day's sweep without being served. */
  unserved: z.number().int(),
  noShows: z.number().int(),
  transferred: z.number().int(),
  avgWaitMinutes: z.number().nullable(),
  maxWaitMinutes: z.number().nullable(),
  avgWalkMinutes: z.number().nullable(),
  avgServiceMinutes: z.number().nullable(),
});
export const QueueStats = z.object({
  from: z.string(),
  to: z.string(),
  totals: Durations,
  byService: z.array(Durations.extend({ serviceCode: z.string(), serviceName: z.string() })),
  byWindow: z.array(Durations.extend({ windowId: z.string(), windowName: z.string(), idleMinutes: z.number() })),
  byStaff: z.array(Durations.extend({ staffId: z.string(), staffName: z.string(), idleMinutes: z.number() })),
  byHour: z.array(Durations.extend({ hour: z.number().int() })),
});
export type QueueStats = z.infer<typeof QueueStats>;
