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

// Two-character surnames (复姓) in use today, from the 百家姓 and the census lists. The public sees the
// surname and no more: 欧阳明 → 欧阳*, not 欧**, which would read as a different family.
const COMPOUND_SURNAMES = new Set(
  ('欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 司空 夏侯 轩辕 端木 独孤 南宫 西门 百里 呼延 ' +
    '完颜 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 钟离 闾丘 东郭 公羊 赫连 万俟 拓跋 鲜于 左丘 梁丘 第五 ' +
    '乐正 谷梁 司寇 亓官 羊舌 微生 公良 壤驷 漆雕 巫马 颛孙 段干 东门 夹谷 宰父 公西 子车').split(' '),
);

/** `张三` → `张*`, `欧阳娜娜` → `欧阳**`: the surname (a compound one whole) and a star for each other character. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*'.repeat(chars.length);
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
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

// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character alphabet
// (digits and capitals without I, O, Z, S, V), the last one a check character over the first 17 with
// weights 3^i mod 31.
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_PATTERN = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

export type CreditCodeProblem = 'format' | 'checkCharacter';

/** The GB 32100 check character for the first 17 characters (which must be from the code's alphabet). */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Upper-cases and drops spaces, as people type it. */
export function normalizeCreditCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** Why a unified social credit code is not valid, or null when it is. */
export function creditCodeProblem(value: string): CreditCodeProblem | null {
  const code = normalizeCreditCode(value);
  if (!CREDIT_PATTERN.test(code)) return 'format';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'checkCharacter';
}

export function isValidCreditCode(value: string): boolean {
  return creditCodeProblem(value) === null;
}

export const CREDIT_CODE_MESSAGES: Record<CreditCodeProblem, string> = {
  format: '统一社会信用代码应为 18 位数字或大写字母（不使用 I、O、Z、S、V）',
  checkCharacter: '统一社会信用代码校验位不正确，请核对后重新输入',
};

/** Mainland landline with area code, e.g. `0722-1234567` (a company often gives one). */
export function isLandlinePhone(value: string): boolean {
  return /^0\d{2,3}-?\d{7,8}$/.test(value);
}
