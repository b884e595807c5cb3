import { Checked, Document, Finished, Histogram, Stamp, Switch, Timer } from '@element-plus/icons-vue';
import type { Capability, MenuGroup } from '@/capability';

const STAFF: MenuGroup = { title: 'staff.menu', icon: Stamp };
const readers = ['manager', 'leader', 'supervisor'] as const;

export default {
  staff: [
    { path: 'my-attendance', name: 'my-attendance', component: () => import('./ConsolePage.vue'), meta: { title: 'staff.console.title', roles: ['staff', 'leader'], menu: { icon: Timer } } },
    { path: 'staff/attendance', name: 'staff-attendance', component: () => import('./AttendancePage.vue'), meta: { title: 'staff.attendance.title', roles: readers, menu: { icon: Checked, group: STAFF } } },
    { path: 'staff/backups', name: 'staff-backups', component: () => import('./BackupPage.vue'), meta: { title: 'staff.backup.title', roles: readers, menu: { icon: Switch, group: STAFF } } },
    { path: 'staff/inspections', name: 'staff-inspections', component: () => import('./InspectionsPage.vue'), meta: { title: 'staff.inspections.title', roles: readers, menu: { icon: Finished, group: STAFF } } },
    { path: 'staff/register', name: 'staff-register', component: () => import('./RegisterPage.vue'), meta: { title: 'staff.register.title', roles: readers, menu: { icon: Document, group: STAFF } } },
    { path: 'staff/assessment', name: 'staff-assessment', component: () => import('./AssessmentPage.vue'), meta: { title: 'staff.assessment.title', roles: readers, menu: { icon: Histogram, group: STAFF } } },
  ],
} satisfies Capability;
