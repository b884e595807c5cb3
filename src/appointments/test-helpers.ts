import { idCheckDigit } from '../shared/identity.js';

/** A valid GB 11643 number for test person n (born 1980-01-01, sequence n). */
export function testIdNumber(n: number): string {
  const first17 = `11010519800101${String(n).padStart(3, '0')}`;
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
