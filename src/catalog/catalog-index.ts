import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { departments, windows, windowServices } from '../org/tables.js';
import type { Category, ServiceSummary } from './schemas.js';
import { createSearchIndex, searchTerms, type SearchIndex } from './search.js';
import { catalogRevision, offeredAt, services } from './tables.js';
import { summaryOf } from './views.js';

// The public catalogue of each hall (its own items and those it handles for a hall above), held in memory for search. One primary-key read per search checks
// the committed catalogue revision (moved by triggers on every change that search can see), so an index
// is never served stale, whichever app node made the change.

interface HallIndex {
  revision: number;
  index: SearchIndex<ServiceSummary>;
}

export interface CatalogQuery {
  q?: string;
  departmentId?: string;
  departmentName?: string;
  category?: Category;
  limit: number;
  offset: number;
}

export function createCatalogIndex(db: Db) {
  const byHall = new Map<string, HallIndex>();
  const loading = new Map<string, Promise<HallIndex>>();

  async function revisionNow(): Promise<number> {
    const [row] = await db.select({ revision: catalogRevision.revision }).from(catalogRevision).where(eq(catalogRevision.id, 1));
    return Number(row?.revision ?? 0);
  }

  async function load(hallId: string, revision: number): Promise<HallIndex> {
    const rows = await db
      .select({
        id: services.id,
        code: services.code,
        name: services.name,
        category: services.category,
        departmentId: services.departmentId,
        kind: services.kind,
        legalLimitDays: services.legalLimitDays,
        promisedLimitDays: services.promisedLimitDays,
        queuePrefix: services.queuePrefix,
        bookable: services.bookable,
        appointment: services.appointment,
        onlineApplicable: services.onlineApplicable,
        greenChannel: services.greenChannel,
        currentGuideVersion: services.currentGuideVersion,
        searchKey: services.searchKey,
        departmentName: departments.name,
      })
      .from(services)
      .innerJoin(departments, eq(departments.id, services.departmentId))
      // The hall's own items, and those its catalogue per level names from a hall above (decide, take in, guide).
      .where(and(offeredAt(hallId), isNotNull(services.currentGuideVersion)))
      .orderBy(asc(departments.sortOrder), asc(departments.name), asc(services.code));
    const windowRows = await db
      .select({ serviceId: windowServices.serviceId, name: windows.name })
      .from(windowServices)
      .innerJoin(windows, eq(windows.id, windowServices.windowId))
      .where(eq(windows.hallId, hallId));
    const windowNames = new Map<string, string[]>();
    for (const w of windowRows) {
      const list = windowNames.get(w.serviceId);
      if (list) list.push(w.name);
      else windowNames.set(w.serviceId, [w.name]);
    }
    const docs = rows.map((r) => ({
      terms: searchTerms({ code: r.code, name: r.name, searchKey: r.searchKey, departmentName: r.departmentName, windowNames: windowNames.get(r.id) ?? [] }),
      item: summaryOf(r, r.departmentName),
      nameLength: r.name.length,
    }));
    return { revision, index: createSearchIndex(docs) };
  }

  async function indexOf(hallId: string): Promise<HallIndex> {
    // Read the revision before the rows: a change committed in between makes the next search reload.
    const revision = await revisionNow();
    const cached = byHall.get(hallId);
    if (cached && cached.revision === revision) return cached;
    const key = `${hallId}:${revision}`;
    let pending = loading.get(key);
    if (!pending) {
      pending = load(hallId, revision).finally(() => loading.delete(key));
      loading.set(key, pending);
    }
    const index = await pending;
    byHall.set(hallId, index);
    return index;
  }

  return {
    async search(hallId: string, query: CatalogQuery): Promise<{ total: number; items: ServiceSummary[] }> {
      const { index } = await indexOf(hallId);
      const ranked = index.search(
        query.q ?? '',
        (item) =>
          (!query.departmentId || item.departmentId === query.departmentId) &&
          (!query.departmentName || item.departmentName === query.departmentName) &&
          (!query.category || item.category === query.category),
      );
      return { total: ranked.length, items: ranked.slice(query.offset, query.offset + query.limit).map((r) => r.item) };
    },
  };
}
export type CatalogIndex = ReturnType<typeof createCatalogIndex>;

