import type { Capability } from '@/capability';

/**
 * The portal home and, for now, stand-ins for its entries. The capability that builds an entry moves
 * that route (same name) into its own routes.ts and deletes the line here.
 */
export default {
  portal: [
    { path: '', name: 'portal-home', component: () => import('./PortalHome.vue'), meta: { title: 'portal.title' } },
  ],
} satisfies Capability;
