import { Collection, DataAnalysis, Files, Share } from '@element-plus/icons-vue';
import type { Capability, MenuGroup } from '@/capability';

const CATALOG: MenuGroup = { title: 'catalog.menu', icon: Files };

export default {
  staff: [
    { path: 'catalog/services', name: 'catalog-services', component: () => import('./CatalogListPage.vue'), meta: { title: 'catalog.list.title', roles: ['manager'], menu: { icon: Collection, group: CATALOG } } },
    { path: 'catalog/completeness', name: 'catalog-completeness', component: () => import('./CompletenessPage.vue'), meta: { title: 'catalog.review.title', roles: ['manager', 'leader', 'supervisor'], menu: { icon: DataAnalysis, group: CATALOG } } },
    { path: 'catalog/levels', name: 'catalog-levels', component: () => import('./LevelsPage.vue'), meta: { title: 'catalog.perLevel.title', roles: ['manager', 'leader', 'supervisor'], menu: { icon: Share, group: CATALOG } } },
    { path: 'catalog/services/:code', name: 'catalog-editor', component: () => import('./GuideEditorPage.vue'), meta: { title: 'catalog.editor.title', roles: ['manager'] } },
  ],
  portal: [
    { path: 'guide', name: 'portal-guide', component: () => import('./GuideSearchPage.vue'), meta: { title: 'portal.entries.guide.title' } },
    { path: 'services/:code', name: 'portal-service', component: () => import('./ServiceGuidePage.vue'), meta: { title: 'catalog.guide.title' } },
    { path: 'services/:code/notice', name: 'portal-notice', component: () => import('./NoticePage.vue'), meta: { title: 'catalog.notice.title' } },
    { path: 'disclosures', name: 'portal-disclosures', component: () => import('./DisclosuresPage.vue'), meta: { title: 'catalog.disclosures.title' } },
  ],
} satisfies Capability;
