import { Avatar, Suitcase } from '@element-plus/icons-vue';
import type { Capability, MenuGroup } from '@/capability';
import './messages';

const AGENTS: MenuGroup = { title: 'agents.menu', icon: Avatar };

export default {
  staff: [
    { path: 'agents', name: 'agent-list', component: () => import('./AgentsPage.vue'), meta: { title: 'agents.list.title', roles: ['manager', 'leader', 'supervisor'], menu: { icon: Avatar, group: AGENTS } } },
    { path: 'agents/me', name: 'agent-mine', component: () => import('./AgentBoardPage.vue'), props: { id: 'me' }, meta: { title: 'agents.board.mine', roles: ['staff', 'leader', 'manager', 'supervisor'], menu: { icon: Suitcase, group: AGENTS } } },
    { path: 'agents/:id/board', name: 'agent-board', component: () => import('./AgentBoardPage.vue'), props: true, meta: { title: 'agents.board.title', roles: ['manager', 'leader', 'supervisor'] } },
  ],
} satisfies Capability;
