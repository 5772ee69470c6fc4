import { useTranslation } from 'react-i18next';
import * as vocabularies from '../../../src/complaints/vocabularies.ts';
import type { Lang } from '../ui/format.ts';

type Labels = { es: string; en: string };
export type ComplaintVocabulary = 'complaintKinds' | 'complaintChannels' | 'placeTypes' | 'authorityTypes' | 'complaintStatuses' | 'notAdmittedReasons' | 'outcomes' | 'transmissionMeans';

/** The label of a complaint vocabulary key in the UI's language (the key itself if unknown). */
export function complaintLabel(list: ComplaintVocabulary, key: string | null | undefined, lang: Lang): string {
  if (!key) return '';
  return (vocabularies[list] as Record<string, Labels>)[key]?.[lang] ?? key;
}

export function complaintOptions(list: ComplaintVocabulary, lang: Lang): [string, string][] {
  return Object.entries(vocabularies[list] as Record<string, Labels>).map(([key, labels]) => [key, labels[lang]]);
}

export const stateName = (code: string | null) => (code ? (vocabularies.mexicanStates[code] ?? code) : '');

/** Allowed status changes: the service's own table (src/complaints/vocabularies.ts). */
export const complaintTransitions: Record<string, readonly string[]> = vocabularies.transitions;

const statusBadgeClass: Record<string, string> = {
  new: 'badge--open',
  under_review: 'badge--in_progress',
  more_information_requested: 'badge--ref-pending',
  admitted: 'badge--in_progress',
  not_admitted: 'badge--closed',
  transmitted: 'badge--open',
  resolved: 'badge--ref-accepted',
  closed: 'badge--closed',
};

export function ComplaintStatusBadge({ status }: { status: string }) {
  const { i18n } = useTranslation(['complaints']);
  const lang: Lang = i18n.language === 'en' ? 'en' : 'es';
  return <span className={`badge ${statusBadgeClass[status] ?? 'badge--neutral'}`}>{complaintLabel('complaintStatuses', status, lang)}</span>;
}

export function OverdueBadge() {
  const { t } = useTranslation(['complaints']);
  return <span className="badge badge--ref-declined">{t('complaints:complaints.overdueFlag')}</span>;
}
