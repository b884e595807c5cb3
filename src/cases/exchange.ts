// The provincial front database (前置库/交换库) export. The exchange takes a case as several tables keyed by
// the case number: the case header (domain.md: number, query password, item code, applicant, received,
// accepted, promised and finished times, status), its process steps (办理过程), the materials handed in, the
// result and its delivery, the charges of the item's guide the case was accepted under, and its rating.
// Each table is one file, as JSON lines or CSV; a day range by receipt gives a first load, `since` (an
// instant) the rows modified from then on, so the exchange can pull increments.
import { and, asc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { validationFailed } from '../server/errors.js';
import { recordAudit } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { CalendarDate } from '../calendar/schemas.js';
import { formatInstant, fromLocal } from '../calendar/zone.js';
import { guideVersions } from '../catalog/tables.js';
import { ratings } from '../feedback/tables.js';
import { GRADE_LABELS } from '../feedback/schemas.js';
import { departments, halls, services } from '../org/tables.js';
import { openContacts, personalData } from './personal.js';
import { ACTION_LABELS } from './states.js';
import { caseActions, cases } from './tables.js';

/** Days one export by receipt may span: a month of a busy hall (~75,000 cases) stays a file of tens of MB. */
export const EXPORT_MAX_DAYS = 31;

export const FRONT_DB_TABLES = ['cases', 'steps', 'materials', 'results', 'fees', 'ratings'] as const;
export type FrontDbTable = (typeof FRONT_DB_TABLES)[number];

/** Each table's columns, in order, with the names the file carries (documented in docs/decisions.md). */
export const FRONT_DB_COLUMNS = {
  cases: [
    'caseNumber',
    'queryPassword',
    'serviceCode',
    'serviceName',
    'departmentName',
    'kind',
    'status',
    'applicantType',
    'applicantName',
    'applicantIdNumber',
    'applicantPhone',
    'receivedAt',
    'acceptedAt',
    'promisedAt',
    'finishedAt',
    'limitDays',
    'result',
    'deliveryMethod',
    'trackingNumber',
    'modifiedAt',
  ],
  steps: ['caseNumber', 'seq', 'action', 'actionName', 'statusAfter', 'actorName', 'reason', 'at'],
  materials: ['caseNumber', 'materialId', 'name', 'required', 'condition', 'received', 'modifiedAt'],
  results: ['caseNumber', 'status', 'result', 'finishedAt', 'deliveryMethod', 'pickupAt', 'trackingNumber', 'deliveredAt', 'modifiedAt'],
  fees: ['caseNumber', 'guideVersion', 'feeName', 'amountFen', 'unit', 'basis', 'modifiedAt'],
  ratings: ['caseNumber', 'grade', 'gradeName', 'score', 'channel', 'comment', 'ratedAt', 'modifiedAt'],
} as const satisfies Record<FrontDbTable, readonly string[]>;

type Cell = string | number | boolean | null;
/** A row of one table; each table's rows are built as `RowOf<table>`, so a column cannot be missed. */
export type FrontDbRow = Record<string, Cell>;
type RowOf<T extends FrontDbTable> = Record<(typeof FRONT_DB_COLUMNS)[T][number], Cell>;

export const instant = (d: Date | null) => (d ? formatInstant(d.getTime()) : null);

export function toJsonLines(table: FrontDbTable, rows: readonly FrontDbRow[]): string {
  const columns: readonly string[] = FRONT_DB_COLUMNS[table];
  return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((f) => [f, r[f] ?? null])))).join('\n') + (rows.length ? '\n' : '');
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF; a BOM for Excel. */
export function toCsv(table: FrontDbTable, rows: readonly FrontDbRow[]): string {
  const columns: readonly string[] = FRONT_DB_COLUMNS[table];
  const cell = (v: Cell) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.join(','), ...rows.map((r) => columns.map((f) => cell(r[f] ?? null)).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Which rows: cases received on hall-local days `from`..`to`, or everything modified at or after `since`. */
export type ExportRange = { from: string; to: string; since?: undefined } | { since: string; from?: undefined; to?: undefined };

export const ExportQuery = z.object({
  table: z.enum(FRONT_DB_TABLES, { message: '表名只能是 cases、steps、materials、results、fees、ratings' }).default('cases'),
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
  since: z.iso.datetime({ offset: true, message: '增量起点应为带时区的 ISO 8601 时间' }).optional(),
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
});

/** A day range, or an increment: one of the two, never both. */
export function exportRange(q: { from?: string; to?: string; since?: string }): ExportRange {
  if (q.since !== undefined && q.from === undefined && q.to === undefined) return { since: q.since };
  if (q.since === undefined && q.from !== undefined && q.to !== undefined) return { from: q.from, to: q.to };
  throw validationFailed('请指定受理日期范围（from 和 to）或增量起点（since），二者选一', q);
}

export const exportFilename = (table: FrontDbTable, range: ExportRange, format: string) =>
  `${table}-${range.since !== undefined ? `since-${range.since.replace(/[^0-9T]/g, '')}` : `${range.from}-${range.to}`}.${format}`;

export function createFrontDbExport(ctx: AppContext) {
  const { db } = ctx;

  /** The cases in range, by receipt or by their last modification; a step or a rating modifies its case too. */
  function caseWhere(hallId: string, zone: string, range: ExportRange): SQL {
    if (range.since !== undefined) return and(eq(cases.hallId, hallId), gte(cases.updatedAt, new Date(range.since)))!;
    return and(eq(cases.hallId, hallId), gte(cases.receivedAt, new Date(fromLocal(range.from, 0, zone))), lt(cases.receivedAt, new Date(fromLocal(range.to, 24 * 60, zone))))!;
  }

  async function rowsOf(tx: Db, hallId: string, zone: string, table: FrontDbTable, range: ExportRange): Promise<FrontDbRow[]> {
    const inRange = caseWhere(hallId, zone, range);
    switch (table) {
      case 'cases': {
        const rows = await tx
          .select({ c: cases, serviceCode: services.code, departmentName: departments.name })
          .from(cases)
          .innerJoin(services, eq(services.id, cases.serviceId))
          .innerJoin(departments, eq(departments.id, cases.departmentId))
          .where(inRange)
          .orderBy(asc(cases.receivedAt), asc(cases.caseNumber));
        const pd = await personalData(tx);
        return rows.map(({ c, serviceCode, departmentName }): RowOf<'cases'> => {
          const { idNumber, phone } = openContacts(pd, c);
          return {
            caseNumber: c.caseNumber,
            queryPassword: c.queryPassword,
            serviceCode,
            serviceName: c.serviceName,
            departmentName,
            kind: c.kind,
            status: c.status,
            applicantType: c.applicantType,
            applicantName: c.applicantName,
            applicantIdNumber: idNumber,
            applicantPhone: phone,
            receivedAt: instant(c.receivedAt),
            acceptedAt: instant(c.acceptedAt),
            promisedAt: instant(c.deadlineAt),
            finishedAt: instant(c.finishedAt),
            limitDays: c.limitDays,
            result: c.result,
            deliveryMethod: c.deliveryMethod,
            trackingNumber: c.trackingNumber,
            modifiedAt: instant(c.updatedAt),
          };
        });
      }
      case 'steps': {
        // Incremental: the steps taken since, whatever the case; by receipt: every step of those cases.
        const where = range.since !== undefined ? and(eq(caseActions.hallId, hallId), gte(caseActions.at, new Date(range.since))) : inRange;
        const rows = await tx
          .select({ a: caseActions, caseNumber: cases.caseNumber })
          .from(caseActions)
          .innerJoin(cases, eq(cases.id, caseActions.caseId))
          .where(where)
          .orderBy(asc(cases.receivedAt), asc(cases.caseNumber), asc(caseActions.seq));
        return rows.map(({ a, caseNumber }): RowOf<'steps'> => ({
          caseNumber,
          seq: a.seq,
          action: a.action,
          actionName: ACTION_LABELS[a.action],
          statusAfter: a.statusAfter,
          actorName: a.actorName,
          reason: a.reason,
          at: instant(a.at),
        }));
      }
      case 'materials': {
        const rows = await tx.select({ c: cases }).from(cases).where(inRange).orderBy(asc(cases.receivedAt), asc(cases.caseNumber));
        return rows.flatMap(({ c }) =>
          c.materials.map((m): RowOf<'materials'> => ({ caseNumber: c.caseNumber, materialId: m.id, name: m.name, required: m.required, condition: m.condition, received: m.received, modifiedAt: instant(c.updatedAt) })),
        );
      }
      case 'results': {
        // A result exists once the case is finished (done, not accepted, returned ...).
        const rows = await tx.select({ c: cases }).from(cases).where(inRange).orderBy(asc(cases.receivedAt), asc(cases.caseNumber));
        return rows
          .filter(({ c }) => c.finishedAt !== null)
          .map(({ c }): RowOf<'results'> => ({
            caseNumber: c.caseNumber,
            status: c.status,
            result: c.result,
            finishedAt: instant(c.finishedAt),
            deliveryMethod: c.deliveryMethod,
            pickupAt: instant(c.pickupAt),
            trackingNumber: c.trackingNumber,
            deliveredAt: instant(c.deliveredAt),
            modifiedAt: instant(c.updatedAt),
          }));
      }
      case 'fees': {
        // The charges published in the guide the case was accepted under; a free item has none.
        const rows = await tx
          .select({ c: cases, content: guideVersions.content })
          .from(cases)
          .innerJoin(guideVersions, and(eq(guideVersions.serviceId, cases.serviceId), eq(guideVersions.version, cases.guideVersion)))
          .where(inRange)
          .orderBy(asc(cases.receivedAt), asc(cases.caseNumber));
        return rows.flatMap(({ c, content }) =>
          content.fees.free
            ? []
            : content.fees.items.map((f): RowOf<'fees'> => ({ caseNumber: c.caseNumber, guideVersion: c.guideVersion, feeName: f.name, amountFen: f.amountFen, unit: f.unit, basis: f.basis, modifiedAt: instant(c.updatedAt) })),
        );
      }
      case 'ratings': {
        // Incremental: ratings given or changed since; by receipt: the ratings of those cases.
        const modified = sql`coalesce(${ratings.updatedAt}, ${ratings.recordedAt})`;
        const where = range.since !== undefined ? and(eq(ratings.hallId, hallId), gte(modified, new Date(range.since))) : inRange;
        const rows = await tx
          .select({ r: ratings, caseNumber: cases.caseNumber })
          .from(ratings)
          .innerJoin(cases, eq(cases.id, ratings.caseId))
          .where(and(where, eq(ratings.excluded, false)))
          .orderBy(asc(ratings.ratedAt));
        return rows.map(({ r, caseNumber }): RowOf<'ratings'> => ({
          caseNumber,
          grade: r.grade,
          gradeName: GRADE_LABELS[r.grade],
          score: r.score,
          channel: r.channel,
          comment: r.comment,
          ratedAt: instant(r.ratedAt),
          modifiedAt: instant(r.updatedAt ?? r.recordedAt),
        }));
      }
    }
  }

  return {
    /**
     * One table of the hall's cases, with the numbers in clear for the provincial exchange; audited, since
     * it hands personal data out of the system.
     */
    async exportTable(user: AuthUser, table: FrontDbTable, range: ExportRange): Promise<FrontDbRow[]> {
      if (range.since === undefined) {
        const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
        if (days < 1) throw validationFailed('结束日期不能早于开始日期', range);
        if (days > EXPORT_MAX_DAYS) throw validationFailed(`一次最多导出 ${EXPORT_MAX_DAYS} 天的办件`, range);
      }
      const [hall] = await db.select({ zone: halls.timeZone }).from(halls).where(eq(halls.id, user.hallId));
      const rows = await rowsOf(db, user.hallId, hall!.zone, table, range);
      await db.transaction((tx) => recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'case.export', entityType: 'hall', entityId: user.hallId, after: { table, ...range, rows: rows.length } }));
      return rows;
    },
  };
}
