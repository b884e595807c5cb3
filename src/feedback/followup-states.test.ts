import { describe, expect, it } from 'vitest';
import { FOLLOWUP_STATUSES, STAGE_OF, allowedFollowupActions, followupMove } from './followup-states.js';

describe('follow-up transitions', () => {
  it('closes only after a verification result: invalid (approved), rectified, or cannot be rectified (approved)', () => {
    const closable = FOLLOWUP_STATUSES.filter((s) => followupMove(s, 'close') !== null);
    expect(closable).toEqual(['invalid', 'rectified', 'cannot_rectify']);
    expect(followupMove('to_verify', 'close')).toBeNull();
    expect(followupMove('invalid_pending', 'close')).toBeNull();
  });

  it('needs approval to declare a review invalid or not rectifiable', () => {
    expect(followupMove('to_verify', 'propose_invalid')).toBe('invalid_pending');
    expect(followupMove('invalid_pending', 'approve_invalid')).toBe('invalid');
    expect(followupMove('invalid_pending', 'reject_invalid')).toBe('to_verify');
    expect(followupMove('rectifying', 'propose_cannot_rectify')).toBe('cannot_rectify_pending');
    expect(followupMove('cannot_rectify_pending', 'reject_cannot_rectify')).toBe('rectifying');
  });

  it('runs the verify, rectify and answer limits in the right statuses, and offers no move once closed', () => {
    expect(STAGE_OF.to_verify).toBe('verify');
    expect(STAGE_OF.rectifying).toBe('rectify');
    expect(STAGE_OF.rectified).toBe('answer');
    expect(allowedFollowupActions('done')).toEqual([]);
    expect(allowedFollowupActions('withdrawn')).toEqual([]);
    expect(allowedFollowupActions('rectifying')).toEqual(['complete_rectification', 'request_extension', 'approve_extension', 'reject_extension', 'propose_cannot_rectify']);
  });
});
