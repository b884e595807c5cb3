import { pinyin } from 'pinyin-pro';

// Catalogue search, pure. Citizens type a name fragment (护照), a department (公安), a keyword (出入境),
// full pinyin (huzhao) or pinyin initials (hz). Pinyin is expensive (about 20 µs a name), so each item's
// pinyin is computed once when it is published and stored as its search key; department and window
// names are few and memoised here.

export function normalizeQuery(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Pinyin syllables of the Chinese characters in text, without tones (ü written v, as typed). */
export function syllablesOf(text: string): string[] {
  if (!/[\u3400-\u9fff]/.test(text)) return [];
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }).filter((s) => /^[a-z]+$/.test(s));
}

const clean = (s: string) => normalizeQuery(s).replace(/[|｜]/g, ' ');

/**
 * The stored search key of an item: `name | pinyin syllables | initials | keywords | keyword initials`,
 * lower case. Readable, and usable by a plain SQL LIKE as well as by the in-memory index.
 */
export function searchKeyOf(name: string, keywords: readonly string[]): string {
  const syllables = syllablesOf(name);
  const kws = keywords.map(clean).filter(Boolean);
  const kwInitials = kws.map((k) => syllablesOf(k).map((s) => s[0]).join('')).filter(Boolean);
  return [clean(name), syllables.join(' '), syllables.map((s) => s[0]).join(''), kws.join(' '), kwInitials.join(' ')].join(' | ');
}

/** What one name contributes to matching: itself, its pinyin from each syllable on, its initials. */
export interface NameTerms {
  text: string;
  /** Full pinyin from each syllable to the end, so "zhao" matches 护照 but "uzh" matches nothing. */
  pinyinTails: string[];
  initials: string;
}

function termsFromSyllables(text: string, syllables: readonly string[]): NameTerms {
  const pinyinTails: string[] = [];
  for (let i = 0; i < syllables.length; i++) pinyinTails.push(syllables.slice(i).join(''));
  return { text, pinyinTails, initials: syllables.map((s) => s[0]).join('') };
}

const memo = new Map<string, NameTerms>();
/** Terms of a short name (department, window), memoised: there are tens of them, searched 5,000 times. */
export function nameTerms(name: string): NameTerms {
  let terms = memo.get(name);
  if (!terms) {
    if (memo.size > 10_000) memo.clear();
    terms = termsFromSyllables(normalizeQuery(name), syllablesOf(name));
    memo.set(name, terms);
  }
  return terms;
}

export interface SearchTerms {
  code: string;
  name: NameTerms;
  keywords: string[];
  keywordInitials: string[];
  department: NameTerms;
  windows: NameTerms[];
  /** The item's own terms in one string: a token absent from it cannot match them (a fast reject). */
  haystack: string;
}

export interface SearchSource {
  code: string;
  name: string;
  searchKey: string;
  departmentName: string;
  windowNames: readonly string[];
  keywords?: readonly string[];
}

/** Terms of an item from its stored key; an item stored without one (inserted by hand) is keyed here. */
export function searchTerms(source: SearchSource): SearchTerms {
  let key = source.searchKey;
  if (!key.includes(' | ')) key = searchKeyOf(source.name, source.keywords ?? []);
  const [name = '', syllables = '', , keywords = '', kwInitials = ''] = key.split(' | ');
  const words = (s: string) => (s ? s.split(' ') : []);
  const terms = {
    code: source.code.toLowerCase(),
    name: termsFromSyllables(name, words(syllables)),
    keywords: words(keywords),
    keywordInitials: words(kwInitials),
    department: nameTerms(source.departmentName),
    windows: source.windowNames.map(nameTerms),
  };
  const haystack = [terms.code, terms.name.text, terms.name.pinyinTails[0] ?? '', terms.name.initials, ...terms.keywords, ...terms.keywordInitials].join('\u0001');
  return { ...terms, haystack };
}

const LETTERS = /^[a-z]+$/;

/** Score of a token against the item's own name, code and keywords. */
function ownScore(token: string, t: SearchTerms): number {
  if (!t.haystack.includes(token)) return 0;
  let best = 0;
  const up = (score: number) => {
    if (score > best) best = score;
  };
  const name = t.name.text;
  if (name === token) up(100);
  else if (name.startsWith(token)) up(90);
  else if (name.includes(token)) up(75);
  if (t.code === token) up(95);
  else if (t.code.startsWith(token)) up(70);
  for (const kw of t.keywords) {
    if (kw === token) up(72);
    else if (kw.includes(token)) up(55);
  }
  if (best >= 75 || !LETTERS.test(token)) return best;
  // Pinyin: a single letter is too weak a hint to rank high, however it matches.
  const weak = token.length < 2;
  if (t.name.initials.startsWith(token)) up(weak ? 20 : 68);
  else if (t.name.initials.includes(token)) up(weak ? 12 : 52);
  if (t.name.pinyinTails[0]?.startsWith(token)) up(66);
  else if (t.name.pinyinTails.some((p) => p.startsWith(token))) up(weak ? 10 : 50);
  if (t.keywordInitials.some((k) => k.startsWith(token))) up(weak ? 8 : 45);
  return best;
}

