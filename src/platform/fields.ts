/** Fields of a validated input, as a row or an answer holds them. */

type Stored<T> = undefined extends T ? Exclude<T, undefined> | null : T;

/**
 * The named fields of `input`, an optional field left out as null (a column's "not stated"), never
 * undefined: Kysely leaves an undefined value out of an insert, and JSON leaves it out of an answer.
 */
export function fieldsOf<T extends object, const K extends keyof T>(input: T, keys: readonly K[]): { [P in K]-?: Stored<T[P]> } {
  return Object.fromEntries(keys.map((key) => [key, input[key] ?? null])) as { [P in K]-?: Stored<T[P]> };
}
