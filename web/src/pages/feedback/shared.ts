// Shapes the feedback pages read from /api/v1, and small helpers they share.
import { API_BASE } from '@/api';
import { formatInstant } from '@/format';
import type { Light } from '@/lights';
import type { Grade, ReasonTag } from '@shared/feedback/schemas.ts';

export { GRADES, GOOD_TAGS, BAD_TAGS, isBadGrade } from '@shared/feedback/schemas.ts';
export type { Grade, Light, ReasonTag };

/** Grade colours from best to worst, for buttons and charts. */
export const GRADE_COLORS: Record<Grade, string> = { very_satisfied: '#2e7d32', satisfied: '#43a047', basic: '#1565c0', dissatisfied: '#e6a23c', very_dissatisfied: '#c62828' };

export { when } from '@/format';

export interface Subject {
  kind: 'ticket' | 'case' | 'service';
  label: string;
  serviceName: string;
  windowName: string | null;
  staffName: string | null;
  servedAt: string | null;
  rateable: boolean;
  reason: string | null;
  alreadyRated: boolean;
  criteria: string[];
  hallName: string;
}

export interface PadState {
  window: { id: string; name: string; number: number };
  hallName: string;
  ticket: { id: string; number: string; serviceName: string; staffName: string | null; finishedAt: string; padToken: string } | null;
}

export interface RatingRow {
  id: string;
  label: string | null;
  grade: Grade;
  score: number;
  tags: string[];
  comment: string;
  channel: string;
  windowName: string | null;
  staffName: string | null;
  serviceName: string | null;
  departmentName: string | null;
  raterPhone: string | null;
  ratedAt: string;
  excluded: boolean;
  dispute: { id: string; status: 'pending' | 'upheld' | 'rejected'; reason: string; decisionNote: string | null } | null;
  mayDispute: boolean;
}

export interface Followup {
  id: string;
  ratingId: string;
  status: string;
  stage: 'verify' | 'rectify' | 'answer' | 'closed';
  deadline: string;
  light: Light | null;
  overdue: boolean;
  handledInTime: boolean | null;
  verification: 'valid' | 'invalid' | null;
  verificationNote: string | null;
  rectification: string | null;
  answer: string | null;
  raterResponse: string | null;
  extension: { days: number; status: string; reason: string } | null;
  createdAt: string;
  closedAt: string | null;
  allowedActions: string[];
  rating: { grade: Grade; comment: string; tags: string[]; channel: string; ratedAt: string; caseNumber: string | null; windowName: string | null; staffName: string | null; serviceName: string | null; departmentName: string | null; raterPhone: string | null; excluded: boolean };
  history?: { action: string; note: string | null; actorName: string; at: string; toStatus: string }[];
}

export interface Appeal {
  id: string;
  number: string;
  type: string;
  categoryCode: string | null;
  categoryName: string | null;
  source: string;
  content: string;
  appellantName: string | null;
  appellantPhone: string | null;
  address: string | null;
  status: string;
  level: string;
  departmentId: string | null;
  departmentName: string | null;
  receivedAt: string;
  deadline: string | null;
  signDeadline: string | null;
  levelDeadline: string | null;
  light: Light | null;
  overdue: boolean;
  answer: string | null;
  satisfaction: string | null;
  extended: boolean;
  extensionPendingDays: number | null;
  allowedActions: string[];
  history?: { seq: number; action: string; level: string; departmentName: string | null; deadline: string | null; reason: string | null; satisfaction: string | null; actorName: string; at: string }[];
  consistent?: boolean;
}

export interface Department {
  id: string;
  name: string;
}

export interface Person {
  id: string;
  displayName: string;
  roles: string[];
  departmentId: string | null;
  windowIds: string[];
}

/**
 * Posts a rating without the staff session: the window pad is a staff-signed-in device, but the rating is
 * the visitor's, authorised by the pad token (a staff token would be refused as rating one's own service).
 */
export async function postAnonymously<T>(path: string, body: unknown): Promise<{ ok: true; data: T } | { ok: false; status: number; code: string; message: string }> {
  try {
    const res = await fetch(`${API_BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (res.ok) return { ok: true, data: payload as T };
    return { ok: false, status: res.status, code: payload?.error?.code ?? `HTTP_${res.status}`, message: payload?.error?.message ?? '' };
  } catch {
    return { ok: false, status: 0, code: 'NETWORK', message: '' };
  }
}

/** The current month, YYYY-MM, on the hall's clock. */
export function thisMonth(): string {
  return formatInstant(new Date().toISOString()).slice(0, 7);
}
