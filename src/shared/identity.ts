// Personal identifiers: validation of the resident ID number (GB 11643-1999) and the masks every public
// view uses. Pure, with no server imports, so appointments, cases, the queue and the web app share it.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';
const ID_PATTERN = /^[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;

export type IdNumberProblem = 'format' | 'birthDate' | 'checkDigit';

/** The GB 11643 check character for the first 17 digits. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Upper-cases a trailing x and drops spaces, as people type it. */
export function normalizeIdNumber(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/**
 * Why an 18-character ID number is not valid, or null when it is: the pattern, a real birth date that is
 * not in the future (`today` as YYYY-MM-DD, when given), and the check digit.
 */
export function idNumberProblem(value: string, today?: string): IdNumberProblem | null {
  const id = normalizeIdNumber(value);
  const m = ID_PATTERN.exec(id);
  if (!m) return 'format';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'birthDate';
  }
  if (today && `${m[1]}-${m[2]}-${m[3]}` > today) return 'birthDate';
  return idCheckDigit(id.slice(0, 17)) === id[17] ? null : 'checkDigit';
}

export function isValidIdNumber(value: string, today?: string): boolean {
  return idNumberProblem(value, today) === null;
}

export const ID_NUMBER_MESSAGES: Record<IdNumberProblem, string> = {
  format: '身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X',
  birthDate: '身份证号码中的出生日期不正确',
  checkDigit: '身份证号码校验位不正确，请核对后重新输入',
};

/** Mainland mobile number: 11 digits starting 13-19. */
export function isMobilePhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value);
}

/** `张三` → `张*`, `欧阳娜娜` → `欧阳**`: a two-character surname is kept for four-character names. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

/** `320102199001011234` → `3201**********1234`. */
export function maskIdNumber(id: string): string {
  const chars = [...normalizeIdNumber(id)];
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

/** `13812345678` → `138****5678`. */
export function maskPhone(phone: string): string {
  const chars = [...phone.replace(/\s+/g, '')];
  if (chars.length <= 7) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}
