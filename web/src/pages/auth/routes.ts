import type { Capability } from '@/capability';
import { useAuthStore } from '@/stores/auth';

export default {
  standalone: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./LoginPage.vue'),
      meta: { title: 'auth.title' },
      // Someone still signed in goes straight to work.
      beforeEnter: async () => ((await useAuthStore().restore()) ? { name: 'staff-home' } : true),
    },
  ],
} satisfies Capability;
