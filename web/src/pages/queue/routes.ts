import { Monitor } from '@element-plus/icons-vue';
import type { Capability } from '@/capability';
import ComingSoon from '@/components/ComingSoon.vue';

// The queue issue replaces the stand-in with the window's calling page.
export default {
  staff: [
    { path: 'my-window', name: 'my-window', component: ComingSoon, meta: { title: 'queue.myWindow', roles: ['staff'], menu: { icon: Monitor } } },
  ],
} satisfies Capability;
