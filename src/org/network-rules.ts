// The hall network's rules, pure: levels run city > county > township > village, a hall sits under a
// hall of a higher level, never under itself or its own subtree; the tree is built from parent links.
import type { HallLevel } from './tables.js';

export const HALL_LEVELS = ['city', 'county', 'township', 'village'] as const satisfies readonly HallLevel[];

const rank = (level: HallLevel) => HALL_LEVELS.indexOf(level);

/**
 * Why `hall` cannot sit under `parent`, or null when it can. `parentChain` is the parent and its
 * ancestors up to the root (ids), so a move under the hall's own subtree is seen before the levels.
 */
export function parentProblem(hall: { id?: string; level: HallLevel }, parent: { id: string; level: HallLevel }, parentChain: readonly string[]): string | null {
  if (hall.id !== undefined && parentChain.includes(hall.id)) return '不能移到自身或其下级服务中心之下';
  if (rank(parent.level) >= rank(hall.level)) return '上级服务中心的层级须高于本中心（市 > 县区 > 乡镇街道 > 村社区）';
  return null;
}

export type TreeNode<T> = T & { children: TreeNode<T>[] };

/** Nests rows by their parent; a row whose parent is not among them is a root. Children keep the rows' order. */
export function buildTree<T extends { id: string; parentId: string | null }>(rows: readonly T[]): TreeNode<T>[] {
  const nodes = new Map(rows.map((r) => [r.id, { ...r, children: [] as TreeNode<T>[] }]));
  const roots: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
