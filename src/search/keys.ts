import { nameTokens, type NameToken } from './normalize.ts';
import type { MatchQuery, PersonRecord } from './model.ts';

/**
 * Blocking keys. A person gets, from the phonetic skeletons (phonetic.ts) of the canonical forms of
 * their tokens:
 * - `n:<surname>|<given>` for every surname token × every given-name token (and alias token): a query
 *   finds the person from any one surname and any one given name, in any order, with either surname
 *   missing, swapped, misspelt by ear, or the given name abbreviated, nicknamed or half of a compound;
 * - `s:<a>|<b>` for the pair of surname tokens (sorted): finds "J. Hernández López" and queries whose
 *   given name is wrong or a typo;
 * - `g:<a>|<b>` for pairs of given-name tokens, only for people without surnames.
 * Each key is selective on its own (a surname and a given name together), so a query touches a few
 * thousand index entries at most, never the whole table.
 *
 * KEY_VERSION changes whenever this function or the phonetic code changes; a migration must then
 * mark every person pending, as migration 0004 does (or an operator runs rebuildAllNameKeys in store.ts).
 */
export const KEY_VERSION = 1;

const tokenKeys = (t: NameToken) => (t.kind === 'initial' ? [] : t.keys);

function pairKeys(prefix: string, a: string[], b: string[], sorted: boolean, into: Set<string>) {
  for (const x of a) {
    for (const y of b) {
      if (sorted) into.add(`${prefix}:${x < y ? `${x}|${y}` : `${y}|${x}`}`);
      else into.add(`${prefix}:${x}|${y}`);
    }
  }
}

export function personNameKeys(person: Pick<PersonRecord, 'given_names' | 'surname1' | 'surname2' | 'other_names'>): string[] {
  const given = [...nameTokens(person.given_names, 'given'), ...(person.other_names ?? []).flatMap((n) => nameTokens(n, 'given'))];
  const surnames = [...nameTokens(person.surname1, 'surname'), ...nameTokens(person.surname2, 'surname')];
  const keys = new Set<string>();
  const givenKeys = given.flatMap(tokenKeys);
  for (const s of surnames) pairKeys('n', tokenKeys(s), givenKeys, false, keys);
  for (let i = 0; i < surnames.length; i++) for (let j = i + 1; j < surnames.length; j++) pairKeys('s', tokenKeys(surnames[i]!), tokenKeys(surnames[j]!), true, keys);
  if (surnames.length === 0) for (let i = 0; i < given.length; i++) for (let j = i + 1; j < given.length; j++) pairKeys('g', tokenKeys(given[i]!), tokenKeys(given[j]!), true, keys);
  return [...keys];
}

/**
 * The keys a query probes. A free-text query does not say which token is a surname, so every ordered
 * pair of tokens is tried as (surname, given name), and every unordered pair as a surname pair: at most
 * 6 tokens → 30 + 15 keys, each an index probe.
 */
export function queryNameKeys(query: MatchQuery): string[] {
  const keys = new Set<string>();
  if (query.text && query.text.trim()) {
    const tokens = nameTokens(query.text).slice(0, 6);
    for (let i = 0; i < tokens.length; i++) {
      for (let j = 0; j < tokens.length; j++) {
        if (i === j) continue;
        pairKeys('n', tokenKeys(tokens[i]!), tokenKeys(tokens[j]!), false, keys);
        if (i < j) {
          pairKeys('s', tokenKeys(tokens[i]!), tokenKeys(tokens[j]!), true, keys);
          pairKeys('g', tokenKeys(tokens[i]!), tokenKeys(tokens[j]!), true, keys);
        }
      }
    }
    return [...keys];
  }
  const given = nameTokens(query.given_names, 'given');
  const surnames = [...nameTokens(query.surname1, 'surname'), ...nameTokens(query.surname2, 'surname')];
  const givenKeys = given.flatMap(tokenKeys);
  for (const s of surnames) pairKeys('n', tokenKeys(s), givenKeys, false, keys);
  for (let i = 0; i < surnames.length; i++) for (let j = i + 1; j < surnames.length; j++) pairKeys('s', tokenKeys(surnames[i]!), tokenKeys(surnames[j]!), true, keys);
  for (let i = 0; i < given.length; i++) for (let j = i + 1; j < given.length; j++) pairKeys('g', tokenKeys(given[i]!), tokenKeys(given[j]!), true, keys);
  return [...keys];
}
