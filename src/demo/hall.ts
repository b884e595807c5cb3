// The demo county hall, modelled on the Suixian (随县) monthly bulletin in shared/seeds/002_: its
// departments, windows and the staff it names. Everything here is demo data, never used in production.
import type { Role } from '../auth/roles.js';

export const DEMO_HALL = {
  code: 'SUIXIAN',
  name: '随县政务服务中心',
  level: 'county' as const,
  address: '湖北省随州市随县厉山镇神农大道 88 号',
  phone: '0722-0000000',
};

export const DEMO_DEPARTMENTS = [
  '公安局',
  '住建局',
  '林业局',
  '财政局',
  '发改局',
  '市场监管局',
  '水利局',
  '教育局',
  '不动产登记中心',
  '人社局（社保）',
  '税务局',
  '经信局',
] as const;
export type DemoDepartment = (typeof DEMO_DEPARTMENTS)[number];

export interface DemoWindow {
  number: number;
  name: string;
  department: DemoDepartment | null;
}

export const DEMO_WINDOWS: DemoWindow[] = [
  { number: 1, name: '综合受理窗口', department: null },
  { number: 2, name: '出入境窗口', department: '公安局' },
  { number: 3, name: '户政窗口', department: '公安局' },
  { number: 4, name: '房产交易窗口', department: '住建局' },
  { number: 5, name: '建设审批窗口', department: '住建局' },
  { number: 6, name: '林业窗口', department: '林业局' },
  { number: 7, name: '财政窗口', department: '财政局' },
  { number: 8, name: '发改窗口', department: '发改局' },
  { number: 9, name: '市场监管窗口', department: '市场监管局' },
  { number: 10, name: '水利窗口', department: '水利局' },
  { number: 11, name: '教育窗口', department: '教育局' },
  { number: 12, name: '不动产登记窗口', department: '不动产登记中心' },
  { number: 13, name: '社保窗口', department: '人社局（社保）' },
  { number: 14, name: '税务窗口', department: '税务局' },
];

export interface DemoUser {
  username: string;
  displayName: string;
  roles: Role[];
  department?: DemoDepartment;
  windows?: number[];
}

/** Demo password for every demo account; printed at start. */
export const DEMO_PASSWORD = 'Demo2025';

export const DEMO_USERS: DemoUser[] = [
  { username: 'manager', displayName: '陈主任', roles: ['manager'] },
  { username: 'supervisor', displayName: '督查科 李华', roles: ['supervisor'] },
  { username: 'leader.police', displayName: '刘凯', roles: ['leader'], department: '公安局' },
  { username: 'leader.housing', displayName: '肖诗忠', roles: ['leader'], department: '住建局' },
  { username: 'xuxianni', displayName: '徐显妮', roles: ['staff'], department: '公安局', windows: [2] },
  { username: 'liaotianzi', displayName: '廖天资', roles: ['staff'], department: '公安局', windows: [2, 3] },
  { username: 'wangxiaoman', displayName: '王小曼', roles: ['staff'], department: '发改局', windows: [8] },
  { username: 'zhangyuhang', displayName: '张煜杭', roles: ['staff'], department: '住建局', windows: [5] },
  { username: 'hexingxing', displayName: '何星星', roles: ['staff'], department: '住建局', windows: [4] },
  { username: 'zengzihui', displayName: '曾子辉', roles: ['staff'], department: '住建局', windows: [4] },
  { username: 'leichunmei', displayName: '雷春梅', roles: ['staff'], department: '市场监管局', windows: [9] },
  { username: 'liujing', displayName: '刘静', roles: ['staff'], department: '林业局', windows: [6] },
  { username: 'liuqilin', displayName: '刘琪琳', roles: ['staff'], department: '林业局', windows: [6] },
  { username: 'liuxiaoli', displayName: '刘小丽', roles: ['staff'], department: '水利局', windows: [10] },
  { username: 'heyong', displayName: '何勇', roles: ['staff'], department: '教育局', windows: [11] },
  { username: 'wangfang', displayName: '王芳', roles: ['staff'], department: '不动产登记中心', windows: [12] },
  { username: 'qianjizhao', displayName: '潜继钊', roles: ['staff'], department: '财政局', windows: [7] },
  { username: 'zhoumin', displayName: '周敏', roles: ['staff'], department: '人社局（社保）', windows: [13] },
  { username: 'sunli', displayName: '孙丽', roles: ['staff'], department: '税务局', windows: [14] },
  { username: 'zhaoyun', displayName: '赵云', roles: ['staff'], windows: [1] },
];
