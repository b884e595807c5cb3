import { Message } from '@element-plus/icons-vue';
import type { Capability } from '@/capability';

const REVIEWERS = ['staff', 'leader', 'manager', 'supervisor'] as const;

export default {
  staff: [
    { path: 'online', name: 'online-inbox', component: () => import('./InboxPage.vue'), meta: { title: 'online.inbox.title', roles: REVIEWERS, menu: { icon: Message } } },
    { path: 'online/:id', name: 'online-review', component: () => import('./ReviewPage.vue'), props: true, meta: { title: 'online.review.title', roles: REVIEWERS } },
  ],
  portal: [
    { path: 'online', name: 'portal-online', component: () => import('./OnlinePage.vue'), meta: { title: 'online.title' } },
    { path: 'online/applications/:id', name: 'portal-online-application', component: () => import('./ApplicationPage.vue'), props: true, meta: { title: 'online.title' } },
  ],
} satisfies Capability;
