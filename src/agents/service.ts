// Agents (代办员): the registry of a station's or township's agents with their training, the cases each
// carries, their own board, and a county's view of where agents are overloaded.
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.js';
import { readAll } from '../db/reads.js';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, validationFailed } from '../server/errors.js';
import { recordAudit } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { formatInstant } from '../calendar/zone.js';
import { personalData } from '../cases/personal.js';
import { STATUS_LABELS, type CaseStatus } from '../cases/states.js';
import { cases } from '../cases/tables.js';
import { hallScope } from '../org/network.js';
import { halls } from '../org/tables.js';
import { maskPhone } from '../shared/identity.js';
import {
  agentSettingsOf,
  type AgentBoard,
  type AgentInput,
  type AgentSettings,
  type AgentStatusInput,
  type AgentView,
  type TrainingInput,
} from './schemas.js';
import { agents, agentTrainings, type AgentRow } from './tables.js';

/** Cases the applicant is no longer owed anything on: the agent's load leaves them out. */
const SETTLED: CaseStatus[] = ['delivered', 'returned', 'not_accepted', 'not_required'];
const READERS = ['manager', 'leader', 'supervisor'] as const;

/** The agent named to carry a case of `hallId`: an active agent registered at that hall (404 or 409 otherwise). */
export async function checkCarrier(tx: Db, hallId: string, agentId: string): Promise<void> {
  const [agent] = await tx.select({ hallId: agents.hallId, status: agents.status, name: agents.name }).from(agents).where(eq(agents.id, agentId));
  if (!agent || agent.hallId !== hallId) throw notFound('代办员', { agentId });
  if (agent.status !== 'active') throw new DomainError(409, 'AGENT_SUSPENDED', `代办员${agent.name}已暂停代办，不能再承接办件`, { agentId });
}

