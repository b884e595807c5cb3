// The provincial front database (前置库) export: one flat record per case, the case header the provincial
// platform's exchange tables hold (domain.md: number, query password, item code, applicant, received,
// accepted, promised and finished times, status), as JSON lines or CSV. Pure: rows in, text out.
import { formatInstant } from '../calendar/zone.js';
import type { CaseKind, CaseStatus } from './states.js';

/** The columns, in order, with the names the file carries (documented in docs/decisions.md). */
export const FRONT_DB_FIELDS = [
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
] as const;

export type FrontDbRecord = {
  caseNumber: string;
  queryPassword: string | null;
  serviceCode: string;
  serviceName: string;
  departmentName: string;
  kind: CaseKind;
  status: CaseStatus;
  applicantType: 'person' | 'company';
  applicantName: string;
  applicantIdNumber: string;
  applicantPhone: string;
  receivedAt: string;
  acceptedAt: string | null;
  promisedAt: string | null;
  finishedAt: string | null;
  limitDays: number;
  result: string | null;
  deliveryMethod: 'pickup' | 'post';
  trackingNumber: string | null;
};

export const instant = (d: Date | null) => (d ? formatInstant(d.getTime()) : null);

export function toJsonLines(records: readonly FrontDbRecord[]): string {
  return records.map((r) => JSON.stringify(Object.fromEntries(FRONT_DB_FIELDS.map((f) => [f, r[f]])))).join('\n') + (records.length ? '\n' : '');
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF; a BOM for Excel. */
export function toCsv(records: readonly FrontDbRecord[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [FRONT_DB_FIELDS.join(','), ...records.map((r) => FRONT_DB_FIELDS.map((f) => cell(r[f])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
