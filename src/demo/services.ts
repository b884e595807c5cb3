import type { Category } from '../catalog/schemas.js';
import type { DemoDepartment } from './hall.js';

/** The demo hall's service items; their full guides are in guides.ts. Windows take them by number. */
export interface DemoService {
  code: string;
  name: string;
  department: DemoDepartment;
  category: Category;
  kind: 'immediate' | 'promised';
  legalLimitDays: number;
  promisedLimitDays: number;
  queuePrefix: string;
  bookable: boolean;
  /** 绿色通道: served ahead of the queue for the elderly, urgent and special cases. */
  greenChannel: boolean;
  windows: number[];
}

export const DEMO_SERVICES: DemoService[] = [
  { code: 'GA-CRJ-001', name: '普通护照签发', department: '公安局', category: 'licensing', kind: 'promised', legalLimitDays: 15, promisedLimitDays: 7, queuePrefix: 'A', bookable: true, greenChannel: true, windows: [2] },
  { code: 'GA-CRJ-002', name: '往来港澳通行证签发', department: '公安局', category: 'licensing', kind: 'promised', legalLimitDays: 15, promisedLimitDays: 7, queuePrefix: 'A', bookable: true, greenChannel: true, windows: [2] },
  { code: 'GA-HZ-001', name: '居民身份证换领', department: '公安局', category: 'confirmation', kind: 'promised', legalLimitDays: 60, promisedLimitDays: 20, queuePrefix: 'B', bookable: false, greenChannel: true, windows: [3] },
  { code: 'ZJ-FC-001', name: '存量房买卖合同网签备案', department: '住建局', category: 'other_power', kind: 'immediate', legalLimitDays: 1, promisedLimitDays: 0, queuePrefix: 'C', bookable: true, greenChannel: true, windows: [4] },
  { code: 'ZJ-JS-001', name: '建筑工程施工许可证核发', department: '住建局', category: 'licensing', kind: 'promised', legalLimitDays: 7, promisedLimitDays: 3, queuePrefix: 'D', bookable: false, greenChannel: false, windows: [5] },
  { code: 'LY-001', name: '林木采伐许可证核发', department: '林业局', category: 'licensing', kind: 'promised', legalLimitDays: 20, promisedLimitDays: 5, queuePrefix: 'E', bookable: false, greenChannel: false, windows: [6] },
  { code: 'LY-002', name: '植物检疫证书核发', department: '林业局', category: 'licensing', kind: 'immediate', legalLimitDays: 20, promisedLimitDays: 0, queuePrefix: 'E', bookable: false, greenChannel: false, windows: [6] },
  { code: 'FG-001', name: '企业投资项目备案', department: '发改局', category: 'other_power', kind: 'promised', legalLimitDays: 20, promisedLimitDays: 3, queuePrefix: 'F', bookable: false, greenChannel: false, windows: [8] },
  { code: 'SJ-001', name: '食品经营许可证核发', department: '市场监管局', category: 'licensing', kind: 'promised', legalLimitDays: 10, promisedLimitDays: 5, queuePrefix: 'G', bookable: true, greenChannel: false, windows: [9, 1] },
  { code: 'SJ-002', name: '个体工商户设立登记', department: '市场监管局', category: 'confirmation', kind: 'immediate', legalLimitDays: 15, promisedLimitDays: 0, queuePrefix: 'G', bookable: true, greenChannel: false, windows: [9, 1] },
  { code: 'SL-001', name: '生产建设项目水土保持方案审批', department: '水利局', category: 'licensing', kind: 'promised', legalLimitDays: 20, promisedLimitDays: 10, queuePrefix: 'H', bookable: false, greenChannel: false, windows: [10] },
  { code: 'JY-001', name: '教师资格认定', department: '教育局', category: 'confirmation', kind: 'promised', legalLimitDays: 30, promisedLimitDays: 10, queuePrefix: 'J', bookable: false, greenChannel: false, windows: [11] },
  { code: 'BDC-001', name: '国有建设用地使用权及房屋所有权转移登记', department: '不动产登记中心', category: 'confirmation', kind: 'promised', legalLimitDays: 30, promisedLimitDays: 5, queuePrefix: 'K', bookable: true, greenChannel: true, windows: [12] },
  { code: 'CZ-001', name: '非税收入缴款', department: '财政局', category: 'public_service', kind: 'immediate', legalLimitDays: 1, promisedLimitDays: 0, queuePrefix: 'L', bookable: false, greenChannel: false, windows: [7] },
  { code: 'SB-001', name: '城乡居民养老保险参保登记', department: '人社局（社保）', category: 'public_service', kind: 'immediate', legalLimitDays: 5, promisedLimitDays: 0, queuePrefix: 'M', bookable: false, greenChannel: true, windows: [13, 1] },
  { code: 'SW-001', name: '存量房交易契税申报', department: '税务局', category: 'other_power', kind: 'immediate', legalLimitDays: 1, promisedLimitDays: 0, queuePrefix: 'N', bookable: false, greenChannel: false, windows: [14] },
];
