import { z } from 'zod';
import { isMobilePhone } from '../shared/identity.js';

/** Hall settings under `settings.appointments`; the defaults are domain.md's [local] rules. */
export const AppointmentSettings = z.object({
  perPersonPerDay: z.number().int().min(1).max(10).default(1),
  perPersonPerItem: z.number().int().min(1).max(10).default(1),
  cancelCutoffMinutes: z.number().int().min(0).max(7 * 24 * 60).default(120),
  sameDayCutoffMinutes: z.number().int().min(0).max(24 * 60).default(60),
  checkInEarlyMinutes: z.number().int().min(0).max(240).default(30),
  checkInLateMinutes: z.number().int().min(0).max(240).default(15),
  holdMinutes: z.number().int().min(1).max(30).default(5),
  noShowLimit: z.number().int().min(1).max(10).default(2),
  noShowWindowDays: z.number().int().min(1).max(365).default(30),
  blockDays: z.number().int().min(1).max(365).default(90),
});
export type AppointmentSettings = z.infer<typeof AppointmentSettings>;
/** What a manager sends: every rule, nothing else, so a stray or partial body cannot reset the others. */
export const AppointmentSettingsInput = z.strictObject(AppointmentSettings.shape).required();

export const SlotQuery = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
  hall: z.string().max(16).optional(),
});

export const Slot = z.object({ start: z.string(), end: z.string(), capacity: z.number(), remaining: z.number() });
export type Slot = z.infer<typeof Slot>;

const Instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601（带时区）' });
const Name = z.string().trim().min(1, '姓名不能为空').max(40, '姓名最长 40 字');
/** The checksum is checked by the service, so a bad number gets 400 INVALID_ID_NUMBER, not VALIDATION_FAILED. */
const IdNumber = z.string().trim().min(1, '请填写身份证号码').max(30);
const Phone = z.string().trim().refine(isMobilePhone, '手机号码应为 11 位，以 13-19 开头');
const BookingCode = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{8}$/, '预约码为 8 位字母或数字');

/** 涉老, 立等可取, 上门服务, 场内绿色通道 (domain.md, Queue) besides a plain booking. */
export const APPOINTMENT_CHANNELS = ['normal', 'elderly', 'same_day', 'home_visit', 'green_window'] as const;
export type AppointmentChannel = (typeof APPOINTMENT_CHANNELS)[number];

export const BookingInput = z.object({
  serviceCode: z.string().trim().min(1).max(40),
  start: Instant,
  name: Name,
  idNumber: IdNumber,
  phone: Phone,
  channel: z.enum(APPOINTMENT_CHANNELS).default('normal'),
  holdId: z.uuid().optional(),
  /** Home visit (上门服务) only. */
  address: z.string().trim().max(200).optional(),
});
export type BookingInput = z.infer<typeof BookingInput>;

export const HoldInput = z.object({ serviceCode: z.string().trim().min(1).max(40), start: Instant });
export const Hold = z.object({ holdId: z.string(), expiresAt: z.string() });

export const PersonProof = z.object({ code: BookingCode, idNumber: IdNumber });
export const RescheduleInput = PersonProof.extend({ start: Instant });
export const CheckInInput = z.object({ code: BookingCode.optional(), idNumber: IdNumber });
export const LookupQuery = z.object({ code: BookingCode });

/** 预约领取: the case number and the applicant's ID number prove whose result it is. */
export const PickupProof = z.object({ caseNumber: z.string().trim().min(4, '请填写受理编号').max(64, '受理编号格式不正确'), idNumber: IdNumber });
export type PickupProof = z.infer<typeof PickupProof>;
/** The SMS goes to the case's mobile unless another is given (a company's landline, a changed number). */
export const PickupBookingInput = PickupProof.extend({ start: Instant, phone: Phone.optional() });
export type PickupBookingInput = z.infer<typeof PickupBookingInput>;

export const PublicAppointment = z.object({
  id: z.string(),
  code: z.string(),
  serviceCode: z.string(),
  serviceName: z.string().optional(),
  start: z.string(),
  end: z.string(),
  status: z.string(),
  channel: z.string().optional(),
  name: z.string().optional(),
  idNumber: z.string().optional(),
  phone: z.string().optional(),
});
export type PublicAppointment = z.infer<typeof PublicAppointment>;

export const CloseInput = z.object({
  serviceCode: z.string().trim().min(1).max(40),
  /** A slot's start, or a whole day. */
  start: Instant.optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  reason: z.string().trim().min(1, '请填写关闭原因').max(200),
}).refine((v) => Boolean(v.start) !== Boolean(v.date), '请指定一个时段（start）或一天（date）');

/** 上门服务: the staff member who visits. */
export const AssignInput = z.object({ staffId: z.uuid({ message: '请选择上门的工作人员' }) });

export const HomeVisitQuery = z.object({ date: SlotQuery.shape.date });

/** A home visit as staff see it: the visiting staff need the address and the number to call. */
export const HomeVisit = z.object({
  id: z.string(),
  code: z.string(),
  serviceName: z.string(),
  start: z.string(),
  end: z.string(),
  status: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
});
export type HomeVisit = z.infer<typeof HomeVisit>;
