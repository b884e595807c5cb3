import { Calendar } from '@element-plus/icons-vue';
import type { Capability } from '@/capability';

export default {
  staff: [
    {
      path: 'calendar',
      name: 'calendar-year',
      component: () => import('./CalendarPage.vue'),
      meta: { title: 'calendar.title', roles: ['manager'], menu: { icon: Calendar } },
    },
  ],
} satisfies Capability;
