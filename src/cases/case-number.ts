// 受理编号: no national format exists; a common one is hall code + yyyyMMdd + sequence. OneWindow uses
// `<hallCode>-<yyyyMMdd>-<5-digit daily sequence>`, e.g. `SUIXIAN-20250930-00042`. Hall codes are unique
// across the network, so a number is unique everywhere and names its hall; the sequence comes from one
// counter row per hall per local date, bumped in the receiving transaction, so app nodes never share one.
// A day past 99,999 cases widens the sequence rather than wrapping.

export const CASE_NUMBER_PATTERN = /^[A-Za-z0-9]{2,16}-\d{8}-\d{5,7}$/;

export function formatCaseNumber(hallCode: string, localDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`受理编号序号无效：${sequence}`);
  return `${hallCode}-${localDate.replaceAll('-', '')}-${String(sequence).padStart(5, '0')}`;
}

export const isCaseNumber = (value: string) => CASE_NUMBER_PATTERN.test(value);
