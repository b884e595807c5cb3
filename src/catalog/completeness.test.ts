import { describe, expect, it } from 'vitest';
import { guideWarnings, missingParts } from './completeness.js';
import { GuideContent } from './schemas.js';
import { completeGuide } from './test-guides.js';

const DEPT = '00000000-0000-4000-8000-000000000001';
// Material ids do not matter to the review; the schema's output is a guide in every other respect.
const guide = (overrides = {}) => GuideContent.parse(completeGuide(DEPT, overrides)) as GuideContent;
const parts = (overrides = {}) => missingParts(guide(overrides)).map((p) => p.part);

describe('the eight parts of a guide', () => {
  it('passes a complete guide', () => {
    expect(missingParts(guide())).toEqual([]);
  });

  it('flags a guide with nothing but a name on every part', () => {
    const bare = GuideContent.parse({ name: '空事项', departmentId: DEPT, kind: 'promised', legalLimitDays: 0, promisedLimitDays: 0 }) as GuideContent;
    expect(missingParts(bare).map((p) => p.label)).toEqual(['基本信息表', '权力运行流程图', '申报材料', '收费标准', '服务表格', '办理环节信息', '廉政风险点', '常见问题']);
  });

  it('accepts "free" as a complete fee part, but not free with fee items', () => {
    expect(parts({ fees: { free: true, items: [] } })).toEqual([]);
    expect(parts({ fees: { free: true, items: [{ name: '工本费', amountFen: 100, basis: '文件' }] } })).toEqual(['fees']);
  });

  it('accepts "no forms needed" as a complete forms part', () => {
    expect(parts({ forms: [], noForms: true })).toEqual([]);
    expect(parts({ forms: [] })).toEqual(['forms']);
  });

  it('asks when an optional material is to be brought', () => {
    const problems = missingParts(guide({ materials: [{ name: '结婚证', required: false }] }));
    expect(problems).toEqual([{ part: 'materials', label: '申报材料', problems: ['材料“结婚证”不是必需材料，须写明在什么情形下提交'] }]);
  });

  it('needs a role and a time limit on every step, and steps that fit in the promised limit', () => {
    const problems = missingParts(guide({ steps: [{ name: '受理', role: '', timeLimitDays: null }, { name: '审查', role: '科室', timeLimitDays: 9 }] }));
    expect(problems).toEqual([
      { part: 'steps', label: '办理环节信息', problems: ['环节“受理”未填写承办岗位', '环节“受理”未填写办理时限', '各环节时限合计 9 个工作日，超过承诺时限 5 个工作日'] },
    ]);
  });

  it('takes an uploaded flow chart instead of two steps for the flow part', () => {
    const one = [{ name: '当场办结', role: '窗口', timeLimitDays: 0 }];
    expect(parts({ steps: one })).toEqual(['flow']);
    expect(parts({ steps: one, flowChartId: '00000000-0000-4000-8000-000000000002' })).toEqual([]);
  });

  it('needs limits on a promised item and the basic facts on every item', () => {
    expect(missingParts(guide({ promisedLimitDays: 0, legalBasis: '', location: '' }))[0]!.problems).toEqual([
      '未填写设定依据',
      '未填写办理地点',
      '承诺件须填写承诺办结时限',
    ]);
  });

  it('flags unanswered questions and risks without a measure', () => {
    expect(parts({ faq: [{ question: '要多久？', answer: '' }], risks: [{ point: '吃拿卡要', measure: '' }] })).toEqual(['risks', 'faq']);
  });

  it('warns about forms without a blank copy to download', () => {
    expect(guideWarnings(guide())).toEqual(['表格“测试许可申请表”未上传空白表格']);
  });
});