/** Score of a token against a department or window name: a reason to list the item, not to rank it high. */
function placeScore(token: string, terms: NameTerms, department: boolean): number {
  if (terms.text.includes(token)) return department ? 40 : 35;
  if (!LETTERS.test(token)) return 0;
  if (terms.initials.startsWith(token) || terms.pinyinTails.some((p) => p.startsWith(token))) return token.length < 2 ? 5 : 28;
  return 0;
}

/** Department and window scores of one token, kept for one query: many items share each name. */
export interface PlaceScores {
  departments: Map<NameTerms, number>;
  windows: Map<NameTerms, number>;
}
export const newPlaceScores = (): PlaceScores => ({ departments: new Map(), windows: new Map() });

function cachedPlace(cache: Map<NameTerms, number>, token: string, terms: NameTerms, department: boolean): number {
  let score = cache.get(terms);
  if (score === undefined) {
    score = placeScore(token, terms, department);
    cache.set(terms, score);
  }
  return score;
}

/** Score of one query token against an item: 0 means no match. Higher means a better reason to show it. */
export function tokenScore(token: string, t: SearchTerms, places: PlaceScores = newPlaceScores()): number {
  const own = ownScore(token, t);
  if (own >= 75) return own;
  let best = Math.max(own, cachedPlace(places.departments, token, t.department, true));
  for (const w of t.windows) best = Math.max(best, cachedPlace(places.windows, token, w, false));
  return best;
}

export interface Ranked<T> {
  item: T;
  score: number;
}

export interface SearchDoc<T> {
  terms: SearchTerms;
  item: T;
  nameLength: number;
}

/**
 * The searchable form of a catalogue. Every item's own terms sit in one string, so a query token is
 * found with a few native `indexOf` calls instead of a comparison per item; department and window names
 * are matched once each and bring their items along. Only those candidates are scored.
 */
export function createSearchIndex<T>(docs: readonly SearchDoc<T>[]) {
  const starts = new Int32Array(docs.length + 1);
  let offset = 0;
  docs.forEach((d, i) => {
    starts[i] = offset;
    offset += d.terms.haystack.length + 1;
  });
  starts[docs.length] = offset;
  const corpus = docs.map((d) => d.terms.haystack).join('\u0002');
  const byDepartment = new Map<NameTerms, number[]>();
  const byWindow = new Map<NameTerms, number[]>();
  const add = (map: Map<NameTerms, number[]>, terms: NameTerms, i: number) => {
    const list = map.get(terms);
    if (list) list.push(i);
    else map.set(terms, [i]);
  };
  docs.forEach((d, i) => {
    add(byDepartment, d.terms.department, i);
    for (const w of d.terms.windows) add(byWindow, w, i);
  });

  /** The item whose terms hold corpus position `at`. */
  const docAt = (at: number) => {
    let lo = 0;
    let hi = docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  /** Items that could match the token: every true match is among them. */
  function candidates(token: string): Uint8Array {
    const mark = new Uint8Array(docs.length);
    let at = corpus.indexOf(token);
    while (at !== -1) {
      const d = docAt(at);
      mark[d] = 1;
      at = corpus.indexOf(token, starts[d + 1]!);
    }
    for (const [terms, list] of byDepartment) if (placeScore(token, terms, true) > 0) for (const d of list) mark[d] = 1;
    for (const [terms, list] of byWindow) if (placeScore(token, terms, false) > 0) for (const d of list) mark[d] = 1;
    return mark;
  }

  return {
    /**
     * Items matching every token of the query that `accept` lets through, best first; ties go to the
     * shorter name (the more specific match), then the code. An empty query keeps the index's order.
     */
    search(query: string, accept: (item: T) => boolean = () => true): Ranked<T>[] {
      const tokens = normalizeQuery(query).split(' ').filter(Boolean);
      if (tokens.length === 0) return docs.filter((d) => accept(d.item)).map((d) => ({ item: d.item, score: 0 }));
      const mark = candidates(tokens[0]!);
      const places = tokens.map(newPlaceScores);
      const hits: (Ranked<T> & { nameLength: number; code: string })[] = [];
      for (let i = 0; i < docs.length; i++) {
        if (!mark[i]) continue;
        const doc = docs[i]!;
        let score = 0;
        for (let k = 0; k < tokens.length; k++) {
          const s = tokenScore(tokens[k]!, doc.terms, places[k]);
          if (s === 0) {
            score = 0;
            break;
          }
          score += s;
        }
        if (score > 0 && accept(doc.item)) hits.push({ item: doc.item, score, nameLength: doc.nameLength, code: doc.terms.code });
      }
      hits.sort((a, b) => b.score - a.score || a.nameLength - b.nameLength || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      return hits.map(({ item, score }) => ({ item, score }));
    },
  };
}
export type SearchIndex<T> = ReturnType<typeof createSearchIndex<T>>;
