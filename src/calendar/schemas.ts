import { z } from 'zod';

export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= '1971-01-01' && s <= '2199-12-31';
  }, '日期不存在或超出范围');

export const CalendarDay = z.object({
  date: z.string(),
  workday: z.boolean(),
  kind: z.enum(['workday', 'weekend', 'holiday', 'makeup']),
  name: z.string().nullable(),
  overridden: z.boolean().optional(),
});

export const DayOverride = z.object({
  workday: z.boolean(),
  name: z.string().trim().max(40, '名称不能超过 40 个字').nullable().optional(),
});

/** A notice entered by hand: every holiday and make-up day of one year. */
export const NoticeImport = z.object({
  year: z.number().int().min(2000).max(2200),
  source: z.string().trim().max(200).default(''),
  days: z
    .array(z.object({ date: CalendarDate, workday: z.boolean(), name: z.string().trim().min(1).max(40) }))
    .min(1, '至少录入一天')
    .max(120),
});
