// The catalogue per level, pure: which hall decides a case taken in at a hall, the nearest hall that takes
// an item in, the hall an address points to, and what a hall gets when it copies its parent's catalogue.
import type { HandlingMode } from './schemas.js';

export interface NetHall {
  id: string;
  parentId: string | null;
  code: string;
  name: string;
  level: string;
  address: string;
}
/** Each hall's mode for one item, the item's own hall included as 'decide'. */
export type Modes = ReadonlyMap<string, HandlingMode>;

const DEPTH = { city: 0, county: 1, township: 2, village: 3 } as Record<string, number>;
const depthOf = (h: NetHall) => DEPTH[h.level] ?? 0;

/** The hall a case taken in at `hallId` is decided at: the hall itself when it decides, else the nearest hall above that does. */
export function decidingHall(byId: ReadonlyMap<string, NetHall>, modes: Modes, hallId: string): NetHall | null {
  for (let h = byId.get(hallId); h; h = h.parentId === null ? undefined : byId.get(h.parentId)) {
    if (modes.get(h.id) === 'decide') return h;
  }
  return null;
}

/**
 * The hall nearest to `startId` in the network that takes the item in (decides it, or takes in and
 * forwards): the start itself, else by the fewest steps along the tree, and among halls as near, the
 * lower level first (a neighbouring station before the county centre), then the code.
 */
export function nearestHandling(halls: readonly NetHall[], modes: Modes, startId: string): NetHall | null {
  const neighbours = new Map<string, string[]>(halls.map((h) => [h.id, []]));
  for (const h of halls) {
    if (h.parentId !== null && neighbours.has(h.parentId)) {
      neighbours.get(h.id)!.push(h.parentId);
      neighbours.get(h.parentId)!.push(h.id);
    }
  }
  const byId = new Map(halls.map((h) => [h.id, h]));
  const takesIn = (id: string) => modes.get(id) === 'decide' || modes.get(id) === 'forward';
  let ring = byId.has(startId) ? [startId] : [];
  const seen = new Set(ring);
  while (ring.length) {
    const found = ring.filter(takesIn).map((id) => byId.get(id)!);
    if (found.length) return found.sort((a, b) => depthOf(b) - depthOf(a) || a.code.localeCompare(b.code))[0]!;
    ring = ring.flatMap((id) => neighbours.get(id)!).filter((id) => !seen.has(id) && seen.add(id));
  }
  return null;
}

/** The length of the longest run of characters `a` and `b` share. */
function commonRun(a: string, b: string): number {
  let best = 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) best = Math.max(best, (row[j] = prev[j - 1]! + 1));
    }
    prev = row;
  }
  return best;
}

/** At least this many characters in a row must agree (a township's name, 万和镇, is three). */
const MIN_MATCH = 2;

/**
 * The hall an address typed by a visitor points to: the one whose address or name shares the longest run
 * of characters with it; among halls as good, the higher level, since an address that names only the
 * township ("万和镇") fits the township centre and each of its stations alike.
 */
export function hallByAddress(halls: readonly NetHall[], text: string): NetHall | null {
  const query = text.replace(/\s+/g, '');
  let best: { hall: NetHall; score: number } | null = null;
  for (const hall of halls) {
    const score = Math.max(commonRun(query, hall.address.replace(/\s+/g, '')), commonRun(query, hall.name));
    if (score < MIN_MATCH) continue;
    if (!best || score > best.score || (score === best.score && depthOf(hall) < depthOf(best.hall))) best = { hall, score };
  }
  return best?.hall ?? null;
}

/**
 * What a hall's list becomes when it copies its parent's: the same items, taken in and forwarded where the
 * parent decides them (its own items, and those it was given to decide), forwarded or guided as the parent
 * does otherwise. Deciding an item defined above is a choice made item by item, never by a copy.
 */
export function copiedModes(parentModes: ReadonlyMap<string, HandlingMode>, parentOwns: readonly string[]): Map<string, HandlingMode> {
  const out = new Map<string, HandlingMode>();
  for (const [serviceId, mode] of parentModes) out.set(serviceId, mode === 'decide' ? 'forward' : mode);
  for (const serviceId of parentOwns) out.set(serviceId, 'forward');
  return out;
}
