import type { NameToken } from './normalize.ts';

const BUF_A = new Uint8Array(64);
const BUF_B = new Uint8Array(64);

/** Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const matchedA = la <= 64 ? BUF_A.fill(0, 0, la) : new Uint8Array(la);
  const matchedB = lb <= 64 ? BUF_B.fill(0, 0, lb) : new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (!matchedB[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Agreement between two name tokens, best first. */
export type TokenLevel = 'exact' | 'variant' | 'phonetic' | 'fuzzy' | 'prefix' | 'initial' | 'none';

export const TOKEN_RANK: Record<TokenLevel, number> = { exact: 6, variant: 5, phonetic: 4, fuzzy: 3, prefix: 2, initial: 1, none: 0 };

/** Jaro–Winkler threshold for the fuzzy level (on the folded spelling or on the phonetic form). */
export const FUZZY_THRESHOLD = 0.88;

export type TokenComparison = {
  level: TokenLevel;
  similarity: number;
  /** the canonical form agreed on */ form: string;
  /** 2 when the words agree only within two edits (SAASAR, SALAZAR): a fuzzy agreement weaker than one typo (model.ts TWO_EDITS). */
  edits?: 2;
  /** a Jaro–Winkler agreement more than one typo apart (SAINZ, SANCQEZ): weighed like two edits. */
  loose?: true;
};

/** Similarity reported for a two-edit agreement: below any Jaro–Winkler fuzzy agreement, so one typo is preferred in token assignment. */
export const TWO_EDIT_SIMILARITY = 0.8;

/**
 * Compares two tokens: exact (same folded spelling), variant (an abbreviation or nickname expands to
 * the other), phonetic (same Spanish phonetic form), fuzzy (Jaro–Winkler ≥ 0.88), prefix (one is a
 * prefix of at least 3 letters of the other: GUAD, GUADALUPE), initial (J. against JOSE), none.
 */
export function compareTokens(a: NameToken, b: NameToken): TokenComparison {
  if (a.text === b.text) return { level: 'exact', similarity: 1, form: b.forms[0] ?? b.text };
  if (a.kind === 'initial' || b.kind === 'initial') {
    const initial = a.kind === 'initial' ? a.text : b.text;
    const other = a.kind === 'initial' ? b : a;
    if (other.kind !== 'initial' && (other.text[0] === initial || other.forms.some((f) => f[0] === initial))) return { level: 'initial', similarity: 0.5, form: other.forms[0] ?? other.text };
    return { level: 'none', similarity: 0, form: '' };
  }
  for (const fa of a.forms) {
    for (const fb of b.forms) {
      if (fa === fb) return { level: 'variant', similarity: 0.98, form: fb };
    }
  }
  // Variants through one side's text: MARI (written) against MARIA expanded from MA.
  if (a.forms.includes(b.text) || b.forms.includes(a.text)) return { level: 'variant', similarity: 0.98, form: b.forms[0] ?? b.text };
  for (const pa of a.phon) {
    if (b.phon.includes(pa)) return { level: 'phonetic', similarity: 0.95, form: b.forms[0] ?? b.text };
  }
  // The same sound written the French way and by a Spanish ear (JEAN, YAN; PIERRE, PIER).
  if (a.sound.length >= 2 && a.sound === b.sound) return { level: 'phonetic', similarity: 0.94, form: b.forms[0] ?? b.text };
  const [short, long] = a.text.length <= b.text.length ? [a.text, b.text] : [b.text, a.text];
  if (short.length >= 3 && long.length - short.length >= 3 && long.startsWith(short)) return { level: 'prefix', similarity: 0.6, form: b.forms[0] ?? b.text };
  // Fuzzy agreement is for typos inside a name: the first letter or first sound must agree (errors on the
  // first letter are rare, and the by-ear ones, H/B/V/J/G/S/Z/C/Y/LL, are caught by the phonetic level).
  // This also skips most Jaro–Winkler computations.
  let best = 0;
  if (a.text[0] === b.text[0]) best = jaroWinkler(a.text, b.text);
  if (best < FUZZY_THRESHOLD) {
    for (const pa of a.phon) for (const pb of b.phon) if (pa[0] === pb[0]) best = Math.max(best, jaroWinkler(pa, pb));
    if (best < FUZZY_THRESHOLD && a.sound && b.sound && a.sound[0] === b.sound[0]) best = Math.max(best, jaroWinkler(a.sound, b.sound));
  }
  if (best >= FUZZY_THRESHOLD) {
    // Similar by Jaro–Winkler but more than one typo apart in spelling, Spanish form and sound (SAINZ for SANCQEZ): weaker.
    const typo = oneEditApart(a.text, b.text) || a.phon.some((pa) => b.phon.some((pb) => oneEditApart(pa, pb))) || (Math.min(a.sound.length, b.sound.length) >= 4 && oneEditApart(a.sound, b.sound));
    return typo ? { level: 'fuzzy', similarity: best, form: b.forms[0] ?? b.text } : { level: 'fuzzy', similarity: best - 0.1, form: b.forms[0] ?? b.text, loose: true };
  }
  // One typo anywhere, the first letter too (ACRUZ for CRUZ, a space typed one letter late): a letter
  // added, dropped, changed or two swapped, in words long enough for that to be a typo and not another name.
  if (Math.min(a.text.length, b.text.length) >= 4 && oneEditApart(a.text, b.text)) return { level: 'fuzzy', similarity: FUZZY_THRESHOLD, form: b.forms[0] ?? b.text };
  // Two edits in one word (SAASAR for SALAZAR, PERS for PEREZ, YEFAN for JEAN): still far more often the same
  // name than a chance agreement, when the words start alike and the shorter keeps four letters.
  if (twoEditCandidate(a.text, b.text, a.sound, b.sound) && editDistanceAtMost2(a.text, b.text)) return { level: 'fuzzy', similarity: TWO_EDIT_SIMILARITY, form: b.forms[0] ?? b.text, edits: 2 };
  return { level: 'none', similarity: best, form: '' };
}

