import { DataAnalysis, Monitor, Setting } from '@element-plus/icons-vue';
import type { Capability } from '@/capability';

export default {
  staff: [
    {
      path: 'my-window',
      name: 'my-window',
      component: () => import('./WindowConsolePage.vue'),
      meta: { title: 'queue.myWindow', roles: ['staff', 'leader', 'manager'], menu: { icon: Monitor } },
    },
    // The API lets leaders and supervisors read both; only the manager's menu offers them.
    { path: 'queue/settings', name: 'queue-settings', component: () => import('./SettingsPage.vue'), meta: { title: 'queueManager.settings.title', roles: ['manager'], menu: { icon: Setting } } },
    { path: 'queue/stats', name: 'queue-stats', component: () => import('./StatsPage.vue'), meta: { title: 'queueManager.stats.title', roles: ['manager'], menu: { icon: DataAnalysis } } },
  ],
  portal: [
    { path: 'ticket', name: 'portal-ticket', component: () => import('./PortalTakePage.vue'), meta: { title: 'queue.portal.title' } },
    { path: 'ticket/:id', name: 'portal-my-ticket', component: () => import('./MyTicketPage.vue'), meta: { title: 'queue.portal.myTicket' } },
  ],
  // Full-screen devices in the hall: the kiosk, the TV over the waiting area, the screen over each window.
  standalone: [
    { path: '/kiosk', name: 'kiosk', component: () => import('./KioskPage.vue'), meta: { title: 'queue.kiosk.title' } },
    { path: '/display', name: 'display', component: () => import('./DisplayPage.vue'), meta: { title: 'queue.display.title' } },
    { path: '/display/window/:id', name: 'display-window', component: () => import('./WindowDisplayPage.vue'), meta: { title: 'queue.display.title' } },
  ],
} satisfies Capability;
