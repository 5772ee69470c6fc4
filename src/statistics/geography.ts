/** Places the statistics name: Mexican states (INEGI codes), countries (ISO 3166-1 alpha-3) and regions of origin. */
type Labels = { es: string; en: string };

/** Mexican states by INEGI code: the platform's one table (src/platform/mx-states.ts). */
export { mexicanStates as mxStates } from '../platform/mx-states.ts';

export const regions = {
  central_america: { es: 'Centroamérica', en: 'Central America' },
  caribbean: { es: 'El Caribe', en: 'Caribbean' },
  south_america: { es: 'Sudamérica', en: 'South America' },
  north_america: { es: 'Norteamérica', en: 'North America' },
  other: { es: 'Otras regiones', en: 'Other regions' },
  unknown: { es: 'No registrada', en: 'Not recorded' },
} satisfies Record<string, Labels>;
export type Region = keyof typeof regions;

/** Countries of origin the platform names; any other valid code is shown as its code, in region "other". */
export const countries: Record<string, Labels & { region: Region }> = {
  GTM: { es: 'Guatemala', en: 'Guatemala', region: 'central_america' },
  HND: { es: 'Honduras', en: 'Honduras', region: 'central_america' },
  SLV: { es: 'El Salvador', en: 'El Salvador', region: 'central_america' },
  NIC: { es: 'Nicaragua', en: 'Nicaragua', region: 'central_america' },
  CRI: { es: 'Costa Rica', en: 'Costa Rica', region: 'central_america' },
  PAN: { es: 'Panamá', en: 'Panama', region: 'central_america' },
  BLZ: { es: 'Belice', en: 'Belize', region: 'central_america' },
  CUB: { es: 'Cuba', en: 'Cuba', region: 'caribbean' },
  HTI: { es: 'Haití', en: 'Haiti', region: 'caribbean' },
  DOM: { es: 'República Dominicana', en: 'Dominican Republic', region: 'caribbean' },
  JAM: { es: 'Jamaica', en: 'Jamaica', region: 'caribbean' },
  PRI: { es: 'Puerto Rico', en: 'Puerto Rico', region: 'caribbean' },
  TTO: { es: 'Trinidad y Tobago', en: 'Trinidad and Tobago', region: 'caribbean' },
  BHS: { es: 'Bahamas', en: 'Bahamas', region: 'caribbean' },
  VEN: { es: 'Venezuela', en: 'Venezuela', region: 'south_america' },
  COL: { es: 'Colombia', en: 'Colombia', region: 'south_america' },
  ECU: { es: 'Ecuador', en: 'Ecuador', region: 'south_america' },
  PER: { es: 'Perú', en: 'Peru', region: 'south_america' },
  BRA: { es: 'Brasil', en: 'Brazil', region: 'south_america' },
  ARG: { es: 'Argentina', en: 'Argentina', region: 'south_america' },
  CHL: { es: 'Chile', en: 'Chile', region: 'south_america' },
  BOL: { es: 'Bolivia', en: 'Bolivia', region: 'south_america' },
  PRY: { es: 'Paraguay', en: 'Paraguay', region: 'south_america' },
  URY: { es: 'Uruguay', en: 'Uruguay', region: 'south_america' },
  GUY: { es: 'Guyana', en: 'Guyana', region: 'south_america' },
  SUR: { es: 'Surinam', en: 'Suriname', region: 'south_america' },
  MEX: { es: 'México', en: 'Mexico', region: 'north_america' },
  USA: { es: 'Estados Unidos', en: 'United States', region: 'north_america' },
  CAN: { es: 'Canadá', en: 'Canada', region: 'north_america' },
  ESP: { es: 'España', en: 'Spain', region: 'other' },
  CMR: { es: 'Camerún', en: 'Cameroon', region: 'other' },
  NGA: { es: 'Nigeria', en: 'Nigeria', region: 'other' },
  SEN: { es: 'Senegal', en: 'Senegal', region: 'other' },
  UGA: { es: 'Uganda', en: 'Uganda', region: 'other' },
  GHA: { es: 'Ghana', en: 'Ghana', region: 'other' },
  ERI: { es: 'Eritrea', en: 'Eritrea', region: 'other' },
  COD: { es: 'República Democrática del Congo', en: 'Democratic Republic of the Congo', region: 'other' },
  AGO: { es: 'Angola', en: 'Angola', region: 'other' },
  IND: { es: 'India', en: 'India', region: 'other' },
  BGD: { es: 'Bangladés', en: 'Bangladesh', region: 'other' },
  CHN: { es: 'China', en: 'China', region: 'other' },
  NPL: { es: 'Nepal', en: 'Nepal', region: 'other' },
  PAK: { es: 'Pakistán', en: 'Pakistan', region: 'other' },
  ZZZ: { es: 'No registrada', en: 'Not recorded', region: 'unknown' },
};

/** Region of a nationality code, as the SQL CASE uses it (a nationality missing from the list is "other"). */
export function regionOf(code: string): Region {
  return countries[code]?.region ?? 'other';
}
