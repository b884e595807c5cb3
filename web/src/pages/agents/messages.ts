import { i18n } from '@/i18n';
import { AGENT_STATUS_LABELS } from '@shared/agents/schemas.ts';

// The agents pages' texts, merged into the app's messages when the pages load (section `agents`).
const zh = {
  menu: '代办员',
  list: {
    title: '代办员',
    intro: '本中心及下级便民服务站、为民服务中心登记的代办员：培训记录、在岗状态和承接的未办结办件。超出所在中心设定上限的标为超负荷，排在最前。',
    register: '登记代办员',
    empty: '尚未登记代办员',
    overloaded: '超负荷',
    load: '承接办件',
    overdue: '{n} 件超期',
    board: '看板',
    train: '登记培训',
    suspend: '暂停',
    activate: '恢复在岗',
    maxOpen: '每人未办结办件上限',
    maxOpenHint: '本中心代办员的上限，各中心自行设定（默认 20 件）',
  },
  field: {
    hall: '所在中心',
    hallCode: '所在中心编码（留空为本中心）',
    name: '姓名',
    phone: '手机号码',
    status: '状态',
    reason: '暂停原因',
    trainings: '培训记录',
    course: '培训课程',
    trainedOn: '培训日期',
    certificate: '证书编号',
  },
  board: {
    title: '代办看板',
    mine: '我的代办',
    intro: '承接的办件：先看红灯、黄灯和到期时间；待取材料的向申请人补收，待送结果的到所在中心领取后送交申请人。',
    empty: '没有待办的办件',
    heldBy: '所在中心',
    todo: '待办',
  },
  todo: { fetch: '补收材料', deliver: '送达结果', wait: '等待办理' },
  status: { ...AGENT_STATUS_LABELS },
};

const en: typeof zh = {
  menu: 'Agents',
  list: {
    title: 'Agents',
    intro: 'Agents registered at this hall and the stations and township centres below it: training, status and the open cases each carries. Those over their hall’s limit are marked overloaded and listed first.',
    register: 'Register an agent',
    empty: 'No agents registered',
    overloaded: 'Overloaded',
    load: 'Cases carried',
    overdue: '{n} overdue',
    board: 'Board',
    train: 'Add training',
    suspend: 'Suspend',
    activate: 'Reinstate',
    maxOpen: 'Open cases per agent, at most',
    maxOpenHint: 'This hall’s limit for its agents; each hall sets its own (default 20)',
  },
  field: {
    hall: 'Hall',
    hallCode: 'Hall code (empty: this hall)',
    name: 'Name',
    phone: 'Mobile',
    status: 'Status',
    reason: 'Reason',
    trainings: 'Training',
    course: 'Course',
    trainedOn: 'Date',
    certificate: 'Certificate no.',
  },
  board: {
    title: 'Agent board',
    mine: 'My cases',
    intro: 'Cases carried: red and yellow lights and due dates first; fetch what is missing from the applicant, collect results and hand them over.',
    empty: 'Nothing to do',
    heldBy: 'At',
    todo: 'To do',
  },
  todo: { fetch: 'Fetch materials', deliver: 'Deliver result', wait: 'Waiting' },
  status: { active: 'Active', suspended: 'Suspended' },
};

i18n.global.mergeLocaleMessage('zh-CN', { agents: zh } as never);
i18n.global.mergeLocaleMessage('en', { agents: en } as never);
