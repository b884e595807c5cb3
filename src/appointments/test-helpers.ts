import { idCheckDigit } from '../shared/identity.js';

/** A valid GB 11643 number for test person n (born on `born`, YYYYMMDD, 1980-01-01 unless given). */
export function testIdNumber(n: number, born = '19800101'): string {
  const first17 = `110105${born}${String(n).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

export const booking = (start: string, n = 1, extra: Record<string, unknown> = {}) => ({
  serviceCode: 'T-001',
  start,
  name: `张三${n}`,
  idNumber: testIdNumber(n),
  phone: '13800138000',
  ...extra,
});
