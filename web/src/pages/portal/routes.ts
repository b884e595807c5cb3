import type { Capability } from '@/capability';
import ComingSoon from '@/components/ComingSoon.vue';

/**
 * The portal home and, for now, stand-ins for its entries. The capability that builds an entry moves
 * that route (same name) into its own routes.ts and deletes the line here.
 */
export default {
  portal: [
    { path: '', name: 'portal-home', component: () => import('./PortalHome.vue'), meta: { title: 'portal.title' } },
    { path: 'progress', name: 'portal-progress', component: ComingSoon, meta: { title: 'portal.entries.progress.title' } },
  ],
} satisfies Capability;
