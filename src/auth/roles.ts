import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'leader', 'staff', 'supervisor'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  manager: '中心管理办公室',
  leader: '部门负责人',
  staff: '窗口人员',
  supervisor: '督查人员',
};
