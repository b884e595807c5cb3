// Requests of the reports capability; shared with the web app, so zod only.
import { z } from 'zod';
import { DateText, Month } from '../staff/schemas.js';

/** Which hall a report is for: `hall=CODE` (default the reader's own), `subtree=1` adds up its whole subtree. */
const HallChoice = { hall: z.string().regex(/^[A-Za-z0-9]{2,16}$/, '中心编码为 2-16 位字母或数字').optional() };
const Subtree = { subtree: z.enum(['0', '1']).default('0') };
export const MonthlyQuery = z.object({ month: Month, format: z.enum(['json', 'pdf', 'xlsx']).default('json'), ...HallChoice, ...Subtree });

export const BulletinTextsInput = z.object({
  issueNo: z.string().trim().max(20).default(''),
  intro: z.string().trim().max(2000).default(''),
  problems: z.string().trim().max(10_000).default(''),
  nextSteps: z.string().trim().max(10_000).default(''),
});
export type BulletinTextsInput = z.infer<typeof BulletinTextsInput>;

export const YearQuery = z.object({ year: z.coerce.number().int().min(2000, '年份无效').max(2100, '年份无效'), ...HallChoice, ...Subtree });

export const DashboardQuery = z.object({ from: DateText, to: DateText, ...HallChoice, ...Subtree });
