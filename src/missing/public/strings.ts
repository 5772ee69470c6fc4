import { areaStrings, type AreaStrings, type PublicLanguage } from '../../public/i18n.ts';

/**
 * The families' public pages' texts (/familias/busqueda): `missing` (and `common`) in
 * src/public/locales/<lang>.json. Controlled lists (sex, relationship, languages, statuses) are part
 * of it so that a translation covers them too; country names come from `countryName`.
 */
export type Strings = AreaStrings<'missing'>;

export const stringsFor = (language: PublicLanguage): Strings => areaStrings('missing', language);

export { fill } from '../../public/i18n.ts';
