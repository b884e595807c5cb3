import { Tickets } from '@element-plus/icons-vue';
import type { Capability } from '@/capability';

export default {
  staff: [
    { path: 'audit', name: 'audit', component: () => import('./AuditPage.vue'), meta: { title: 'audit.title', roles: ['supervisor'], menu: { icon: Tickets } } },
  ],
} satisfies Capability;
