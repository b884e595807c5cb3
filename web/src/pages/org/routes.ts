import { Clock, Collection, Grid, OfficeBuilding, Share, User } from '@element-plus/icons-vue';
import type { Capability, MenuGroup } from '@/capability';

const ORG: MenuGroup = { title: 'org.menu', icon: OfficeBuilding };
const roles = ['manager'] as const;

export default {
  staff: [
    { path: 'org/departments', name: 'org-departments', component: () => import('./DepartmentsPage.vue'), meta: { title: 'org.departments.title', roles, menu: { icon: Collection, group: ORG } } },
    { path: 'org/windows', name: 'org-windows', component: () => import('./WindowsPage.vue'), meta: { title: 'org.windows.title', roles, menu: { icon: Grid, group: ORG } } },
    { path: 'org/users', name: 'org-users', component: () => import('./UsersPage.vue'), meta: { title: 'org.users.title', roles, menu: { icon: User, group: ORG } } },
    { path: 'org/network', name: 'org-network', component: () => import('./NetworkPage.vue'), meta: { title: 'org.network.title', roles, menu: { icon: Share, group: ORG } } },
    { path: 'org/hours', name: 'org-hours', component: () => import('./HallHoursPage.vue'), meta: { title: 'org.hours.title', roles, menu: { icon: Clock, group: ORG } } },
  ],
} satisfies Capability;
