import { list } from './labels.ts';

/** Places the statistics name: Mexican states (INEGI codes), countries (ISO 3166-1 alpha-3) and regions of origin. */
type Labels = { es: string; en: string };

/** Mexican states by INEGI code: the platform's one table (src/platform/mx-states.ts). */
export { mexicanStates as mxStates } from '../platform/mx-states.ts';

export const regions = list('regions') satisfies Record<string, Labels>;
export type Region = keyof typeof regions;

/** Countries of origin the platform names; any other valid code is shown as its code, in region "other". */
const countryNames = list('countries');

/** The countries of each region of origin. */
const regionCountries: Record<Region, string[]> = {
  central_america: ['GTM', 'HND', 'SLV', 'NIC', 'CRI', 'PAN', 'BLZ'],
  caribbean: ['CUB', 'HTI', 'DOM', 'JAM', 'PRI', 'TTO', 'BHS'],
  south_america: ['VEN', 'COL', 'ECU', 'PER', 'BRA', 'ARG', 'CHL', 'BOL', 'PRY', 'URY', 'GUY', 'SUR'],
  north_america: ['MEX', 'USA', 'CAN'],
  other: ['ESP', 'CMR', 'NGA', 'SEN', 'UGA', 'GHA', 'ERI', 'COD', 'AGO', 'IND', 'BGD', 'CHN', 'NPL', 'PAK'],
  unknown: ['ZZZ'],
};
const countryRegions = new Map(Object.entries(regionCountries).flatMap(([region, codes]) => codes.map((code) => [code, region as Region])));

/** Countries of origin the platform names; any other valid code is shown as its code, in region "other". */
export const countries: Record<string, Labels & { region: Region }> = Object.fromEntries(Object.entries(countryNames).map(([code, name]) => [code, { ...name, region: countryRegions.get(code) ?? 'other' }]));

/** Region of a nationality code, as the SQL CASE uses it (a nationality missing from the list is "other"). */
export function regionOf(code: string): Region {
  return countries[code]?.region ?? 'other';
}
