import { Calendar, Van } from '@element-plus/icons-vue';
import type { Capability } from '@/capability';

export default {
  staff: [
    { path: 'appointments', name: 'appointments-load', component: () => import('./LoadPage.vue'), meta: { title: 'appointments.load.title', roles: ['manager'], menu: { icon: Calendar } } },
    {
      path: 'home-visits',
      name: 'appointments-home-visits',
      component: () => import('./HomeVisitsPage.vue'),
      meta: { title: 'appointments.homeVisits.title', roles: ['manager', 'leader', 'staff'], menu: { icon: Van } },
    },
  ],
  portal: [
    { path: 'appointments/mine', name: 'portal-my-appointments', component: () => import('./MyBookingsPage.vue'), meta: { title: 'appointments.mine.title' } },
    // 预约领取: the completion SMS links here (/portal/pickup?no=case number).
    { path: 'pickup', name: 'portal-pickup', component: () => import('./PickupPage.vue'), meta: { title: 'appointments.pickup.title' } },
    { path: 'appointments', name: 'portal-appointment', component: () => import('./BookPage.vue'), meta: { title: 'appointments.title' } },
  ],
  // The kiosk's check-in screen, full-screen beside the kiosk's ticket page.
  standalone: [
    { path: '/kiosk/check-in', name: 'kiosk-check-in', component: () => import('./KioskCheckInPage.vue'), meta: { title: 'appointments.kiosk.title' } },
  ],
} satisfies Capability;
