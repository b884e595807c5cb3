import { z } from 'zod';
import { CalendarDate } from '../calendar/schemas.js';
import { CaseStatus, Light, Phone } from '../cases/schemas.js';
import { HallCodeParams } from '../org/schemas.js';

// Shared by the server and the web app: no server imports here.

export const AGENT_STATUSES = ['active', 'suspended'] as const;
export const AgentStatus = z.enum(AGENT_STATUSES, { message: '状态只能是在岗或暂停' });
export type AgentStatus = z.infer<typeof AgentStatus>;
export const AGENT_STATUS_LABELS: Record<AgentStatus, string> = { active: '在岗', suspended: '暂停' };

const Text = (what: string, max: number) => z.string({ message: `${what}须为文字` }).trim().min(1, `${what}不能为空`).max(max, `${what}不能超过 ${max} 个字`);
const HallCode = HallCodeParams.shape.code;

/** Registers an agent at a station or township centre: the acting hall, or one below it named by `hall`. */
export const AgentInput = z.object({
  hall: HallCode.optional(),
  name: Text('姓名', 40),
  phone: Phone,
  /** A staff account of the same hall through which the agent sees their own board. */
  userId: z.uuid({ message: '工作人员编号格式不正确' }).optional(),
});
export const TrainingInput = z.object({
  course: Text('培训课程', 100),
  trainedOn: CalendarDate,
  certificate: z.string().trim().max(60, '证书编号不能超过 60 个字').optional(),
});
export const AgentStatusInput = z
  .object({ status: AgentStatus, reason: z.string().trim().max(200, '原因不能超过 200 个字').optional() })
  .refine((s) => s.status === 'active' || Boolean(s.reason), { message: '暂停代办员须说明原因', path: ['reason'] });
/** Names (or, with null, clears) the agent who carries a case. */
export const CaseAgentInput = z.object({ agentId: z.uuid({ message: '代办员编号格式不正确' }).nullable() });
export const AgentIdParams = z.object({ id: z.uuid({ message: '代办员编号格式不正确' }) });
export const AgentsQuery = z.object({ hall: HallCode.optional(), subtree: z.enum(['0', '1']).default('1') });

/**
 * A hall's agent settings. domain.md gives no figure for an agent's load: 20 open cases each is a local
 * default that each hall sets for its own agents.
 */
export const AgentSettings = z.object({ maxOpenCases: z.number().int().min(1).max(500).default(20) });
export type AgentSettings = z.infer<typeof AgentSettings>;
export function agentSettingsOf(hallSettings: Record<string, unknown>): AgentSettings {
  const parsed = AgentSettings.safeParse(hallSettings.agents ?? {});
  return parsed.success ? parsed.data : AgentSettings.parse({});
}

const HallRef = z.object({ code: z.string(), name: z.string() });
export const AgentView = z.object({
  id: z.string(),
  hall: HallRef,
  name: z.string(),
  /** Masked: lists reach across a county. */
  phone: z.string(),
  status: AgentStatus,
  statusReason: z.string().nullable(),
  linkedUser: z.boolean(),
  trainings: z.array(z.object({ course: z.string(), trainedOn: z.string(), certificate: z.string().nullable() })),
  /** Cases the agent carries that the applicant is still owed, those overdue, and the hall's limit. */
  openCases: z.number(),
  overdue: z.number(),
  maxOpenCases: z.number(),
  overloaded: z.boolean(),
});
export type AgentView = z.infer<typeof AgentView>;
export const AgentList = z.object({ items: z.array(AgentView) });

/** What the agent does next for a case: fetch missing materials, deliver a result, or wait for the hall. */
export const AgentTodo = z.enum(['fetch', 'deliver', 'wait']);
export const AgentBoard = z.object({
  agent: AgentView,
  cases: z.array(
    z.object({
      caseNumber: z.string(),
      serviceName: z.string(),
      applicantName: z.string(),
      /** The hall that holds the case now (the deciding hall while it is there). */
      heldBy: z.string(),
      status: CaseStatus,
      statusLabel: z.string(),
      deadline: z.string().nullable(),
      light: Light.nullable(),
      todo: AgentTodo,
      /** The materials to fetch, or how the result is to be handed over. */
      todoNote: z.string(),
    }),
  ),
});
export type AgentBoard = z.infer<typeof AgentBoard>;
