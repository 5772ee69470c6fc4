/**
 * Calendar dates as the people using Amparo see them. A case opened at 19:00 in Tapachula is opened
 * "today" there, while UTC is already tomorrow; defaults use the deployment's time zone.
 */
const TIME_ZONE = process.env.AMPARO_TIME_ZONE ?? 'America/Mexico_City';

const formatter = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of the instant in the deployment's time zone. */
export function localDate(at: Date = new Date()): string {
  return formatter.format(at);
}

/**
 * The latest calendar date anywhere on Earth (UTC+14): "not in the future" checks use it, so that
 * nobody is refused a date that is already today where they are.
 */
export function latestDateOnEarth(at: Date = new Date()): string {
  return new Date(at.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}
