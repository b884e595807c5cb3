import type { GuideContentInput } from './schemas.js';

// A neutral, complete guide for tests: every one of the eight parts filled, nothing from the demo hall.

export function completeGuide(departmentId: string, overrides: Partial<GuideContentInput> = {}): GuideContentInput {
  return {
    name: '测试许可证核发',
    category: 'licensing',
    departmentId,
    kind: 'promised',
    legalLimitDays: 20,
    promisedLimitDays: 5,
    legalBasis: '《中华人民共和国行政许可法》',
    conditions: '申请人具有完全民事行为能力',
    result: '测试许可证',
    onlineApplicable: true,
    location: '测试政务服务中心一楼 1 号窗口',
    hoursNote: '',
    consultPhone: '0000-1234567',
    supervisionPhone: '0000-12345',
    keywords: ['测试', '许可'],
    fees: { free: false, items: [{ name: '工本费', amountFen: 1050, unit: '元/件', basis: '测试收费文件' }], note: '' },
    materials: [
      { id: 'id-card', name: '居民身份证', required: true, form: 'original', copies: 1 },
      { id: 'form', name: '申请表', required: true, form: 'original', copies: 2 },
      { id: 'proxy', name: '授权委托书', required: false, condition: '委托他人办理的', form: 'original', copies: 1 },
    ],
    steps: [
      { name: '受理', role: '窗口受理人员', timeLimitDays: 1, standard: '材料齐全', result: '受理通知书' },
      { name: '审查', role: '业务科室', timeLimitDays: 3, standard: '符合条件', result: '审查意见' },
      { name: '决定', role: '分管负责人', timeLimitDays: 1, standard: '', result: '许可决定' },
    ],
    forms: [{ name: '测试许可申请表', notes: '' }],
    noForms: false,
    risks: [{ step: '受理', point: '不一次性告知', level: 'medium', measure: '一次性告知单留存' }],
    faq: [{ question: '可以代办吗？', answer: '可以，须提交授权委托书。' }],
    tips: ['请携带原件'],
    ...overrides,
  };
}

/** The exact body of shared/api.md's POST /services, nothing more. */
export function apiServiceBody(departmentId: string, code = 'X-100') {
  return {
    code,
    name: '测试护照签发',
    departmentId,
    legalLimitDays: 15,
    promisedLimitDays: 7,
    kind: 'promised',
    queuePrefix: 'A',
    bookable: true,
    materials: [
      { id: 'id-card', name: '居民身份证', required: true },
      { id: 'photo', name: '近期免冠照片', required: false },
    ],
  };
}
