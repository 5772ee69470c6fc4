/**
 * The outreach events' controlled lists, with their labels. The server validates against the keys;
 * the web app and the statistics import this same file for their labels.
 */
type Labels = { es: string; en: string };
const list = <K extends string>(entries: Record<K, Labels>) => entries;

export const eventKinds = list({
  talk: { es: 'Plática', en: 'Talk' },
  workshop: { es: 'Taller', en: 'Workshop' },
  fair: { es: 'Feria', en: 'Fair' },
  campaign: { es: 'Campaña', en: 'Campaign' },
  mobile_consulate: { es: 'Consulado sobre ruedas', en: 'Mobile consulate' },
  information_session: { es: 'Sesión informativa', en: 'Information session' },
  other: { es: 'Otro', en: 'Other' },
});

export const eventTopics = list({
  violence_prevention: { es: 'Prevención de la violencia de género', en: 'Preventing gender-based violence' },
  rights: { es: 'Derechos de las personas migrantes', en: "Migrants' rights" },
  documents: { es: 'Documentos de identidad y registro civil', en: 'Identity documents and civil registration' },
  health: { es: 'Salud', en: 'Health' },
  financial_education: { es: 'Educación financiera y remesas', en: 'Financial education and remittances' },
  trafficking_prevention: { es: 'Prevención de la trata de personas', en: 'Preventing human trafficking' },
  legal_protection: { es: 'Protección y asesoría jurídica', en: 'Protection and legal advice' },
  education_employment: { es: 'Educación y empleo', en: 'Education and employment' },
  other: { es: 'Otro tema', en: 'Other topic' },
});

export const attendanceSexes = list({
  female: { es: 'Mujeres', en: 'Women' },
  male: { es: 'Hombres', en: 'Men' },
  intersex: { es: 'Personas intersexuales', en: 'Intersex people' },
  unknown: { es: 'Sexo no registrado', en: 'Sex not recorded' },
});

/** Age bands of the attendance: the statistics' default bands (src/statistics/dimensions.ts DEFAULT_AGE_BANDS). */
export const attendanceAgeBands = list({
  '0-11': { es: '0 a 11 años', en: '0 to 11 years' },
  '12-17': { es: '12 a 17 años', en: '12 to 17 years' },
  '18-29': { es: '18 a 29 años', en: '18 to 29 years' },
  '30-59': { es: '30 a 59 años', en: '30 to 59 years' },
  '60+': { es: '60 años y más', en: '60 years and over' },
  unknown: { es: 'Edad no registrada', en: 'Age not recorded' },
});
