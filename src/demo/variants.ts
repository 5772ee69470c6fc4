import type { Random } from '../platform/random.ts';

/**
 * How the same name comes out when another office writes it down: without accents, with a typo, a
 * letter heard differently, an abbreviated or shortened given name, in capitals. The demo uses these
 * for people recorded again in another institution, which is what the duplicate detection and the
 * cross-institution search have to see through.
 */

const foldAccents = (value: string) => value.normalize('NFD').replace(/[\u0300-\u0302\u0304-\u036f]/g, '').normalize('NFC');

// Letters that sound alike in Latin American Spanish, and the spellings clerks swap them for.
const HEARD: [RegExp, string][] = [
  [/z/, 's'],
  [/s(?=[aeiou])/, 'z'],
  [/v/, 'b'],
  [/b/, 'v'],
  [/ll/, 'y'],
  [/y(?=[aeiou])/, 'll'],
  [/ce/, 'se'],
  [/ci/, 'si'],
  [/^H(?=[aeiou])/, ''],
  [/gu(?=[ei])/, 'g'],
  [/x/, 'j'],
];

/** One slip of the keyboard: a doubled, dropped or swapped letter inside the word. */
export function typo(random: Random, word: string): string {
  if (word.length < 5) return word;
  const i = random.int(1, word.length - 3);
  const kind = random.int(0, 2);
  if (kind === 0) return word.slice(0, i) + word[i] + word.slice(i);
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

/** The word as it was heard and spelt: one sound written with another letter. */
export function heard(random: Random, word: string): string {
  const options = HEARD.filter(([pattern]) => pattern.test(word));
  if (!options.length) return foldAccents(word);
  const [pattern, replacement] = random.pick(options);
  const out = word.replace(pattern, replacement);
  return out.charAt(0).toUpperCase() + out.slice(1);
}

/** One of a compound given name, or the usual abbreviation of María and José. */
function shortenGiven(random: Random, given: string): string {
  if (/^María /.test(given) && random.chance(0.5)) return given.replace(/^María /, 'Ma. ');
  if (/^José /.test(given) && random.chance(0.5)) return given.replace(/^José /, 'J. ');
  const words = given.split(' ').filter((w) => !/^(de|del|la|las|los|y)$/.test(w));
  return words.length > 1 ? words[random.chance(0.7) ? 0 : 1]! : given;
}

export type WrittenName = { given_names: string; surname1: string | null; surname2: string | null };

/** The name as another office writes it: at least one difference, most often a small one. */
export function writtenElsewhere(random: Random, name: WrittenName): WrittenName {
  const out = { ...name };
  const change = random.weighted({ accents: 30, typo: 20, heard: 20, shorter: 15, noSecondSurname: 10, capitals: 5 });
  const onSurname = random.chance(0.6) && out.surname1 !== null;
  const alter = (f: (word: string) => string) => {
    if (onSurname) out.surname1 = out.surname1!.split(' ').map((w, i) => (i === 0 ? f(w) : w)).join(' ');
    else out.given_names = out.given_names.split(' ').map((w, i) => (i === 0 ? f(w) : w)).join(' ');
  };
  if (change === 'accents') {
    out.given_names = foldAccents(out.given_names);
    out.surname1 = out.surname1 && foldAccents(out.surname1);
    out.surname2 = out.surname2 && foldAccents(out.surname2);
  } else if (change === 'typo') alter((w) => typo(random, w));
  else if (change === 'heard') alter((w) => heard(random, w));
  else if (change === 'shorter') out.given_names = shortenGiven(random, out.given_names);
  else if (change === 'noSecondSurname') out.surname2 = null;
  else {
    const upper = (s: string | null) => s && foldAccents(s).toUpperCase();
    return { given_names: upper(out.given_names)!, surname1: upper(out.surname1), surname2: upper(out.surname2) };
  }
  return out;
}
