import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_PRIORITY_POLICY, callOrder, type Priority, type PriorityPolicy } from './priority.js';

/** Calls `calls` times with both queues always full: the pattern a busy window produces. */
function pattern(policy: PriorityPolicy, calls: number, waiting: Priority[] = ['normal', 'elderly']): string {
  const history: Priority[] = [];
  for (let i = 0; i < calls; i++) history.push(callOrder(policy, waiting, history)[0]!);
  return history.map((c) => (c === 'normal' ? 'N' : 'P')).join('');
}

describe('priority interleaving', () => {
  it('calls 2 normal for every priority ticket by default when both wait', () => {
    expect(pattern(DEFAULT_PRIORITY_POLICY, 9)).toBe('PNNPNNPNN');
  });

  it('allows at most K priority calls in a row under maxInRow', () => {
    const policy: PriorityPolicy = { order: DEFAULT_PRIORITY_POLICY.order, guard: { kind: 'maxInRow', max: 3 } };
    expect(pattern(policy, 10)).toBe('PPPNPPPNPP');
  });

  it('with no guard, normal tickets wait while any priority ticket does', () => {
    const policy: PriorityPolicy = { order: DEFAULT_PRIORITY_POLICY.order, guard: { kind: 'none' } };
    expect(pattern(policy, 5)).toBe('PPPPP');
  });

  it('follows the hall order among priority classes', () => {
    expect(callOrder(DEFAULT_PRIORITY_POLICY, ['appointment', 'elderly', 'green'], [])).toEqual(['green', 'elderly', 'appointment']);
    const eldersFirst: PriorityPolicy = { order: ['elderly', 'appointment', 'green', 'normal'], guard: { kind: 'none' } };
    expect(callOrder(eldersFirst, ['green', 'elderly', 'normal'], [])).toEqual(['elderly', 'green', 'normal']);
  });

  it('keeps calling priority tickets when no normal ticket waits, then serves a newcomer next', () => {
    const history: Priority[] = ['green', 'green', 'green', 'elderly'];
    expect(callOrder(DEFAULT_PRIORITY_POLICY, ['green'], history)).toEqual(['green']);
    expect(callOrder(DEFAULT_PRIORITY_POLICY, ['green', 'normal'], history)[0]).toBe('normal');
  });

  it('lets a hall rank a class below normal: it is served only when no normal ticket waits', () => {
    const policy: PriorityPolicy = { order: ['green', 'normal', 'appointment', 'elderly'], guard: { kind: 'ratio', normal: 2, priority: 1 } };
    expect(callOrder(policy, ['appointment', 'normal'], [])).toEqual(['normal', 'appointment']);
  });

  it('never starves normal tickets: any n+p calls in a row hold at least n normal ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (n, p) => {
        const policy: PriorityPolicy = { order: DEFAULT_PRIORITY_POLICY.order, guard: { kind: 'ratio', normal: n, priority: p } };
        const calls = pattern(policy, 6 * (n + p));
        for (let i = 0; i + n + p <= calls.length; i++) {
          const normals = [...calls.slice(i, i + n + p)].filter((c) => c === 'N').length;
          expect(normals).toBeGreaterThanOrEqual(n);
        }
        expect(calls.startsWith('P'.repeat(p) + 'N'.repeat(n))).toBe(true);
      }),
    );
  });
});
