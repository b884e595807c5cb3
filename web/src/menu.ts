import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@shared/auth/roles.ts';
import type { MenuGroup } from './capability';

export interface MenuLink {
  path: string;
  title: string;
  icon: Component;
}
export type MenuItem = MenuLink | { group: MenuGroup; links: MenuLink[] };

/**
 * The staff sidebar, built from the pages' own route meta: pages the user may open, in declaration
 * order, with grouped pages gathered under their group where its first page stands.
 */
export function buildMenu(base: string, pages: readonly RouteRecordRaw[], allows: (roles: readonly Role[] | undefined) => boolean): MenuItem[] {
  const items: MenuItem[] = [];
  for (const page of pages) {
    const meta = page.meta;
    if (!meta?.menu || !meta.title || !allows(meta.roles)) continue;
    const link: MenuLink = { path: page.path ? `${base}/${page.path}` : base, title: meta.title, icon: meta.menu.icon };
    const group = meta.menu.group;
    if (!group) {
      items.push(link);
      continue;
    }
    const existing = items.find((i): i is Extract<MenuItem, { group: MenuGroup }> => 'group' in i && i.group.title === group.title);
    if (existing) existing.links.push(link);
    else items.push({ group, links: [link] });
  }
  return items;
}

/** Every link of a menu, groups opened up: the home page's shortcuts. */
export const menuLinks = (items: MenuItem[]): MenuLink[] => items.flatMap((i) => ('group' in i ? i.links : [i]));
