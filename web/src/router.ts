import { createRouter, createWebHistory } from 'vue-router';
import type { Capability } from './capability';
import { useAuthStore } from './stores/auth';
import auth from './pages/auth/routes';
import home from './pages/home/routes';
import queue from './pages/queue/routes';
import org from './pages/org/routes';
import audit from './pages/audit/routes';
import calendar from './pages/calendar/routes';
import catalog from './pages/catalog/routes';
import cases from './pages/cases/routes';
import agents from './pages/agents/routes';
import feedback from './pages/feedback/routes';
import portal from './pages/portal/routes';
import staff from './pages/staff/routes';
import reports from './pages/reports/routes';
import appointments from './pages/appointments/routes';
import online from './pages/online/routes';

/** Every capability's pages. Add yours here; the order is the order of the staff sidebar. */
const CAPABILITIES: Capability[] = [home, queue, staff, reports, cases, agents, feedback, catalog, org, calendar, audit, auth, portal, appointments, online];

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/portal' },
    {
      path: '/staff',
      component: () => import('./layouts/StaffLayout.vue'),
      meta: { staff: true },
      children: CAPABILITIES.flatMap((c) => c.staff ?? []),
    },
    {
      path: '/portal',
      component: () => import('./layouts/PortalLayout.vue'),
      children: CAPABILITIES.flatMap((c) => c.portal ?? []),
    },
    ...CAPABILITIES.flatMap((c) => c.standalone ?? []),
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./components/NotFound.vue'), meta: { title: 'notFound.title' } },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

router.beforeEach(async (to) => {
  if (!to.meta.staff) return true;
  const auth = useAuthStore();
  if (!(await auth.restore())) return { name: 'login', query: { redirect: to.fullPath } };
  // A link or bookmark to a page the role may not open lands on the home page instead of an error.
  return auth.allows(to.meta.roles) ? true : { name: 'staff-home' };
});
