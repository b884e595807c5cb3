import { describe, expect, it } from 'vitest';
import { estimateWaitMinutes, typicalServiceMs } from './estimate.js';

const min = (m: number) => m * 60_000;

describe('estimated wait', () => {
  it('is the people ahead times the median service time, shared by the open windows', () => {
    expect(estimateWaitMinutes(6, [min(4), min(5), min(6)], 2)).toBe(15);
    expect(estimateWaitMinutes(1, [min(4), min(6)], 1)).toBe(5);
  });

  it('is zero for the next visitor and rounds partial minutes up', () => {
    expect(estimateWaitMinutes(0, [min(5)], 1)).toBe(0);
    expect(estimateWaitMinutes(1, [min(5)], 3)).toBe(2);
  });

  it('is not thrown off by one very long case', () => {
    expect(typicalServiceMs([min(5), min(5), min(120)])).toBe(min(5));
  });

  it('uses the default service time without history, and one window when all are paused', () => {
    expect(estimateWaitMinutes(3, [], 0)).toBe(30);
    expect(estimateWaitMinutes(3, [], 0, 4)).toBe(12);
  });
});