/** True when b is a with one letter added, dropped or changed, or two adjacent letters swapped. */
export function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Whether two words are long enough and start alike enough (same first letter, or same first sound:
 * YEFAN, JEAN) to be compared within two edits.
 */
export function twoEditCandidate(a: string, b: string, soundA: string, soundB: string): boolean {
  if (Math.min(a.length, b.length) < 4 || Math.max(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 2) return false;
  return a[0] === b[0] || (soundA.length > 0 && soundA[0] === soundB[0]);
}

const ROW_A = new Uint8Array(66);
const ROW_B = new Uint8Array(66);
const ROW_C = new Uint8Array(66);

/**
 * True when b is within two edits of a (letters added, dropped, changed, adjacent letters swapped:
 * optimal string alignment distance ≤ 2). Rows of the dynamic programme, stopped as soon as a row
 * exceeds 2.
 */
export function editDistanceAtMost2(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 2) return false;
  if (la > 64 || lb > 64) return false;
  let prev2 = ROW_A;
  let prev = ROW_B;
  let cur = ROW_C;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > 2) return false;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]! <= 2;
}

export type Assignment = { pairs: { q: number; r: number; cmp: TokenComparison }[]; unmatchedQ: number[]; unmatchedR: number[] };

/**
 * Greedy one-to-one assignment of query tokens to record tokens, best agreement first. Token lists are
 * short (a handful of tokens), so greedy equals optimal in practice. `cmp(i, j)` compares query token i
 * with record token j (memoised by the caller).
 */
export function assignTokens(nq: number, nr: number, cmp: (i: number, j: number) => TokenComparison): Assignment {
  // Names have a handful of tokens: the candidates are kept in order by an insertion sort (stable, as
  // Array.prototype.sort, so ties keep query-then-record order) and the used tokens in bit masks (31 at
  // most). Matching assigns millions of names, and sets and sort's work arrays were much of its garbage.
  const all: { q: number; r: number; cmp: TokenComparison; score: number }[] = [];
  for (let i = 0; i < nq; i++) {
    for (let j = 0; j < nr; j++) {
      const c = cmp(i, j);
      if (c.level === 'none') continue;
      const entry = { q: i, r: j, cmp: c, score: TOKEN_RANK[c.level] * 10 + c.similarity - Math.abs(i - j) * 0.01 };
      let at = all.length;
      all.push(entry);
      while (at > 0 && all[at - 1]!.score < entry.score) {
        all[at] = all[at - 1]!;
        at--;
      }
      all[at] = entry;
    }
  }
  // A name of more than 30 tokens (never seen) keeps the rest out of the masks: its extra tokens stay unmatched.
  let usedQ = 0;
  let usedR = 0;
  const pairs: Assignment['pairs'] = [];
  for (const p of all) {
    if (p.q > 30 || p.r > 30 || usedQ & (1 << p.q) || usedR & (1 << p.r)) continue;
    usedQ |= 1 << p.q;
    usedR |= 1 << p.r;
    pairs.push({ q: p.q, r: p.r, cmp: p.cmp });
  }
  const unmatchedQ: number[] = [];
  for (let i = 0; i < nq; i++) if (i > 30 || !(usedQ & (1 << i))) unmatchedQ.push(i);
  const unmatchedR: number[] = [];
  for (let j = 0; j < nr; j++) if (j > 30 || !(usedR & (1 << j))) unmatchedR.push(j);
  return { pairs, unmatchedQ, unmatchedR };
}
