import { ABBREVIATIONS, NICKNAMES, PARTICLES } from './data/variants.ts';
import { phoneticForm, phoneticKey, soundForm } from './phonetic.ts';

/**
 * The name normaliser: folds accents, case and punctuation, splits tokens, keeps particles for
 * display but drops them from comparison, and expands abbreviations and nicknames.
 */

export type TokenKind = 'word' | 'initial' | 'abbreviation' | 'nickname';

export type NameToken = {
  /** The folded token as written (MA, PANCHO, GONZALEZ). */
  text: string;
  kind: TokenKind;
  /** Canonical forms to compare on: [text] for a plain word, the expansions for an abbreviation or nickname. */
  forms: string[];
  /** Phonetic forms of `text` and of each canonical form, without repeats. */
  phon: string[];
  /** Blocking skeletons of `text` and the forms (none for an initial). */
  keys: string[];
  /** `text` as it sounds read the French way (phonetic.ts soundForm: JEAN and YAN → YAN); empty for initials and abbreviations. */
  sound: string;
};

/** Upper case, accents and diaereses removed, Ñ → N, anything but letters, spaces, dots, apostrophes, hyphens → space. */
export function foldName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[ʼ'’`´]/g, '')
    .replace(/[^\p{L}\s.-]+/gu, ' ');
}

/** Folded text for display-free comparisons: letters and single spaces only. */
export function foldPlain(value: string): string {
  return foldName(value).replace(/[.-]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * One object per distinct token (kind, text and forms): the same word in many names is the same object,
 * so a comparison of two tokens can be remembered by the two objects (model.ts) however many names hold
 * them. Tokens are never modified. Cleared when full, with the caches of nameTokens.
 */
const tokenPool = new Map<string, NameToken>();

function makeToken(text: string, kind: TokenKind, forms: string[]): NameToken {
  const id = `${kind}|${text}|${forms.join(' ')}`;
  let token = tokenPool.get(id);
  if (!token) tokenPool.set(id, (token = newToken(text, kind, forms)));
  return token;
}

function newToken(text: string, kind: TokenKind, forms: string[]): NameToken {
  const phon = new Set<string>();
  const keys = new Set<string>();
  // An abbreviation's own letters (MA, FCO) say nothing phonetically; only its expansions count.
  for (const f of kind === 'abbreviation' ? forms : [text, ...forms]) {
    phon.add(phoneticForm(f));
    if (kind !== 'initial') keys.add(phoneticKey(f));
  }
  const sound = kind === 'initial' || kind === 'abbreviation' ? '' : soundForm(text);
  return { text, kind, forms, phon: [...phon], keys: [...keys].filter(Boolean), sound };
}

/**
 * Tokens by text, one map for surnames (no nicknames) and one for the rest: matching looks names up
 * millions of times, and a combined key would build and hash a new string on every lookup.
 */
const tokenCaches = { surname: new Map<string, NameToken[]>(), other: new Map<string, NameToken[]>() };

/**
 * Splits a name (one field, or a whole free-text query) into comparison tokens. Particles (de, del,
 * de la, y...) are dropped unless nothing else is left; a single letter is an initial; a known
 * abbreviation or nickname gets its expansion as canonical form (a compound expansion such as
 * CHEMA → JOSE MARIA becomes two tokens).
 */
export function nameTokens(value: string | null | undefined, field: 'any' | 'given' | 'surname' = 'any'): NameToken[] {
  if (!value) return [];
  const tokenCache = field === 'surname' ? tokenCaches.surname : tokenCaches.other;
  const cached = tokenCache.get(value);
  if (cached) return cached;
  const raw = foldName(value)
    .split(/[\s-]+/)
    .filter((t) => t.length > 0 && t !== '.');
  const tokens: NameToken[] = [];
  const particles: NameToken[] = [];
  for (const piece of raw) {
    const dotted = piece.includes('.');
    // "J.L." is two initials; "Ma." one abbreviation.
    const parts = piece.split('.').filter(Boolean);
    for (const part of parts) {
      const isLastWithDot = dotted;
      if (PARTICLES.has(part) && !(part.length === 1 && isLastWithDot)) {
        particles.push(makeToken(part, 'word', [part]));
        continue;
      }
      if (part.length === 1) {
        tokens.push(makeToken(part, 'initial', [part]));
        continue;
      }
      const abbreviation = ABBREVIATIONS[part];
      if (abbreviation) {
        tokens.push(makeToken(part, 'abbreviation', [...abbreviation]));
        continue;
      }
      const nickname = field === 'surname' ? undefined : NICKNAMES[part];
      if (nickname) {
        if (nickname.length === 1 && nickname[0]!.includes(' ')) {
          for (const w of nickname[0]!.split(' ')) tokens.push(makeToken(w, 'nickname', [w]));
        } else tokens.push(makeToken(part, 'nickname', [...nickname]));
        continue;
      }
      tokens.push(makeToken(part, 'word', [part]));
    }
  }
  const result = tokens.length ? tokens : particles;
  if (tokenCache.size > 200_000) tokenCache.clear();
  if (tokenPool.size > 200_000) tokenPool.clear();
  tokenCache.set(value, result);
  return result;
}

/** The display form kept as written, and the comparison tokens, of one name field. */
export function normaliseName(value: string | null | undefined, field: 'any' | 'given' | 'surname' = 'any'): { display: string; folded: string; tokens: NameToken[] } {
  const display = (value ?? '').trim().replace(/\s+/g, ' ');
  return { display, folded: foldPlain(display), tokens: nameTokens(display, field) };
}
