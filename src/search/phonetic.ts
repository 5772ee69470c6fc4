/**
 * A Spanish phonetic code, written for Amparo in the spirit of "Spanish Soundex" and "fonético":
 * names that a Latin American Spanish speaker pronounces alike get the same code, whatever the
 * spelling by ear (seseo, b/v, ll/y, silent h, j/g/x, qu/k/c, gu/w, doubled letters, ñ typed as n).
 *
 * Input: a folded token (upper case A–Z, no accents; see normalize.ts). Letters outside A–Z (other
 * scripts) pass through unchanged, so a name in another alphabet still compares with itself.
 *
 * Two outputs:
 * - `phoneticForm`: the pronunciation with vowels (GONZALEZ → GONSALES, VILLA → BIYA). Equal forms are
 *   the "phonetic" agreement level of the comparators.
 * - `phoneticKey`: a short skeleton for blocking (first sound, then the consonants, doubles
 *   collapsed, at most 4 symbols: HERNANDEZ → ERND). Vowel typos and endings do not change it.
 */

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
const isVowel = (c: string | undefined) => c !== undefined && VOWELS.has(c);
const isFront = (c: string | undefined) => c === 'E' || c === 'I' || c === 'Y';

const formCache = new Map<string, string>();

export function phoneticForm(word: string): string {
  const cached = formCache.get(word);
  if (cached !== undefined) return cached;
  const s = word;
  let out = '';
  const push = (sound: string) => {
    if (out.length === 0 || out[out.length - 1] !== sound) out += sound;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const n = s[i + 1];
    const n2 = s[i + 2];
    switch (c) {
      case 'H':
        // Silent, except HU + vowel at the start of a word sounds like W (HUERTA, WERTA).
        if (i === 0 && n === 'U' && isVowel(n2)) {
          push('W');
          i += 2;
          continue;
        }
        i += 1;
        continue;
      case 'C':
        if (n === 'H') {
          push('C'); // CH keeps its own sound; plain C never maps to 'C'.
          i += 2;
          continue;
        }
        push(isFront(n) ? 'S' : 'K');
        i += 1;
        continue;
      case 'Q':
        push('K');
        i += n === 'U' ? 2 : 1;
        continue;
      case 'K':
        push('K');
        i += 1;
        continue;
      case 'G':
        if (isFront(n)) push('J');
        else if (n === 'U' && isFront(n2)) {
          push('G'); // GUE, GUI: the U is silent (GUILLERMO).
          i += 2;
          continue;
        } else if (n === 'U' && (n2 === 'A' || n2 === 'O')) {
          push('W'); // GUA, GUO sound like WA (GUADALUPE, WADALUPE).
          i += 2;
          continue;
        } else push('G');
        i += 1;
        continue;
      case 'J':
      case 'X':
        push('J'); // XAVIER, JAVIER; XIMENA, JIMENA; MEXIA, MEJIA.
        i += 1;
        continue;
      case 'B':
      case 'V':
        push('B');
        i += 1;
        continue;
      case 'W':
        push('W');
        i += 1;
        continue;
      case 'S':
      case 'Z':
        push('S');
        i += 1;
        continue;
      case 'L':
        if (n === 'L') {
          push('Y');
          i += 2;
          continue;
        }
        push('L');
        i += 1;
        continue;
      case 'Y':
        push(isVowel(n) ? 'Y' : 'I');
        i += 1;
        continue;
      case 'P':
        if (n === 'H') {
          push('F');
          i += 2;
          continue;
        }
        push('P');
        i += 1;
        continue;
      case 'T':
        push('T');
        i += n === 'H' ? 2 : 1;
        continue;
      case 'N':
        // N before B/P/V is pronounced M (and often written so): "ANBROSIO", "AMBROSIO".
        push(n === 'B' || n === 'P' || n === 'V' ? 'M' : 'N');
        i += 1;
        continue;
      default:
        push(c);
        i += 1;
    }
  }
  if (formCache.size > 200_000) formCache.clear();
  formCache.set(word, out);
  return out;
}

/** Blocking skeleton: first sound, then consonant sounds with repeats collapsed, at most 4 symbols. */
export function phoneticKey(word: string): string {
  const form = phoneticForm(word);
  if (!form) return '';
  let out = form[0]!;
  for (let i = 1; i < form.length && out.length < 4; i++) {
    const c = form[i]!;
    if (isVowel(c)) continue;
    if (out[out.length - 1] === c) continue;
    out += c;
  }
  return out;
}

const soundCache = new Map<string, string>();

/**
 * How a name sounds to a Spanish speaker when it is written in French (or Haitian Creole) spelling, as
 * the Spanish phonetic form of the word read the French way: JEAN and YAN → YAN, PIERRE and PIER →
 * PIER, FLEUR and FLER → FLER, MICHEL and MISHEL → MISEL, JOSEPH and YOSEF → YOSEF, WILSON and GUILSON →
 * GILSON, SAINT and SAN → SAN. Migrants from Haiti and French-speaking Africa give their names aloud to
 * clerks who write what they hear; comparing this form on both sides finds the name however it was
 * written. Only an extra equality test (and a vocabulary probe): the Spanish form stays the main one.
 */
export function soundForm(word: string): string {
  const cached = soundCache.get(word);
  if (cached !== undefined) return cached;
  const s = word
    .replace(/G(?=[EIY])/g, 'J')
    .replace(/EAU/g, 'O')
    .replace(/EAN/g, 'AN')
    .replace(/AU/g, 'O')
    .replace(/OU/g, 'U')
    .replace(/EU/g, 'E')
    .replace(/[AE]I(?=[^AEIOU]|$)/g, 'E')
    .replace(/J/g, 'Y')
    .replace(/CH/g, 'SH')
    .replace(/QU/g, 'K')
    .replace(/W/g, 'GU')
    .replace(/LL/g, 'L')
    .replace(/(?<=[AEIOUN])[STXZ]$/, '')
    .replace(/(?<=[^AEIOU])E$/, '')
    .replace(/(?<=[^AEIOU])E([STDXZ])$/, '$1')
    .replace(/[AEI]N(?=[^AEIOU]|$)/g, 'AN')
    .replace(/Y(?=[^AEIOU]|$)/g, 'I');
  const out = phoneticForm(s || word);
  if (soundCache.size > 200_000) soundCache.clear();
  soundCache.set(word, out);
  return out;
}
