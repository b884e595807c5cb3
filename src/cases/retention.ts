// The nightly retention run of a hall: personal fields of finished cases received more than the hall's
// `retentionYears` ago are anonymised, with the phones of their ratings, and rows written before
// migration 0014 get their numbers sealed. One audit event per run says what it did.
import { and, asc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import { fromLocal, localDate } from '../calendar/zone.js';
import { scheduleTimer } from '../jobs/timers.js';
import { timers } from '../jobs/tables.js';
import { halls } from '../org/tables.js';
import { anonymiseCaseRatings, sealFeedbackPhones } from '../feedback/retention.js';
import { escape, type NoticeData } from './notices.js';
import { openContacts, type PersonalData } from './personal.js';
import { caseSettingsOf } from './schemas.js';
import { caseNotices, cases } from './tables.js';

export const RETENTION_TIMER = 'cases.retention';
/** What stands in for a name once it is anonymised. */
export const ANONYMISED = '（已匿名）';
/** 02:00 hall time: after the day's work and the 01:00 report roll-ups. */
const RUN_AT_MINUTE = 120;
/** Cases (and clear rows) per run; a run that fills its batch comes back in a few minutes for the rest. */
export const RETENTION_BATCH = 500;
const AGAIN_AFTER_MS = 5 * 60_000;

const dateParts = (date: string) => date.split('-').map(Number) as [number, number, number];

function nextNight(now: Date, zone: string): Date {
  const [y, m, d] = dateParts(localDate(now.getTime(), zone));
  return new Date(fromLocal(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10), RUN_AT_MINUTE, zone));
}

/** The start of the hall-local day `years` years before today: cases received before it are due. */
export function retentionCutoff(now: Date, years: number, zone: string): { date: string; at: Date } {
  const [y, m, d] = dateParts(localDate(now.getTime(), zone));
  const date = new Date(Date.UTC(y - years, m - 1, d)).toISOString().slice(0, 10);
  return { date, at: new Date(fromLocal(date, 0, zone)) };
}

/** Gives a hall its nightly run if it has none (migration 0014 gave every hall of its day one). */
export async function ensureRetentionRun(tx: Db, hallId: string, zone: string, now: Date): Promise<void> {
  await tx.insert(timers).values({ hallId, kind: RETENTION_TIMER, key: hallId, dueAt: nextNight(now, zone) }).onConflictDoNothing();
}

/** Seals the clear numbers of cases written before migration 0014. */
async function sealLegacyCases(tx: Db, pd: PersonalData, hallId: string): Promise<number> {
  const rows = await tx
    .select()
    .from(cases)
    .where(and(eq(cases.hallId, hallId), sql`(${cases.applicantIdNumber} is not null or ${cases.applicantPhone} is not null or ${cases.agent} ? 'idNumber')`))
    .limit(RETENTION_BATCH);
  for (const row of rows) {
    const { idNumber, phone, agent } = openContacts(pd, row);
    await tx
      .update(cases)
      .set({
        applicantIdNumber: null,
        applicantPhone: null,
        applicantIdNumberEnc: idNumber ? pd.seal(idNumber) : null,
        applicantPhoneEnc: phone ? pd.seal(phone) : null,
        agent: agent ? { name: agent.name, authorization: agent.authorization } : null,
        agentEnc: agent ? pd.seal(JSON.stringify({ idNumber: agent.idNumber, phone: agent.phone })) : null,
      })
      .where(eq(cases.id, row.id));
  }
  return rows.length;
}

/** Blanks the applicant in the notices as issued: the name, the masked number and the agent's name. */
async function anonymiseNotices(tx: Db, caseIds: string[]): Promise<void> {
  const notices = await tx.select({ id: caseNotices.id, data: caseNotices.data, html: caseNotices.html }).from(caseNotices).where(inArray(caseNotices.caseId, caseIds));
  if (notices.length === 0) return;
  // Notices are append-only; this transaction, and only it, may rewrite them (migration 0014's trigger).
  await tx.execute(sql`select set_config('onewindow.anonymise', 'on', true)`);
  for (const notice of notices) {
    const data = notice.data as unknown as NoticeData;
    let html = notice.html;
    for (const [from, to] of [
      [data.applicant.name, ANONYMISED],
      [data.agentName, ANONYMISED],
      [data.applicant.idMasked, '—'],
    ] as const) {
      if (from && from !== to) html = html.replaceAll(escape(from), to);
    }
    const anonymised: NoticeData = { ...data, applicant: { ...data.applicant, name: ANONYMISED, idMasked: '—' }, agentName: data.agentName ? ANONYMISED : null };
    await tx.update(caseNotices).set({ data: anonymised as unknown as Record<string, unknown>, html }).where(eq(caseNotices.id, notice.id));
  }
}

/** One run for one hall, in the timer's transaction; schedules the next. */
export async function runRetention(tx: Db, pd: PersonalData, hallId: string, now: Date): Promise<{ anonymised: number; ratings: number; sealed: number; cutoff: string }> {
  const [hall] = await tx.select({ settings: halls.settings, zone: halls.timeZone }).from(halls).where(eq(halls.id, hallId));
  if (!hall) return { anonymised: 0, ratings: 0, sealed: 0, cutoff: '' };
  const years = caseSettingsOf(hall.settings).retentionYears;
  const cutoff = retentionCutoff(now, years, hall.zone);
  const sealed = (await sealLegacyCases(tx, pd, hallId)) + (await sealFeedbackPhones(tx, pd, hallId, RETENTION_BATCH));
  const due = await tx
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.hallId, hallId), isNull(cases.anonymisedAt), isNotNull(cases.finishedAt), lt(cases.receivedAt, cutoff.at)))
    .orderBy(asc(cases.receivedAt))
    .limit(RETENTION_BATCH)
    .for('update');
  const ids = due.map((c) => c.id);
  let ratings = 0;
  if (ids.length) {
    await tx
      .update(cases)
      .set({
        applicantName: ANONYMISED,
        applicantIdNumber: null,
        applicantPhone: null,
        applicantIdNumberEnc: null,
        applicantPhoneEnc: null,
        applicantContact: null,
        agent: null,
        agentEnc: null,
        queryPassword: null,
        deliveryAddress: null,
        anonymisedAt: now,
      })
      .where(inArray(cases.id, ids));
    await anonymiseNotices(tx, ids);
    ratings = await anonymiseCaseRatings(tx, ids);
  }
  const result = { anonymised: ids.length, ratings, sealed, cutoff: cutoff.date };
  await recordAudit(tx, SYSTEM_ACTOR, { hallId, action: 'case.retention', entityType: 'hall', entityId: hallId, after: { retentionYears: years, ...result } });
  const more = ids.length === RETENTION_BATCH || sealed > 0;
  await scheduleTimer(tx, { hallId, kind: RETENTION_TIMER, key: hallId, dueAt: more ? new Date(now.getTime() + AGAIN_AFTER_MS) : nextNight(now, hall.zone) });
  return result;
}
