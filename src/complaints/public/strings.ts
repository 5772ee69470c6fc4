import { areaStrings, type AreaStrings, type PublicLanguage } from '../../public/i18n.ts';

/**
 * The public complaint pages' texts: `complaints` (and `common`) in src/public/locales/<lang>.json,
 * with the labels of the controlled lists (kinds, places, authorities, statuses) and the acuse's words.
 */
export type Strings = AreaStrings<'complaints'>;

export const stringsFor = (language: PublicLanguage): Strings => areaStrings('complaints', language);

export { fill } from '../../public/i18n.ts';
