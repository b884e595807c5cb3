import { DataAnalysis, Notebook } from '@element-plus/icons-vue';
import type { Capability, MenuGroup } from '@/capability';

const REPORTS: MenuGroup = { title: 'reports.menu', icon: DataAnalysis };
const roles = ['manager', 'leader', 'supervisor'] as const;

export default {
  staff: [
    { path: 'reports/bulletin', name: 'reports-bulletin', component: () => import('./BulletinPage.vue'), meta: { title: 'reports.bulletin.title', roles, menu: { icon: Notebook, group: REPORTS } } },
    { path: 'reports/dashboard', name: 'reports-dashboard', component: () => import('./DashboardPage.vue'), meta: { title: 'reports.dashboard.title', roles, menu: { icon: DataAnalysis, group: REPORTS } } },
  ],
} satisfies Capability;
