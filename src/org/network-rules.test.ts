import { describe, expect, it } from 'vitest';
import { buildTree, parentProblem } from './network-rules.js';

describe('hall network rules', () => {
  it('puts a hall only under a higher level', () => {
    expect(parentProblem({ level: 'township' }, { id: 'c', level: 'county' }, ['c', 'city'])).toBeNull();
    expect(parentProblem({ level: 'village' }, { id: 'c', level: 'county' }, ['c'])).toBeNull();
    expect(parentProblem({ level: 'county' }, { id: 't', level: 'township' }, ['t', 'c'])).toMatch(/层级/);
    expect(parentProblem({ level: 'township' }, { id: 't2', level: 'township' }, ['t2', 'c'])).toMatch(/层级/);
  });

  it('refuses a move under the hall itself or its own subtree before looking at levels', () => {
    expect(parentProblem({ id: 'c', level: 'county' }, { id: 'v', level: 'village' }, ['v', 't', 'c', 'city'])).toMatch(/自身或其下级/);
    expect(parentProblem({ id: 'c', level: 'county' }, { id: 'c', level: 'county' }, ['c'])).toMatch(/自身或其下级/);
  });

  it('nests halls under their parents and treats a hall whose parent is out of view as a root', () => {
    const tree = buildTree([
      { id: 'c', parentId: 'city', name: '县中心' },
      { id: 't1', parentId: 'c', name: '甲镇' },
      { id: 'v1', parentId: 't1', name: '一村' },
      { id: 't2', parentId: 'c', name: '乙镇' },
    ]);
    expect(tree.map((n) => n.name)).toEqual(['县中心']);
    expect(tree[0]!.children.map((n) => [n.name, n.children.map((v) => v.name)])).toEqual([['甲镇', ['一村']], ['乙镇', []]]);
  });
});
