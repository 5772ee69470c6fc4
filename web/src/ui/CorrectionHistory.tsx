import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from './format.ts';
import { useLang } from './index.tsx';

/**
 * A record's history of corrections (a person, a rescue or transfer, a programme point), newest first
 * and its recording last: who, when (local time), why, and each field before and after. The server
 * keeps these with src/platform/corrections.ts; each screen names its fields and says their values
 * in words.
 */
export type Correction = {
  at: string;
  by: { display_name: string } | null;
  reason: string | null;
  changes: { field: string; from?: unknown; to?: unknown; withheld?: boolean }[];
};

export function CorrectionHistory({
  corrections,
  recorded,
  fieldLabel,
  inWords,
}: {
  corrections: Correction[];
  /** The last line: who recorded it and when, in the words of the record ("Registrada el…"). */
  recorded: ReactNode;
  fieldLabel: (field: string) => string;
  /** A stored value in words; never called for an empty one. */
  inWords: (field: string, value: unknown) => string;
}) {
  const { t } = useTranslation(['ui']);
  const lang = useLang();
  const words = (field: string, value: unknown) => (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0) ? t('ui:history.empty') : inWords(field, value));
  return (
    <ol className="correction-history">
      {[...corrections].reverse().map((c, i) => (
        <li key={`${c.at}-${i}`}>
          <p className="correction-history__when">{t('ui:history.corrected', { when: formatDateTime(c.at, lang), who: c.by?.display_name ?? t('ui:history.someone') })}</p>
          <p>{c.reason ? t('ui:history.reason', { reason: c.reason }) : <span className="muted">{t('ui:history.noReason')}</span>}</p>
          <ul>
            {c.changes.map((change) => (
              <li key={change.field}>
                {change.withheld
                  ? t('ui:history.withheld', { field: fieldLabel(change.field) })
                  : t('ui:history.change', { field: fieldLabel(change.field), from: words(change.field, change.from), to: words(change.field, change.to) })}
              </li>
            ))}
          </ul>
        </li>
      ))}
      <li>
        <p className="correction-history__when">{recorded}</p>
      </li>
    </ol>
  );
}
