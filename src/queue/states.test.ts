import { describe, expect, it } from 'vitest';
import { TICKET_ACTIONS, TICKET_STATUSES, allowedActions, move } from './states.js';

describe('ticket state machine', () => {
  it('takes a ticket from waiting through a call and service to done', () => {
    expect(move('waiting', 'call')).toBe('called');
    expect(move('called', 'recall')).toBe('called');
    expect(move('called', 'start')).toBe('serving');
    expect(move('serving', 'complete')).toBe('done');
  });

  it('lets a no-show be restored and a transferred or chained ticket queue again', () => {
    expect(move('called', 'skip')).toBe('skipped');
    expect(move('skipped', 'restore')).toBe('waiting');
    expect(move('serving', 'transfer')).toBe('waiting');
    expect(move('serving', 'nextStep')).toBe('waiting');
  });

  it('refuses moves that make no sense at a window', () => {
    expect(move('waiting', 'complete')).toBeNull();
    expect(move('waiting', 'skip')).toBeNull();
    expect(move('done', 'call')).toBeNull();
    expect(move('serving', 'skip')).toBeNull();
    expect(move('called', 'cancel')).toBeNull();
    expect(move('cancelled', 'restore')).toBeNull();
  });

  it('ends in done, skipped or cancelled: nothing leaves done or cancelled', () => {
    for (const action of TICKET_ACTIONS) {
      expect(move('done', action)).toBeNull();
      expect(move('cancelled', action)).toBeNull();
    }
    expect(allowedActions('skipped')).toEqual(['restore']);
    expect(allowedActions('called')).toEqual(['recall', 'start', 'complete', 'nextStep', 'skip', 'transfer', 'sweep']);
    for (const status of TICKET_STATUSES) for (const a of allowedActions(status)) expect(move(status, a)).not.toBeNull();
  });

  it("lets the day's sweep end whatever is still in line or at a window, and leave missed tickets as no-shows", () => {
    for (const status of ['waiting', 'called', 'serving'] as const) expect(move(status, 'sweep')).toBe('cancelled');
    for (const status of ['skipped', 'done', 'cancelled'] as const) expect(move(status, 'sweep')).toBeNull();
  });
});
