// Petitions (信访) register: time, name, sex, age, occupation, address and issue; answered on the spot or
// within the limit; a leader receives the petitioner within a week; a group visit (the hall's threshold,
// 5 people by default) is flagged at once to the managers. Personal data in clear for the office only.
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { cancelTimer, scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { maskName } from '../shared/identity.js';
import { personalData, type PersonalData } from '../cases/personal.js';
import { deadlineAfter, iso, lightOf, nextNumber, notifyRoles, shownPhone, type HallTime, type HallTimes } from './common.js';
import { PETITION_CHANNEL_LABELS, type PetitionAnswer, type PetitionInput, type ReceptionInput, type ReceptionUpdate } from './schemas.js';
import { petitionReceptions, petitions, type PetitionRow } from './tables.js';

export const PETITION_TIMER = 'feedback.petition';
const DAY_MS = 86_400_000;

export function createPetitionService(ctx: AppContext, times: HallTimes) {
  const { db, clock } = ctx;
  const clearFor = (user: AuthUser) => user.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor');

  function view(p: PetitionRow, time: HallTime, pd: PersonalData, clear: boolean, receptions: (typeof petitionReceptions.$inferSelect)[] = []) {
    const within = p.registeredAt.getTime() + time.settings.petition.receptionWithinDays * DAY_MS;
    return {
      id: p.id,
      number: p.number,
      channel: p.channel,
      channelLabel: PETITION_CHANNEL_LABELS[p.channel],
      registeredAt: iso(p.registeredAt, time.zone)!,
      name: clear ? p.name : maskName(p.name),
      sex: p.sex,
      age: p.age,
      occupation: p.occupation,
      address: clear ? p.address : '',
      phone: shownPhone(pd.open(p.phoneEnc, p.phone), clear),
      issue: p.issue,
      visitors: p.visitors,
      groupVisit: p.groupVisit,
      status: p.status,
      dueAt: iso(p.dueAt, time.zone)!,
      light: lightOf(time, p.dueAt, clock.now(), p.answeredAt),
      overdue: p.overdueAt !== null,
      answer: p.answer,
      onTheSpot: p.onTheSpot,
      answeredAt: iso(p.answeredAt, time.zone),
      receptionDueBy: iso(new Date(within), time.zone)!,
      receptions: receptions.map((r) => ({
        id: r.id,
        leaderId: r.leaderId,
        leaderName: r.leaderName,
        scheduledAt: iso(r.scheduledAt, time.zone)!,
        place: r.place,
        status: r.status,
        notes: r.notes,
        // 领导接访 within a week of registration; a later date is allowed but shown as late.
        late: r.scheduledAt.getTime() > within,
      })),
    };
  }

  async function receptionsOf(ids: string[]) {
    if (ids.length === 0) return new Map<string, (typeof petitionReceptions.$inferSelect)[]>();
    const rows = await db.select().from(petitionReceptions).where(inArray(petitionReceptions.petitionId, ids)).orderBy(asc(petitionReceptions.scheduledAt));
    const map = new Map<string, (typeof petitionReceptions.$inferSelect)[]>();
    for (const r of rows) map.set(r.petitionId, [...(map.get(r.petitionId) ?? []), r]);
    return map;
  }

  async function one(user: AuthUser, id: string) {
    const [p] = await db.select().from(petitions).where(and(eq(petitions.id, id), eq(petitions.hallId, user.hallId)));
    if (!p) throw notFound('信访登记');
    const time = await times(user.hallId);
    return view(p, time, await personalData(db), clearFor(user), (await receptionsOf([p.id])).get(p.id));
  }

  return {
    async register(user: AuthUser, input: z.output<typeof PetitionInput>) {
      const time = await times(user.hallId);
      const now = clock.now();
      const actor = actorOf(user);
      const group = input.visitors >= time.settings.petition.groupThreshold;
      const dueAt = deadlineAfter(time, now, time.settings.petition.answerDays);
      const pd = await personalData(db);
      const id = await db.transaction(async (tx) => {
        const number = await nextNumber(tx, user.hallId, 'XF', time.zone, now);
        const [p] = await tx
          .insert(petitions)
          .values({ hallId: user.hallId, number, ...input, phone: null, phoneEnc: pd.seal(input.phone), age: input.age ?? null, registeredAt: now, groupVisit: group, status: 'open', dueAt, createdByName: actor.name })
          .returning({ id: petitions.id });
        await recordAudit(tx, actor, { hallId: user.hallId, action: 'petition.registered', entityType: 'petition', entityId: p!.id, after: { number, visitors: input.visitors, group } });
        await scheduleTimer(tx, { hallId: user.hallId, kind: PETITION_TIMER, key: p!.id, dueAt: new Date(dueAt.getTime() + 1000), payload: { deadline: dueAt.toISOString() } });
        if (group) {
          // 集体访 are escalated at once, not at the deadline.
          await notifyRoles(
            tx,
            user.hallId,
            ['manager'],
            { template: 'feedback.group_visit', body: `群体来访：${input.visitors} 人（${number}），反映：${input.issue.slice(0, 60)}，请立即安排处置。`, params: { petitionId: p!.id }, dedupeKey: `feedback.group_visit:${p!.id}` },
            now,
          );
        }
        return p!.id;
      });
      return one(user, id);
    },

    async list(user: AuthUser, status: 'open' | 'answered' | 'all') {
      const time = await times(user.hallId);
      const where: SQL[] = [eq(petitions.hallId, user.hallId)];
      if (status !== 'all') where.push(eq(petitions.status, status));
      const rows = await db.select().from(petitions).where(and(...where)).orderBy(desc(petitions.registeredAt)).limit(500);
      const receptions = await receptionsOf(rows.map((r) => r.id));
      const pd = await personalData(db);
      return rows.map((p) => view(p, time, pd, clearFor(user), receptions.get(p.id)));
    },

    get: one,

    async answer(user: AuthUser, id: string, input: z.output<typeof PetitionAnswer>) {
      const now = clock.now();
      const actor = actorOf(user);
      await db.transaction(async (tx) => {
        const [p] = await tx.select().from(petitions).where(and(eq(petitions.id, id), eq(petitions.hallId, user.hallId))).for('update');
        if (!p) throw notFound('信访登记');
        if (p.status !== 'open') throw new DomainError(409, 'ALREADY_ANSWERED', `信访 ${p.number} 已答复`);
        await tx.update(petitions).set({ status: 'answered', answer: input.answer, onTheSpot: input.onTheSpot, answeredAt: now }).where(eq(petitions.id, p.id));
        await cancelTimer(tx, PETITION_TIMER, p.id);
        await recordAudit(tx, actor, { hallId: p.hallId, action: 'petition.answered', entityType: 'petition', entityId: p.id, after: { onTheSpot: input.onTheSpot } });
      });
      return one(user, id);
    },

    /** Schedules a leader's reception (领导接访); the leader is told by notice. */
    async scheduleReception(user: AuthUser, id: string, input: z.output<typeof ReceptionInput>) {
      const [leader] = await db.select().from(users).where(and(eq(users.id, input.leaderId), eq(users.hallId, user.hallId), eq(users.active, true)));
      if (!leader || !leader.roles.some((r) => r === 'leader' || r === 'manager')) throw validationFailed('接访人须为本中心的领导', { leaderId: input.leaderId });
      const scheduledAt = new Date(input.scheduledAt);
      const now = clock.now();
      if (scheduledAt < now) throw validationFailed('接访时间不能早于现在', { scheduledAt: input.scheduledAt });
      const actor = actorOf(user);
      await db.transaction(async (tx) => {
        const [p] = await tx.select().from(petitions).where(and(eq(petitions.id, id), eq(petitions.hallId, user.hallId)));
        if (!p) throw notFound('信访登记');
        const [r] = await tx
          .insert(petitionReceptions)
          .values({ hallId: p.hallId, petitionId: p.id, leaderId: leader.id, leaderName: leader.displayName || leader.username, scheduledAt, place: input.place, status: 'scheduled', createdAt: now })
          .returning({ id: petitionReceptions.id });
        await recordAudit(tx, actor, { hallId: p.hallId, action: 'petition.reception_scheduled', entityType: 'petition', entityId: p.id, after: { receptionId: r!.id, leaderId: leader.id, scheduledAt: input.scheduledAt } });
        await notifyRoles(tx, p.hallId, leader.roles, { template: 'feedback.reception', body: `请于 ${input.scheduledAt.slice(0, 16).replace('T', ' ')} 在${input.place || '信访接待室'}接待信访人（${p.number}）。`, dedupeKey: `feedback.reception:${r!.id}` }, now);
      });
      return one(user, id);
    },

    async updateReception(user: AuthUser, receptionId: string, input: z.output<typeof ReceptionUpdate>) {
      const actor = actorOf(user);
      const petitionId = await db.transaction(async (tx) => {
        const [r] = await tx.select().from(petitionReceptions).where(and(eq(petitionReceptions.id, receptionId), eq(petitionReceptions.hallId, user.hallId))).for('update');
        if (!r) throw notFound('接访安排');
        if (r.status !== 'scheduled') throw new DomainError(409, 'INVALID_TRANSITION', '该接访已办结或取消');
        await tx.update(petitionReceptions).set({ status: input.status, notes: input.notes ?? null }).where(eq(petitionReceptions.id, r.id));
        await recordAudit(tx, actor, { hallId: r.hallId, action: `petition.reception_${input.status}`, entityType: 'petition', entityId: r.petitionId, after: { receptionId } });
        return r.petitionId;
      });
      return one(user, petitionId);
    },
  };
}
export type PetitionService = ReturnType<typeof createPetitionService>;

export const petitionOverdue: TimerHandler = async (tx, timer) => {
  const [p] = await tx.select().from(petitions).where(eq(petitions.id, timer.key)).for('update');
  if (!p || p.status !== 'open' || p.overdueAt || p.dueAt.toISOString() !== timer.payload.deadline) return;
  await tx.update(petitions).set({ overdueAt: p.dueAt }).where(eq(petitions.id, p.id));
  await recordAudit(tx, SYSTEM_ACTOR, { hallId: p.hallId, action: 'petition.overdue', entityType: 'petition', entityId: p.id });
  await notifyRoles(tx, p.hallId, ['manager', 'supervisor'], { template: 'feedback.petition_overdue', body: `信访 ${p.number} 已超过答复期限，请督办。`, params: { petitionId: p.id }, dedupeKey: `feedback.petition_overdue:${p.id}` }, timer.dueAt);
};
