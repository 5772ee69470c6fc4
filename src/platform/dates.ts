/**
 * Calendar dates as the people using Amparo see them. A case opened at 19:00 in Tapachula is opened
 * "today" there, while UTC is already tomorrow; defaults use the deployment's time zone.
 */
import { processConfig } from './config.ts';

/** The deployment's time zone (`AMPARO_TIME_ZONE`). */
export const timeZone = (): string => processConfig().timeZone;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of the instant in the deployment's time zone. */
export function localDate(at: Date = new Date(), zone: string = timeZone()): string {
  let formatter = dayFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(zone, formatter);
  }
  return formatter.format(at);
}

const documentLocale = (language: 'es' | 'en') => (language === 'es' ? 'es-MX' : 'en-GB');

/** "5 de diciembre de 2026": the calendar day of an instant in words, in the deployment's time zone. */
export function localDateWords(at: Date, language: 'es' | 'en', zone: string = timeZone()): string {
  return new Intl.DateTimeFormat(documentLocale(language), { timeZone: zone, dateStyle: 'long' }).format(at);
}

/** "5 de diciembre de 2026, 17:18 (hora estándar central)": an instant for people, naming the zone. */
export function localDateTimeWords(at: Date, language: 'es' | 'en', zone: string = timeZone()): string {
  const locale = documentLocale(language);
  const wall = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'long', timeStyle: 'short' }).format(at);
  const zoneName = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? zone;
  return `${wall} (${zoneName})`;
}

/** Date and time of an instant for a document, in the deployment's time zone, naming the zone; then the UTC instant. */
export function localDateTime(at: Date, language: 'es' | 'en', zone: string = timeZone()): string {
  const locale = language === 'es' ? 'es-MX' : 'en-US';
  const wall = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'long', timeStyle: 'medium' }).format(at);
  const zoneName = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? zone;
  return `${wall} (${zoneName}) · ${at.toISOString()}`;
}

/**
 * The latest calendar date anywhere on Earth (UTC+14): "not in the future" checks use it, so that
 * nobody is refused a date that is already today where they are.
 */
export function latestDateOnEarth(at: Date = new Date()): string {
  return new Date(at.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The Intl locale for a page's language. Intl has no Haitian Creole data (dates and country names
 * would come out in English): those use French as written in Haiti, which Haitians read at school.
 */
export const intlLocale = (language: string): string => (language === 'es' ? 'es-MX' : language === 'ht' ? 'fr-HT' : language);

/**
 * An instant as a person reads it on a public page or a receipt: in the deployment's time zone, the
 * month in words and the zone named, in the page's language ("6 de diciembre de 2026, 14:35 hora
 * estándar central"). Any language Intl knows; others fall back to Spanish.
 */
export function dateTimeInWords(at: Date, language: string, zone: string = timeZone()): string {
  const options: Intl.DateTimeFormatOptions = { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'long' };
  const locale = intlLocale(language);
  try {
    return new Intl.DateTimeFormat(locale, options).format(at);
  } catch {
    return new Intl.DateTimeFormat('es-MX', options).format(at);
  }
}

/** A calendar date (YYYY-MM-DD) with the month in words, in the page's language ("6 de diciembre de 2026"). */
export function dateInWords(date: string, language: string): string {
  const at = new Date(`${date.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' };
  try {
    return new Intl.DateTimeFormat(intlLocale(language), options).format(at);
  } catch {
    return new Intl.DateTimeFormat('es-MX', options).format(at);
  }
}

/** Age in whole years on a day, from a date of birth or an estimate made on another day. */
export function ageOn(person: { date_of_birth?: string | null; estimated_age?: number | null; age_estimated_on?: string | null }, on: string): { age: number | null; estimate: boolean } {
  const years = (from: string) => {
    const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
    const [ty, tm, td] = on.split('-').map(Number) as [number, number, number];
    return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
  };
  if (person.date_of_birth) return { age: years(person.date_of_birth), estimate: false };
  if (person.estimated_age != null && person.age_estimated_on) return { age: person.estimated_age + years(person.age_estimated_on), estimate: true };
  return { age: null, estimate: false };
}

/** The calendar date `days` after `date` (negative: before), both YYYY-MM-DD. */
export function isoDaysAfter(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
