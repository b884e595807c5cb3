import { DataBoard, Document, Download, Finished, Monitor, Setting } from '@element-plus/icons-vue';
import type { Capability, MenuGroup } from '@/capability';
import './messages';

const CASES: MenuGroup = { title: 'cases.menu', icon: Document };

export default {
  staff: [
    { path: 'cases/desk', name: 'case-desk', component: () => import('./CaseDeskPage.vue'), meta: { title: 'cases.desk.title', roles: ['staff', 'leader', 'manager'], menu: { icon: Monitor, group: CASES } } },
    { path: 'cases', name: 'case-list', component: () => import('./CaseListPage.vue'), meta: { title: 'cases.list.title', roles: ['staff', 'leader', 'manager', 'supervisor'], menu: { icon: Document, group: CASES } } },
    { path: 'cases/inbox', name: 'case-inbox', component: () => import('./InboxPage.vue'), meta: { title: 'cases.inbox.title', roles: ['staff', 'leader', 'manager', 'supervisor'], menu: { icon: Download, group: CASES } } },
    { path: 'cases/board', name: 'case-board', component: () => import('./BoardPage.vue'), props: { scope: 'department' }, meta: { title: 'cases.board.title', roles: ['leader', 'manager', 'supervisor'], menu: { icon: DataBoard, group: CASES } } },
    { path: 'cases/supervision', name: 'case-supervision', component: () => import('./BoardPage.vue'), props: { scope: 'hall' }, meta: { title: 'cases.board.hallTitle', roles: ['manager', 'supervisor'], menu: { icon: Finished, group: CASES } } },
    { path: 'cases/settings', name: 'case-settings', component: () => import('./SettingsPage.vue'), meta: { title: 'cases.settings.title', roles: ['manager'], menu: { icon: Setting, group: CASES } } },
    { path: 'cases/:caseNumber', name: 'case-page', component: () => import('./CasePage.vue'), props: true, meta: { title: 'cases.page.title', roles: ['staff', 'leader', 'manager', 'supervisor'] } },
  ],
  portal: [{ path: 'cases', name: 'portal-cases', component: () => import('./ProgressPage.vue'), meta: { title: 'cases.progress.title' } }],
} satisfies Capability;
