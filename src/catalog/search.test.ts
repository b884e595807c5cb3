import { describe, expect, it } from 'vitest';
import { createSearchIndex, searchKeyOf, searchTerms, tokenScore } from './search.js';

const doc = (code: string, name: string, departmentName = '公安局', keywords: string[] = [], windowNames: string[] = []) => ({
  terms: searchTerms({ code, name, searchKey: searchKeyOf(name, keywords), departmentName, windowNames }),
  item: name,
  nameLength: name.length,
});

const DOCS = [
  doc('GA-CRJ-001', '普通护照签发', '公安局', ['出国'], ['出入境窗口']),
  doc('GA-CRJ-002', '往来港澳通行证签发', '公安局', [], ['出入境窗口']),
  doc('GA-HZ-001', '居民身份证换领', '公安局', [], ['户政窗口']),
  doc('LY-001', '林木采伐许可证核发', '林业局', ['砍树']),
  doc('SJ-001', '食品经营许可证核发', '市场监管局'),
  doc('HZ-9', '护照', '公安局'),
];
const INDEX = createSearchIndex(DOCS);
const names = (q: string) => INDEX.search(q).map((r) => r.item);

describe('catalogue search', () => {
  it('stores a readable key with pinyin and initials', () => {
    expect(searchKeyOf('普通护照签发', ['出国'])).toBe('普通护照签发 | pu tong hu zhao qian fa | pthzqf | 出国 | cg');
  });

  it('"hz" finds 护照 first: an exact initials match beats a match inside a name', () => {
    expect(names('hz').slice(0, 2)).toEqual(['护照', '普通护照签发']);
    expect(names('hz')).not.toContain('林木采伐许可证核发');
  });

  it('ranks an exact name over a prefix over a match inside', () => {
    expect(names('护照')).toEqual(['护照', '普通护照签发']);
    expect(names('许可证')).toEqual(['林木采伐许可证核发', '食品经营许可证核发']);
  });

  it('matches full pinyin only from a syllable boundary', () => {
    expect(names('huzhao')).toEqual(['护照', '普通护照签发']);
    expect(names('uzhao')).toEqual([]);
  });

  it('finds items by department, window, keyword and code', () => {
    expect(names('林业')).toEqual(['林木采伐许可证核发']);
    expect(names('出入境')).toEqual(['普通护照签发', '往来港澳通行证签发']);
    expect(names('砍树')).toEqual(['林木采伐许可证核发']);
    expect(names('ly-001')).toEqual(['林木采伐许可证核发']);
  });

  it('needs every word of a query to match', () => {
    expect(names('公安 港澳')).toEqual(['往来港澳通行证签发']);
    expect(names('公安 砍树')).toEqual([]);
  });

  it('ignores case, full-width letters and extra spaces', () => {
    expect(names('  ＨＺ ')).toEqual(names('hz'));
  });

  it('gives a single letter a weak score so names still win', () => {
    const passport = DOCS[0]!.terms;
    expect(tokenScore('p', passport)).toBeLessThan(tokenScore('护', passport));
  });

  it('keeps the index order for an empty query and applies the filter', () => {
    expect(names('')).toEqual(DOCS.map((d) => d.item));
    expect(INDEX.search('证', (name) => name.includes('许可')).map((r) => r.item)).toEqual(['林木采伐许可证核发', '食品经营许可证核发']);
  });
});
