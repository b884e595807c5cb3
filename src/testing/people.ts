/** A valid GB 11643 ID number for test person i (the check digit computed), a different person for each i. */
export function idNumberOf(i: number, area = '110105'): string {
  const body = `${area}${1960 + (i % 40)}0101${String(i % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, k) => s + Number(d) * weights[k]!, 0);
  return body + '10X98765432'[sum % 11];
}
