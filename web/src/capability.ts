import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@shared/auth/roles.ts';

/** A sidebar submenu that several pages share, e.g. 组织管理. Pages name the same object. */
export interface MenuGroup {
  /** i18n key of the submenu's title; also tells groups apart. */
  title: string;
  icon: Component;
}

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title: page heading, browser tab and sidebar entry. */
    title?: string;
    /** Staff roles that may open the page (admin always may); none means any signed-in staff. */
    roles?: readonly Role[];
    /** Show the page in the staff sidebar; needs a route name. */
    menu?: { icon: Component; group?: MenuGroup };
    /** Set on the staff layout route: every page under it needs a signed-in user. */
    staff?: boolean;
  }
}

/**
 * What one capability adds to the web app. Each `web/src/pages/<capability>/routes.ts` exports one by
 * default; `web/src/router.ts` lists them.
 */
export interface Capability {
  /** Pages in the staff layout, paths relative to /staff. Sidebar entries follow this order. */
  staff?: RouteRecordRaw[];
  /** Pages in the public portal layout (phone first), paths relative to /portal. */
  portal?: RouteRecordRaw[];
  /** Full-screen pages with no layout: the login page, later the kiosk and the hall display. */
  standalone?: RouteRecordRaw[];
}
