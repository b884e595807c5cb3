import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idNumberProblem, isMobilePhone, isValidIdNumber, maskIdNumber, maskName, maskPhone } from './identity.js';

describe('ID number (GB 11643)', () => {
  it('accepts numbers whose check digit matches, including a final X typed in lower case', () => {
    // The standard's own example, and one whose check character is X.
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('440524198001010013')).toBe(true);
    expect(isValidIdNumber('320102199001011232')).toBe(true);
  });

  it('says what is wrong: format, birth date or check digit', () => {
    expect(idNumberProblem('1101051949123100')).toBe('format');
    expect(idNumberProblem('01010519491231002X')).toBe('format');
    expect(idNumberProblem('110105194902300021')).toBe('birthDate');
    expect(idNumberProblem('110105203001010011', '2025-09-30')).toBe('birthDate');
    expect(idNumberProblem('110105194912310021')).toBe('checkDigit');
  });

  it('catches every single-digit typo in the first 17 digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const good = '11010519491231002X';
        const typo = good.slice(0, pos) + String((Number(good[pos]) + delta) % 10) + good.slice(pos + 1);
        // 11 is prime and no weight is a multiple of it, so the weighted sum always moves.
        expect(idNumberProblem(typo)).not.toBeNull();
      }),
    );
  });
});

describe('masks for public views', () => {
  it('keeps the surname only', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('王')).toBe('*');
  });

  it('keeps the first four and last four characters of an ID number', () => {
    expect(maskIdNumber('320102199001011234')).toBe('3201**********1234');
  });

  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(isMobilePhone('13812345678')).toBe(true);
    expect(isMobilePhone('12812345678')).toBe(false);
  });
});
