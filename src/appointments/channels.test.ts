import { describe, expect, it } from 'vitest';
import { ageOn, ticketPriorityOf } from './channels.js';

describe('green channels', () => {
  it('counts age in whole years, the birthday itself included', () => {
    // Born 1965-10-01.
    const id = '110105196510010015';
    expect(ageOn(id, '2025-09-30')).toBe(59);
    expect(ageOn(id, '2025-10-01')).toBe(60);
  });

  it('a green-channel booking checks in to its own ticket class; a home visit gets no ticket', () => {
    expect(ticketPriorityOf('normal')).toBe('appointment');
    expect(ticketPriorityOf('elderly')).toBe('elderly');
    expect(ticketPriorityOf('same_day')).toBe('green');
    expect(ticketPriorityOf('green_window')).toBe('green');
    expect(ticketPriorityOf('home_visit')).toBeNull();
  });
});
