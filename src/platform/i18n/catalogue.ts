/**
 * The server's catalogues of words. Every module keeps its human strings in `locales/<lang>.json`
 * beside its code (as the web app's features and the public pages do): i18next-style JSON, `{{name}}`
 * placeholders, Spanish the reference, and a `meta` object saying whether a native speaker reviewed
 * the file. The files are imported as JSON modules, so they are read once, when the module loads, and
 * a path to a text that Spanish lacks is a type error; `catalogues.test.ts` checks that every language
 * has the same keys and placeholders.
 */

/** Dotted paths to the strings of a catalogue ("indicators.people_attended.label"). */
export type TextPath<T> = { [K in keyof T & string]: T[K] extends string ? K : T[K] extends object ? `${K}.${TextPath<T[K]>}` : never }[keyof T & string];

/** Dotted paths to the groups of strings of a catalogue ("programmes", "dimensions.sex"). */
export type GroupPath<T> = { [K in keyof T & string]: T[K] extends string ? never : T[K] extends object ? K | `${K}.${GroupPath<T[K]>}` : never }[keyof T & string];

/** What a path leads to. */
type At<T, P extends string> = P extends `${infer H}.${infer R}` ? (H extends keyof T ? At<T[H], R> : never) : P extends keyof T ? T[P] : never;

/** A text's value in every language of its catalogue. */
export type Texts<L extends string> = Record<L, string>;

export function catalogue<L extends string, T extends object>(locales: Record<L, T>) {
  const languages = Object.keys(locales) as L[];
  const at = (lang: L, path: string): string => {
    const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], locales[lang]);
    // A file edited by hand may lose a key the types saw in Spanish: say which, at start.
    if (typeof value !== 'string') throw new Error(`locales/${lang}.json: no text at "${path}"`);
    return value;
  };
  const text = (path: TextPath<T>): Texts<L> => Object.fromEntries(languages.map((lang) => [lang, at(lang, path)])) as Texts<L>;
  /** A controlled list: every key of one group with its label in each language (`{ key: { es, en } }`). */
  const list = <P extends GroupPath<T>>(group: P): { [K in keyof At<T, P>]: Texts<L> } => {
    const entries = group.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], locales[languages[0]!]) as Record<string, unknown>;
    return Object.fromEntries(Object.keys(entries).map((key) => [key, text(`${group}.${key}` as TextPath<T>)])) as { [K in keyof At<T, P>]: Texts<L> };
  };
  return { text, list };
}

/** A catalogue string with its `{{name}}` placeholders filled (the placeholders of i18next's JSON). */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}
