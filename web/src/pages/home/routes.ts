import { HomeFilled } from '@element-plus/icons-vue';
import type { Capability } from '@/capability';

export default {
  staff: [
    { path: '', name: 'staff-home', component: () => import('./StaffHome.vue'), meta: { title: 'home.title', menu: { icon: HomeFilled } } },
  ],
} satisfies Capability;
