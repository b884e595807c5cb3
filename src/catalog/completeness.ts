import { GUIDE_PART_LABELS, GUIDE_PARTS, type GuideContent, type GuidePart, type PartProblem } from './schemas.js';

// The catalogue review's eight parts, checked per guide. Pure: the report, the editor and the import
// all use it, so a manager and an editor see the same verdict.

type Guide = Pick<
  GuideContent,
  | 'kind'
  | 'legalLimitDays'
  | 'promisedLimitDays'
  | 'legalBasis'
  | 'conditions'
  | 'location'
  | 'fees'
  | 'steps'
  | 'flowChartId'
  | 'forms'
  | 'noForms'
  | 'risks'
  | 'faq'
> & { materials: readonly { name: string; required: boolean; condition: string }[] };

const RULES: Record<GuidePart, (g: Guide) => string[]> = {
  basic: (g) => {
    const p: string[] = [];
    if (!g.legalBasis) p.push('未填写设定依据');
    if (!g.conditions) p.push('未填写受理条件');
    if (!g.location) p.push('未填写办理地点');
    if (g.kind === 'promised' && g.legalLimitDays === 0) p.push('承诺件须填写法定办结时限');
    if (g.kind === 'promised' && g.promisedLimitDays === 0) p.push('承诺件须填写承诺办结时限');
    return p;
  },
  flow: (g) => (g.steps.length < 2 && !g.flowChartId ? ['办理流程至少需要两个环节（或上传流程图）'] : []),
  materials: (g) => {
    if (g.materials.length === 0) return ['未列出申请材料'];
    return g.materials.filter((m) => !m.required && !m.condition).map((m) => `材料“${m.name}”不是必需材料，须写明在什么情形下提交`);
  },
  fees: (g) => {
    if (g.fees.free) return g.fees.items.length ? ['已标明不收费，却列有收费项目'] : [];
    if (g.fees.items.length === 0) return ['未填写收费标准（不收费的请标明“不收费”）'];
    return g.fees.items.filter((f) => !f.basis).map((f) => `收费项目“${f.name}”未填写收费依据`);
  },
  forms: (g) => (g.forms.length === 0 && !g.noForms ? ['未列出服务表格（无需填表的请标明“无需表格”）'] : []),
  steps: (g) => {
    if (g.steps.length === 0) return ['未填写办理环节'];
    const p: string[] = [];
    for (const s of g.steps) {
      if (!s.role) p.push(`环节“${s.name}”未填写承办岗位`);
      if (s.timeLimitDays === null) p.push(`环节“${s.name}”未填写办理时限`);
    }
    const total = g.steps.reduce((sum, s) => sum + (s.timeLimitDays ?? 0), 0);
    if (g.kind === 'promised' && g.promisedLimitDays > 0 && total > g.promisedLimitDays) {
      p.push(`各环节时限合计 ${total} 个工作日，超过承诺时限 ${g.promisedLimitDays} 个工作日`);
    }
    return p;
  },
  risks: (g) => {
    if (g.risks.length === 0) return ['未填写廉政风险点'];
    return g.risks.filter((r) => !r.measure).map((r) => `风险点“${r.point}”未写防控措施`);
  },
  faq: (g) => {
    if (g.faq.length === 0) return ['未填写常见问题'];
    return g.faq.filter((f) => !f.answer).map((f) => `问题“${f.question}”未填写解答`);
  },
};

/** The parts of a guide that a review would send back, each with every reason; empty when complete. */
export function missingParts(guide: Guide): PartProblem[] {
  const out: PartProblem[] = [];
  for (const part of GUIDE_PARTS) {
    const problems = RULES[part](guide);
    if (problems.length) out.push({ part, label: GUIDE_PART_LABELS[part], problems });
  }
  return out;
}

/** Gaps that do not fail the review but that a citizen would notice. */
export function guideWarnings(guide: Pick<GuideContent, 'forms' | 'consultPhone'>): string[] {
  const w = guide.forms.filter((f) => !f.blankFormId).map((f) => `表格“${f.name}”未上传空白表格`);
  if (!guide.consultPhone) w.push('未填写咨询电话');
  return w;
}
