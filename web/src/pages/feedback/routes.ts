import { ChatDotRound, ChatLineSquare, DataAnalysis, Files, Message, Notebook, Phone, Setting, Star, Tickets, Trophy, Warning } from '@element-plus/icons-vue';
import type { Capability, MenuGroup } from '@/capability';
import { useAuthStore } from '@/stores/auth';

const FEEDBACK: MenuGroup = { title: 'feedback.menu', icon: ChatDotRound };
const OVERSIGHT = ['manager', 'supervisor', 'leader'] as const;
const OFFICE = ['manager', 'supervisor'] as const;

export default {
  staff: [
    { path: 'feedback/ratings', name: 'feedback-ratings', component: () => import('./RatingsPage.vue'), meta: { title: 'feedback.ratings.title', roles: [...OVERSIGHT, 'staff'], menu: { icon: Star, group: FEEDBACK } } },
    { path: 'feedback/followups', name: 'feedback-followups', component: () => import('./FollowupBoardPage.vue'), meta: { title: 'feedback.followups.title', roles: OVERSIGHT, menu: { icon: Warning, group: FEEDBACK } } },
    { path: 'feedback/indicators', name: 'feedback-indicators', component: () => import('./IndicatorsPage.vue'), meta: { title: 'feedback.indicators.title', roles: OVERSIGHT, menu: { icon: DataAnalysis, group: FEEDBACK } } },
    { path: 'feedback/complaints', name: 'feedback-complaints', component: () => import('./ComplaintDeskPage.vue'), meta: { title: 'feedback.complaints.title', roles: OVERSIGHT, menu: { icon: ChatLineSquare, group: FEEDBACK } } },
    { path: 'feedback/cannot-get-done', name: 'feedback-cannot-get-done', component: () => import('./CannotGetDonePage.vue'), meta: { title: 'feedback.cannotGetDone.title', roles: OVERSIGHT, menu: { icon: Tickets, group: FEEDBACK } } },
    { path: 'feedback/appeals', name: 'feedback-appeals', component: () => import('./AppealDeskPage.vue'), meta: { title: 'feedback.appeals.title', roles: OFFICE, menu: { icon: Phone, group: FEEDBACK } } },
    { path: 'feedback/rankings', name: 'feedback-rankings', component: () => import('./RankingsPage.vue'), meta: { title: 'feedback.rankings.title', roles: OVERSIGHT, menu: { icon: Trophy, group: FEEDBACK } } },
    { path: 'feedback/inbox', name: 'feedback-inbox', component: () => import('./InboxPage.vue'), meta: { title: 'feedback.inbox.title', roles: ['leader', 'staff'], menu: { icon: Message, group: FEEDBACK } } },
    { path: 'feedback/petitions', name: 'feedback-petitions', component: () => import('./PetitionsPage.vue'), meta: { title: 'feedback.petitions.title', roles: OVERSIGHT, menu: { icon: Notebook, group: FEEDBACK } } },
    { path: 'feedback/suggestions', name: 'feedback-suggestions', component: () => import('./SuggestionsPage.vue'), meta: { title: 'feedback.suggestions.title', roles: OVERSIGHT, menu: { icon: Files, group: FEEDBACK } } },
    { path: 'feedback/settings', name: 'feedback-settings', component: () => import('./SettingsPage.vue'), meta: { title: 'feedback.settings.title', roles: OFFICE, menu: { icon: Setting, group: FEEDBACK } } },
  ],
  portal: [
    // The rating page of the QR codes and SMS links (/portal/rate?ticket=… | case=… | token=… | service=…);
    // the portal home's entry links here by name.
    { path: 'rate', alias: 'rating', name: 'portal-rating', component: () => import('./RatePage.vue'), meta: { title: 'portal.entries.rating.title' } },
    { path: 'appeal', name: 'portal-appeal', component: () => import('./AppealFormPage.vue'), meta: { title: 'feedback.publicAppeal.title' } },
  ],
  standalone: [
    {
      // The window's rating pad: a tablet signed in by the window's staff, facing the visitor.
      path: '/pad/:windowId',
      name: 'rating-pad',
      component: () => import('./PadPage.vue'),
      props: true,
      meta: { title: 'feedback.pad.title' },
      beforeEnter: async (to) => ((await useAuthStore().restore()) ? true : { name: 'login', query: { redirect: to.fullPath } }),
    },
  ],
} satisfies Capability;

