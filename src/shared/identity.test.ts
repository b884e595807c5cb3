import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  creditCodeCheckCharacter,
  creditCodeProblem,
  idNumberProblem,
  isLandlinePhone,
  isMobilePhone,
  isValidCreditCode,
  isValidIdNumber,
  maskIdNumber,
  maskName,
  maskPhone,
} from './identity.js';

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
  it('keeps the surname only, a compound surname whole', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('欧阳明')).toBe('欧阳*');
    expect(maskName('司马光')).toBe('司马*');
    // Four characters without a compound surname: one family character, not two.
    expect(maskName('买买提明')).toBe('买***');
    // 欧阳 alone is a surname with no given name left to hide behind: only its first character shows.
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('王')).toBe('*');
    expect(maskName(' ')).toBe('');
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

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts real codes whose check character matches, typed in lower case or with spaces', () => {
    // The standard's example and a listed company's published code.
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91440300708461136T')).toBe(true);
    expect(isValidCreditCode('91350100m000100y43')).toBe(true);
    expect(isValidCreditCode('9135 0100 M000 100Y 43')).toBe(true);
  });

  it('refuses the letters I, O, Z, S and V, wrong lengths and a wrong check character', () => {
    for (const letter of ['I', 'O', 'Z', 'S', 'V']) expect(creditCodeProblem(`91350100M000100${letter}43`)).toBe('format');
    expect(creditCodeProblem('91350100M000100Y4')).toBe('format');
    expect(creditCodeProblem('91350100M000100Y44')).toBe('checkCharacter');
  });

  it('catches every single-character typo in the first 17 characters', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const good = '91350100M000100Y43';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 30 }), (pos, delta) => {
        const replaced = alphabet[(alphabet.indexOf(good[pos]!) + delta) % 31]!;
        const typo = good.slice(0, pos) + replaced + good.slice(pos + 1);
        // 31 is prime and no weight is a multiple of it, so the weighted sum always moves.
        expect(creditCodeProblem(typo)).toBe('checkCharacter');
      }),
    );
    expect(creditCodeCheckCharacter(good.slice(0, 17))).toBe('3');
  });
});

describe('phone numbers', () => {
  it('takes a landline with its area code, which companies often give', () => {
    expect(isLandlinePhone('0722-1234567')).toBe(true);
    expect(isLandlinePhone('01012345678')).toBe(true);
    expect(isLandlinePhone('13812345678')).toBe(false);
  });
});
