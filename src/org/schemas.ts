import { z } from 'zod';
import { Role } from '../auth/roles.js';
import { validateHours } from '../calendar/hours.js';

// Shared by the server (validation, OpenAPI) and the web app (forms).
export const Id = z.uuid({ message: '编号格式不正确' });
const Name = (what: string, max = 60) =>
  z.string().trim().min(1, `${what}不能为空`).max(max, `${what}不能超过 ${max} 个字`);

const Time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, '时间格式应为 HH:MM');
export const Session = z.tuple([Time, Time]);
export const HallHours = z
  .object({
    workday: z.array(Session).max(6),
    weekend: z.array(Session).max(6),
    ticketCutoffMinutes: z.number().int().min(0).max(240),
  })
  // One set of rules for the API and the calendar: the calendar's own validator, with its Chinese messages.
  .superRefine((hours, ctx) => {
    for (const issue of validateHours(hours)) {
      const path = issue.path.split(/[[\]]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      ctx.addIssue({ code: 'custom', path, message: issue.message });
    }
  });
export type HallHoursInput = z.infer<typeof HallHours>;

export const Hall = z.object({
  id: Id,
  parentId: Id.nullable(),
  level: z.enum(['city', 'county', 'township', 'village']),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  timeZone: z.string(),
  hours: HallHours,
});

export const DepartmentInput = z.object({ name: Name('部门名称'), sortOrder: z.number().int().min(0).max(9999).optional() });
export const Department = z.object({ id: Id, name: z.string(), sortOrder: z.number(), windowCount: z.number().optional() });

export const WindowInput = z.object({
  name: Name('窗口名称'),
  number: z.number().int().min(1).max(999).optional(),
  departmentId: Id.nullable().optional(),
  serviceCodes: z.array(z.string().trim().min(1).max(40)).max(500).default([]),
});
export const WindowUpdate = WindowInput.partial();
export const Window = z.object({
  id: Id,
  name: z.string(),
  number: z.number(),
  departmentId: Id.nullable(),
  departmentName: z.string().nullable(),
  status: z.enum(['open', 'paused', 'closed']),
  serviceCodes: z.array(z.string()),
});

export const Username = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名为 3-32 位小写字母、数字或 _ . -，以字母开头');
export const UserInput = z.object({
  username: Username,
  password: z.string().min(1, '密码不能为空').max(128),
  displayName: Name('姓名', 40).optional(),
  roles: z.array(Role).min(1, '至少选择一个角色').max(5),
  departmentId: Id.nullable().optional(),
  windowIds: z.array(Id).max(50).default([]),
});
export const UserUpdate = z.object({
  displayName: Name('姓名', 40).optional(),
  roles: z.array(Role).min(1, '至少选择一个角色').max(5).optional(),
  departmentId: Id.nullable().optional(),
  windowIds: z.array(Id).max(50).optional(),
  active: z.boolean().optional(),
});
export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  departmentId: Id.nullable(),
  windowIds: z.array(Id),
  active: z.boolean(),
});

// The hall network (issue 12).
export const HallCode = z.string().trim().regex(/^[A-Za-z0-9]{2,16}$/, '中心编码为 2-16 位字母或数字');
export const HallCreateInput = z.object({
  parentCode: HallCode,
  code: HallCode,
  name: Name('服务中心名称'),
  level: z.enum(['county', 'township', 'village'], { message: '层级只能是县区、乡镇街道或村社区' }),
  address: z.string().trim().max(200).default(''),
  phone: z.string().trim().max(40).default(''),
});
export const CopyFromParentInput = z.object({ parts: z.array(z.enum(['hours', 'settings'])).min(1, '请选择要复制的内容') });
export const HallMoveInput = z.object({ parentCode: HallCode });
export const HallCodeParams = z.object({ code: HallCode });
export const HallGrantInput = z.object({ roles: z.array(z.enum(['manager', 'leader', 'staff', 'supervisor'])).min(1, '请至少选择一个角色').max(4) });
export const HallGrantParams = z.object({ code: HallCode, userId: Id });
export const NetworkQuery = z.object({ hall: HallCode.optional(), subtree: z.enum(['0', '1']).default('0') });
export interface NetworkHall {
  id: string;
  parentId: string | null;
  code: string;
  name: string;
  level: 'city' | 'county' | 'township' | 'village';
  address: string;
  children: NetworkHall[];
}
