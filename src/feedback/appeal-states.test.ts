import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppealMoveError, allowedAppealActions, applyAppealStep, replayAppeal, type AppealState, type AppealStep } from './appeal-states.js';

const D1 = 'dept-1';
const D2 = 'dept-2';

describe('appeal transitions', () => {
  it('goes received → dispatched → accepted → answered → closed, and a dissatisfied visit sends it back', () => {
    const steps: AppealStep[] = [
      { action: 'receive', level: 'grid' },
      { action: 'dispatch', departmentId: D1 },
      { action: 'sign' },
      { action: 'answer' },
      { action: 'revisit', satisfaction: 'dissatisfied' },
    ];
    expect(replayAppeal(steps)).toEqual({ status: 'accepted', level: 'grid', departmentId: D1 });
    expect(replayAppeal([...steps, { action: 'answer' }, { action: 'revisit', satisfaction: 'satisfied' }]).status).toBe('closed');
  });

  it('escalates one level at a time up to the district, keeping or changing the unit', () => {
    let s = replayAppeal([{ action: 'receive', level: 'grid' }, { action: 'dispatch', departmentId: D1 }]);
    for (const [level, dept] of [['community', D1], ['street', D2], ['district', D2]] as const) {
      s = applyAppealStep(s, { action: 'escalate', departmentId: dept === D1 ? undefined : dept });
      expect(s).toEqual({ status: 'dispatched', level, departmentId: dept });
    }
    expect(() => applyAppealStep(s, { action: 'escalate' })).toThrow(AppealMoveError);
    expect(allowedAppealActions(s)).not.toContain('escalate');
  });

  it('never closes an appeal that was not answered', () => {
    const actions = ['dispatch', 'sign', 'return', 'escalate', 'request_extension', 'approve_extension', 'answer', 'revisit', 'supervise'] as const;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...actions), { maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 30 }), (seq, happy) => {
        let s: AppealState = applyAppealStep(null, { action: 'receive' });
        let answered = false;
        seq.forEach((action, i) => {
          try {
            const next = applyAppealStep(s, { action, departmentId: D1, satisfaction: happy[i] ? 'satisfied' : 'dissatisfied' });
            if (next.status === 'closed') expect(answered && s.status === 'answered').toBe(true);
            if (action === 'answer') answered = true;
            if (next.status === 'accepted' && s.status === 'answered') answered = false;
            s = next;
          } catch (err) {
            expect(err).toBeInstanceOf(AppealMoveError);
          }
        });
      }),
    );
  });

  it('refuses a dispatch without a unit and a second receipt', () => {
    const s = applyAppealStep(null, { action: 'receive' });
    expect(() => applyAppealStep(s, { action: 'dispatch' })).toThrow(expect.objectContaining({ why: 'department' }));
    expect(() => applyAppealStep(s, { action: 'receive' })).toThrow(AppealMoveError);
    expect(() => applyAppealStep(null, { action: 'sign' })).toThrow(AppealMoveError);
  });
});
