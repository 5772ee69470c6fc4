import type { FoundView as ServerFoundView, ReportView as ServerReportView } from '../../../src/missing/missing.schema.ts';
import type { ReportPhoto } from './ReportPhotos.tsx';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { countryName, formatDate, label, languageName, mxStates, personName as fullName } from '../ui/format.ts';

/** What the missing-person screens share: a record's status, the person described as rows, and the record shapes. */

export const stateName = (code: string | null | undefined) => mxStates.find(([c]) => c === code)?.[1] ?? code ?? '';

export function MissingStatus({ status }: { status: string }) {
  const { t } = useTranslation(['missing']);
  return <span className={`badge badge--missing-${status}`}>{t(`missing:status.${status}`, { defaultValue: status })}</span>;
}

export type Event = { kind: string; detail: Record<string, unknown>; at: string };
/** The server's record shapes (src/missing/missing.schema.ts) as they arrive over JSON: dates as strings. */
type OverJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };
export type ReportView = OverJson<ServerReportView> & {
  events?: Event[];
  messages?: { id: string; author: 'officer' | 'family'; body: string; at: string }[];
  photos?: ReportPhoto[];
};
export type FoundView = OverJson<ServerFoundView> & { events?: Event[] };
type DescribedView = ReportView | FoundView;

const range = (a: number | null, b: number | null, unit = '') => (a == null && b == null ? null : a === b || b == null ? `${a}${unit}` : a == null ? `${b}${unit}` : `${a}–${b}${unit}`);

/** Rows of the person described, for a record page or one column of the comparison. */
export function describedRows(r: DescribedView, t: (k: string) => string, lang: 'es' | 'en'): [string, ReactNode][] {
  return [
    [t('missing:field.givenNames'), fullName(r) || t('missing:list.noName')],
    [t('missing:field.otherNames'), r.other_names.join(', ') || null],
    [t('missing:field.sex'), label('sexes', r.sex, lang)],
    [t('missing:field.dateOfBirth'), r.date_of_birth ? formatDate(r.date_of_birth, lang) : null],
    [t('missing:field.age'), range(r.age_min, r.age_max)],
    [t('missing:field.nationality'), r.nationalities.map((c) => countryName(c, lang)).join(', ') || null],
    [t('missing:field.languages'), r.languages.map((c) => languageName(c, lang)).join(', ') || null],
    [t('missing:field.height'), range(r.height_min_cm, r.height_max_cm, ' cm')],
    [t('missing:field.build'), r.build],
    [t('missing:field.hair'), r.hair],
    [t('missing:field.eyes'), r.eyes],
    [t('missing:field.marks'), r.marks],
    [t('missing:field.clothing'), r.clothing],
  ];
}

export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const { t } = useTranslation(['missing']);
  return (
    <dl className="details details--inline">
      {rows.map(([k, value]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{value ?? <span className="muted">{t('common.noneRecorded')}</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