export function createAgentService({ db, clock }: AppContext) {
  async function hallOfCode(tx: Db, user: AuthUser, code: string | undefined) {
    const [id] = await hallScope(tx, user, ['manager'], { hall: code });
    const [hall] = await tx.select().from(halls).where(eq(halls.id, id!));
    return hall!;
  }

  /** An agent whose hall the user manages (the hall itself or one above it). */
  async function managed(tx: Db, user: AuthUser, id: string): Promise<AgentRow & { hallCode: string }> {
    const [row] = await tx.select({ agent: agents, hallCode: halls.code }).from(agents).innerJoin(halls, eq(halls.id, agents.hallId)).where(eq(agents.id, id));
    if (!row) throw notFound('代办员', { id });
    await hallScope(tx, user, ['manager'], { hall: row.hallCode });
    return { ...row.agent, hallCode: row.hallCode };
  }

  /** The agents' views with their training, open load and the limit of their hall. */
  async function views(tx: Db, rows: AgentRow[]): Promise<AgentView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const now = clock.now();
    const [hallRows, trainings, loads, pd] = await readAll(tx, [
      () => tx.select({ id: halls.id, code: halls.code, name: halls.name, settings: halls.settings }).from(halls).where(inArray(halls.id, [...new Set(rows.map((r) => r.hallId))])),
      () => tx.select().from(agentTrainings).where(inArray(agentTrainings.agentId, ids)).orderBy(asc(agentTrainings.trainedOn)),
      () =>
        tx
          .select({ agentId: cases.agentId, open: sql<number>`count(*)`, overdue: sql<number>`count(*) filter (where ${cases.finishedAt} is null and ${cases.deadlineAt} < ${now})` })
          .from(cases)
          .where(and(inArray(cases.agentId, ids), notInArray(cases.status, SETTLED)))
          .groupBy(cases.agentId),
      () => personalData(tx),
    ]);
    const hallOf = new Map(hallRows.map((h) => [h.id, h]));
    return rows.map((r) => {
      const hall = hallOf.get(r.hallId)!;
      const load = loads.find((l) => l.agentId === r.id);
      const { maxOpenCases } = agentSettingsOf(hall.settings);
      const openCases = Number(load?.open ?? 0);
      return {
        id: r.id,
        hall: { code: hall.code, name: hall.name },
        name: r.name,
        phone: maskPhone(pd.open(r.phoneEnc) ?? ''),
        status: r.status,
        statusReason: r.statusReason,
        linkedUser: r.userId !== null,
        trainings: trainings.filter((x) => x.agentId === r.id).map((x) => ({ course: x.course, trainedOn: x.trainedOn, certificate: x.certificate })),
        openCases,
        overdue: Number(load?.overdue ?? 0),
        maxOpenCases,
        overloaded: openCases > maxOpenCases,
      };
    });
  }

  const viewOf = async (tx: Db, id: string) => (await views(tx, await tx.select().from(agents).where(eq(agents.id, id))))[0]!;

  return {
    /** The agents of a hall and, by default, its subtree; the overloaded first, then by load. */
    async list(user: AuthUser, query: { hall?: string; subtree: boolean }): Promise<AgentView[]> {
      const hallIds = await hallScope(db, user, READERS, { hall: query.hall, subtree: query.subtree });
      const rows = await db.select().from(agents).where(inArray(agents.hallId, hallIds)).orderBy(asc(agents.name));
      const list = await views(db, rows);
      return list.sort((a, b) => Number(b.overloaded) - Number(a.overloaded) || b.openCases - a.openCases || a.name.localeCompare(b.name, 'zh-CN'));
    },

    async register(user: AuthUser, input: z.infer<typeof AgentInput>): Promise<AgentView> {
      return db.transaction(async (tx) => {
        const hall = await hallOfCode(tx, user, input.hall);
        if (input.userId) {
          const [account] = await tx.select({ hallId: users.hallId }).from(users).where(eq(users.id, input.userId));
          if (!account || account.hallId !== hall.id) throw validationFailed('关联的工作人员须属于代办员所在的服务中心', { userId: input.userId });
        }
        const pd = await personalData(tx);
        const [row] = await tx
          .insert(agents)
          .values({ hallId: hall.id, userId: input.userId ?? null, name: input.name, phoneEnc: pd.seal(input.phone), createdAt: clock.now(), updatedAt: clock.now() })
          .returning();
        await recordAudit(tx, actorOf(user), { hallId: hall.id, action: 'agent.registered', entityType: 'agent', entityId: row!.id, after: { name: input.name, hall: hall.code, userId: input.userId ?? null } });
        return viewOf(tx, row!.id);
      });
    },

    async addTraining(user: AuthUser, id: string, input: z.infer<typeof TrainingInput>): Promise<AgentView> {
      return db.transaction(async (tx) => {
        const agent = await managed(tx, user, id);
        await tx.insert(agentTrainings).values({ hallId: agent.hallId, agentId: id, course: input.course, trainedOn: input.trainedOn, certificate: input.certificate || null, createdAt: clock.now() });
        await recordAudit(tx, actorOf(user), { hallId: agent.hallId, action: 'agent.trained', entityType: 'agent', entityId: id, after: input });
        return viewOf(tx, id);
      });
    },

    async setStatus(user: AuthUser, id: string, input: z.infer<typeof AgentStatusInput>): Promise<AgentView> {
      return db.transaction(async (tx) => {
        const agent = await managed(tx, user, id);
        const reason = input.status === 'suspended' ? (input.reason ?? null) : null;
        await tx.update(agents).set({ status: input.status, statusReason: reason, updatedAt: clock.now() }).where(eq(agents.id, id));
        await recordAudit(tx, actorOf(user), { hallId: agent.hallId, action: 'agent.status', entityType: 'agent', entityId: id, before: { status: agent.status }, after: { status: input.status, reason } });
        return viewOf(tx, id);
      });
    },

    /**
     * An agent's board: the cases they carry that the applicant is still owed, by due date, with what to do
     * next. For the agent's own linked account, and for the managers, leaders and supervisors above them.
     */
    async board(user: AuthUser, id: string | 'me'): Promise<AgentBoard> {
      const [agent] =
        id === 'me'
          ? await db.select().from(agents).where(eq(agents.userId, user.id))
          : await db.select().from(agents).where(eq(agents.id, id));
      if (!agent) throw notFound('代办员', { id });
      if (agent.userId !== user.id) {
        const [hall] = await db.select({ code: halls.code }).from(halls).where(eq(halls.id, agent.hallId));
        await hallScope(db, user, READERS, { hall: hall!.code });
      }
      const now = clock.now();
      const rows = await db
        .select({
          caseNumber: cases.caseNumber,
          serviceName: cases.serviceName,
          applicantName: cases.applicantName,
          heldBy: sql<string>`(select h.name from halls h where h.id = case when ${cases.heldUpstream} then ${cases.transferHallId} else ${cases.hallId} end)`,
          status: cases.status,
          deadlineAt: cases.deadlineAt,
          light: cases.light,
          finishedAt: cases.finishedAt,
          heldUpstream: cases.heldUpstream,
          missing: cases.missingMaterials,
          deliveryMethod: cases.deliveryMethod,
          pickupAt: cases.pickupAt,
        })
        .from(cases)
        .where(and(eq(cases.agentId, agent.id), notInArray(cases.status, SETTLED)))
        .orderBy(sql`${cases.deadlineAt} asc nulls last`)
        .limit(200);
      return {
        agent: (await views(db, [agent]))[0]!,
        cases: rows.map((r) => {
          const fetch = r.status === 'awaiting_supplement';
          const deliver = r.status === 'completed' && !r.heldUpstream;
          return {
            caseNumber: r.caseNumber,
            serviceName: r.serviceName,
            applicantName: r.applicantName,
            heldBy: r.heldBy,
            status: r.status,
            statusLabel: STATUS_LABELS[r.status],
            deadline: r.deadlineAt ? formatInstant(r.deadlineAt.getTime()) : null,
            light: r.finishedAt === null && r.deadlineAt !== null && r.deadlineAt < now ? 'red' : r.light,
            todo: fetch ? 'fetch' : deliver ? 'deliver' : 'wait',
            todoNote: fetch
              ? r.missing.map((m) => m.name).join('、')
              : deliver
                ? r.deliveryMethod === 'post'
                  ? '邮寄送达'
                  : `到${r.heldBy}领取结果${r.pickupAt ? `（预约 ${formatInstant(r.pickupAt.getTime()).slice(0, 16).replace('T', ' ')}）` : ''}`
                : '',
          };
        }),
      };
    },

    /** Names the agent who carries a case of the acting hall (or clears it); an active agent of that hall. */
    async linkCase(user: AuthUser, caseNumber: string, agentId: string | null): Promise<{ caseNumber: string; agent: AgentView | null }> {
      return db.transaction(async (tx) => {
        const [row] = await tx.select({ id: cases.id, hallId: cases.hallId, agentId: cases.agentId }).from(cases).where(and(eq(cases.caseNumber, caseNumber), eq(cases.hallId, user.hallId))).for('update');
        if (!row) throw notFound('办件', { caseNumber });
        if (agentId) await checkCarrier(tx, row.hallId, agentId);
        await tx.update(cases).set({ agentId, updatedAt: clock.now() }).where(eq(cases.id, row.id));
        await recordAudit(tx, actorOf(user), { hallId: row.hallId, action: 'case.agent', entityType: 'case', entityId: caseNumber, before: { agentId: row.agentId }, after: { agentId } });
        return { caseNumber, agent: agentId ? await viewOf(tx, agentId) : null };
      });
    },

    async settings(hallId: string): Promise<AgentSettings> {
      const [hall] = await db.select({ settings: halls.settings }).from(halls).where(eq(halls.id, hallId));
      return agentSettingsOf(hall?.settings ?? {});
    },

    async updateSettings(user: AuthUser, input: AgentSettings): Promise<AgentSettings> {
      return db.transaction(async (tx) => {
        const [hall] = await tx.select({ settings: halls.settings }).from(halls).where(eq(halls.id, user.hallId)).for('update');
        if (!hall) throw notFound('服务中心');
        await tx.update(halls).set({ settings: sql`jsonb_set(${halls.settings}, '{agents}', ${JSON.stringify(input)}::jsonb)` }).where(eq(halls.id, user.hallId));
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'agent.settings', entityType: 'hall', entityId: user.hallId, before: agentSettingsOf(hall.settings), after: input });
        return input;
      });
    },
  };
}
export type AgentService = ReturnType<typeof createAgentService>;
