import type { z } from 'zod';
import { newReportBody } from '../missing.schema.ts';
import { fill, type Strings } from './strings.ts';

/**
 * The report form of the public page ↔ the API's `newReportBody`: plain form fields (what a phone
 * without JavaScript sends) become the JSON shape the service validates, and zod's issues become a
 * message next to the field they concern. The schema stays the single source of the rules.
 */
export type FormValues = Record<string, string | string[]>;
export type FormErrors = { general: string[]; fields: Record<string, string> };
export const noErrors = (): FormErrors => ({ general: [], fields: {} });

export const REPORT_FIELDS = new Set([
  'given_names', 'surname1', 'surname2', 'other_names', 'sex', 'date_of_birth', 'age_min', 'age_max', 'nationality', 'nationality2', 'languages',
  'height_min_cm', 'height_max_cm', 'build', 'hair', 'eyes', 'marks', 'clothing',
  'last_seen_on', 'last_seen_country', 'last_seen_state', 'last_seen_place', 'route', 'circumstance',
  'reporter_name', 'reporter_relationship', 'reporter_phone', 'reporter_email', 'reporter_country', 'dna_reference_taken', 'dna_custodian',
]);

/** A field's single value (the first, if the browser sent several). */
export const one = (values: FormValues, name: string): string => {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
export const many = (values: FormValues, name: string): string[] => {
  const v = values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

const blank = (value: string) => (value.trim() === '' ? undefined : value.trim());

const NAME_FIELDS = new Set(['given_names', 'surname1', 'surname2', 'other_names']);
const DATE_FIELDS = new Set(['date_of_birth', 'last_seen_on']);
const CHOICE_FIELDS = new Set(['sex', 'nationality', 'nationality2', 'languages', 'last_seen_country', 'last_seen_state', 'reporter_relationship', 'reporter_country']);
const AGE_FIELDS = new Set(['age_min', 'age_max']);
const HEIGHT_FIELDS = new Set(['height_min_cm', 'height_max_cm']);

/** The form field a zod issue path points at. */
export function fieldOf(path: readonly PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === 'reporter') return second === 'contact' ? `reporter_${third === 'email' ? 'email' : 'phone'}` : `reporter_${second}`;
  if (first === 'nationalities') return second === '1' ? 'nationality2' : 'nationality';
  return first ?? '';
}

const CUSTOM: Record<string, keyof Strings> = {
  'a report needs at least one name of the missing person': 'errNeedName',
  range_inverted: 'errRange',
  'give either a date of birth or an age range': 'errAgeOrBirth',
  'say who keeps the reference sample': 'errDnaCustodian',
  'last seen before being born': 'errSeenBeforeBirth',
  date_in_future: 'errDate',
  date_too_old: 'errDate',
};

export function describeIssue(t: Strings, field: string, issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return String(t[CUSTOM[issue.message] ?? 'errInvalid']);
  if (AGE_FIELDS.has(field)) return t.errAge;
  if (HEIGHT_FIELDS.has(field)) return t.errHeight;
  if (CHOICE_FIELDS.has(field) && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_format')) return t.errChoose;
  if (issue.code === 'too_big') return issue.origin === 'string' ? fill(t.errTooLong, { max: Number(issue.maximum) }) : t.errInvalid;
  if (issue.code === 'too_small' || issue.code === 'invalid_type') return t.errRequired;
  if (DATE_FIELDS.has(field)) return t.errDate;
  if (field === 'reporter_email') return t.errEmail;
  if (field === 'reporter_phone') return t.errPhone;
  if (NAME_FIELDS.has(field)) return t.errName;
  if (issue.code === 'invalid_format') return t.errControl;
  return t.errInvalid;
}

/**
 * Reads the posted form into the report the API takes (channel `public_web`), and validates it.
 * Numbers that are not whole numbers and a reporter with no way to be reached are refused here; all
 * other rules are the schema's.
 */
export function readReportForm(t: Strings, values: FormValues): { input?: z.infer<typeof newReportBody>; errors: FormErrors } {
  const errors = noErrors();
  for (const name of Object.keys(values)) if (!REPORT_FIELDS.has(name)) errors.general.push(fill(t.errUnknownField, { field: name.slice(0, 40) }));

  const text = (name: string) => blank(one(values, name));
  const whole = (name: string): number | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    if (!/^\d{1,3}$/.test(raw)) {
      errors.fields[name] = t.errNumber;
      return undefined;
    }
    return Number(raw);
  };
  // A single number in one of the two fields of a range stands for both.
  const range = (low: string, high: string) => {
    const a = whole(low);
    const b = whole(high);
    return [a ?? b, b ?? a] as const;
  };
  const [ageMin, ageMax] = range('age_min', 'age_max');
  const [heightMin, heightMax] = range('height_min_cm', 'height_max_cm');
  const phone = text('reporter_phone');
  const email = text('reporter_email');
  if (!phone && !email) errors.fields.reporter_phone = t.errContact;

  const body = {
    channel: 'public_web' as const,
    given_names: text('given_names'),
    surname1: text('surname1'),
    surname2: text('surname2'),
    other_names: one(values, 'other_names').split(/[,;]/).map((s) => s.trim()).filter(Boolean),
    sex: text('sex'),
    date_of_birth: text('date_of_birth'),
    age_min: ageMin,
    age_max: ageMax,
    nationalities: [text('nationality'), text('nationality2')].filter((c, i, all): c is string => !!c && all.indexOf(c) === i),
    languages: [...new Set(many(values, 'languages').map((l) => l.trim()).filter(Boolean))],
    height_min_cm: heightMin,
    height_max_cm: heightMax,
    build: text('build'),
    hair: text('hair'),
    eyes: text('eyes'),
    marks: text('marks'),
    clothing: text('clothing'),
    last_seen_on: text('last_seen_on'),
    last_seen_country: text('last_seen_country'),
    last_seen_state: text('last_seen_state'),
    last_seen_place: text('last_seen_place'),
    route: text('route'),
    circumstance: text('circumstance'),
    reporter: {
      name: one(values, 'reporter_name').trim(),
      relationship: text('reporter_relationship'),
      contact: phone || email ? { ...(phone ? { phone } : {}), ...(email ? { email } : {}) } : undefined,
      country: text('reporter_country'),
    },
    dna_reference_taken: one(values, 'dna_reference_taken') === 'yes',
    dna_custodian: text('dna_custodian'),
  };
  const parsed = newReportBody.safeParse(body);
  if (!parsed.success) {
    for (const issue of allIssues(body, parsed.error.issues)) {
      const field = fieldOf(issue.path);
      errors.fields[field] ??= describeIssue(t, field, issue);
    }
  }
  // The summary lists the problems in the order of the form.
  const order = [...REPORT_FIELDS];
  errors.fields = Object.fromEntries(Object.entries(errors.fields).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
  if (!parsed.success || errors.general.length || Object.keys(errors.fields).length) return { errors };
  return { input: parsed.data, errors };
}

/** Stand-ins for required fields, used only to let the schema's cross-field checks run (below). */
const PLACEHOLDERS: Record<string, unknown> = { sex: 'unknown', 'reporter.name': '-', 'reporter.relationship': 'other' };

/**
 * zod runs a schema's cross-field checks (at least one name, ranges, the DNA sample's keeper) only
 * once every field is valid on its own, so a family would learn of them only on a second round over a
 * slow connection. Here the fields already found wrong are set aside (or replaced by a stand-in) and
 * the schema asked again, up to twice, so that every problem is shown at once.
 */
function allIssues(body: Record<string, unknown>, first: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const issues = [...first];
  let candidate = structuredClone(body);
  let latest = first;
  for (let round = 0; round < 2 && latest.some((i) => i.code !== 'custom'); round++) {
    for (const issue of latest) if (issue.code !== 'custom') candidate = setAside(candidate, issue.path);
    const again = newReportBody.safeParse(candidate);
    if (again.success) break;
    latest = again.error.issues;
    issues.push(...latest.filter((i) => i.code === 'custom'));
  }
  return issues;
}

function setAside(value: Record<string, unknown>, path: readonly PropertyKey[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  const [head, ...rest] = path;
  if (head === undefined) return copy;
  const key = String(head);
  const child = copy[key];
  if (rest.length && Array.isArray(child)) copy[key] = child.filter((_, i) => i !== Number(rest[0]));
  else if (rest.length && child && typeof child === 'object') {
    const inner = setAside(child as Record<string, unknown>, rest);
    const placeholder = PLACEHOLDERS[`${key}.${String(rest[0])}`];
    copy[key] = placeholder === undefined ? inner : { ...inner, [String(rest[0])]: placeholder };
  } else if (PLACEHOLDERS[key] !== undefined) copy[key] = PLACEHOLDERS[key];
  else delete copy[key];
  return copy;
}
