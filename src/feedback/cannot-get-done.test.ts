import { describe, expect, it } from 'vitest';
import { currentDeadline, dispositionOnAnswer, impossibleFindingRefusal, ledgerCounts } from './cannot-get-done.js';

const matter = (over: Partial<Parameters<typeof impossibleFindingRefusal>[0]> = {}) => ({ kind: 'cannot_get_done' as const, status: 'open' as const, disposition: null, ...over });

describe('办不成事: solved, transferred, or truly impossible and answered within its own limit', () => {
  it('lets only an open 办不成事 matter be found impossible, once', () => {
    expect(impossibleFindingRefusal(matter())).toBeNull();
    expect(impossibleFindingRefusal(matter({ kind: 'complaint' }))?.code).toBe('NOT_CANNOT_GET_DONE');
    expect(impossibleFindingRefusal(matter({ status: 'answered' }))?.code).toBe('ALREADY_ANSWERED');
    expect(impossibleFindingRefusal(matter({ disposition: 'impossible' }))?.code).toBe('ALREADY_FOUND_IMPOSSIBLE');
  });

  it('makes an answer say how the matter ended', () => {
    expect(dispositionOnAnswer(matter(), { disposition: 'solved' })).toEqual({ disposition: 'solved' });
    expect(dispositionOnAnswer(matter(), { disposition: 'transferred', transferredTo: '县自然资源局' })).toEqual({ disposition: 'transferred' });
    expect(dispositionOnAnswer(matter(), { disposition: 'transferred', transferredTo: ' ' })).toMatchObject({ status: 400, message: '请填写转办单位' });
    expect(dispositionOnAnswer(matter(), {})).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    // Impossible needs the finding with its legal basis first; after it, the answer cannot call it solved.
    expect(dispositionOnAnswer(matter(), { disposition: 'impossible' })).toMatchObject({ status: 409, code: 'NOT_FOUND_IMPOSSIBLE' });
    expect(dispositionOnAnswer(matter({ disposition: 'impossible' }), {})).toEqual({ disposition: 'impossible' });
    expect(dispositionOnAnswer(matter({ disposition: 'impossible' }), { disposition: 'solved' })).toMatchObject({ status: 409, code: 'ALREADY_FOUND_IMPOSSIBLE' });
    // A plain complaint has no disposition.
    expect(dispositionOnAnswer(matter({ kind: 'complaint' }), {})).toEqual({ disposition: null });
    expect(dispositionOnAnswer(matter({ kind: 'complaint' }), { disposition: 'solved' })).toMatchObject({ status: 400 });
  });

  it('watches the answer deadline once found impossible, and counts the ledger', () => {
    const d = (s: string) => new Date(s);
    expect(currentDeadline({ dueAt: 'intake', replyDueAt: null })).toBe('intake');
    expect(currentDeadline({ dueAt: 'intake', replyDueAt: 'reply' })).toBe('reply');
    const now = d('2025-10-20T10:00:00+08:00');
    const counts = ledgerCounts(
      [
        { status: 'answered', disposition: 'solved', dueAt: d('2025-10-15T17:00:00+08:00'), replyDueAt: null, answeredAt: d('2025-10-14T10:00:00+08:00') },
        // Answered within the intake limit but after the 3 days from its impossible finding: late.
        { status: 'answered', disposition: 'impossible', dueAt: d('2025-10-22T17:00:00+08:00'), replyDueAt: d('2025-10-16T17:00:00+08:00'), answeredAt: d('2025-10-17T09:00:00+08:00') },
        { status: 'answered', disposition: 'transferred', dueAt: d('2025-10-22T17:00:00+08:00'), replyDueAt: null, answeredAt: d('2025-10-13T09:00:00+08:00') },
        // Still open past its deadline: late; open before it: not.
        { status: 'open', disposition: null, dueAt: d('2025-10-17T17:00:00+08:00'), replyDueAt: null, answeredAt: null },
        { status: 'open', disposition: 'impossible', dueAt: d('2025-10-30T17:00:00+08:00'), replyDueAt: d('2025-10-22T17:00:00+08:00'), answeredAt: null },
      ],
      now,
    );
    expect(counts).toEqual({ received: 5, open: 2, solved: 1, impossible: 1, transferred: 1, late: 2 });
  });
});
