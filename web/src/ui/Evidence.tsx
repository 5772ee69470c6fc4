import { useTranslation } from 'react-i18next';
import { formatDate } from './format.ts';
import { useLang } from './index.tsx';

/**
 * Why the system proposes a pair (a missing person and a found one, a child and the family asking for
 * her), in words: each piece of evidence as a phrase ("misma fecha de
 * nacimiento", "mismo primer apellido, un apellido poco común") with a bar of three steps for how much
 * it counts, for or against, and the same in text beside it. The weights behind it stay on the server
 * (src/missing/evidence.ts `inWords`); the phrases are the `evidence` strings of web/src/ui/locales.
 */
export type Evidence = { field: string; level: string; detail?: string; phrase: string; direction: 'for' | 'against' | 'neutral'; strength: number };

const STEPS = [1, 2, 3];

export function EvidenceTable({ explanation, caption }: { explanation: Evidence[]; caption: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  // Dates in a detail ("2026-03-01 → 2026-05-20") read as the rest of the screen's dates.
  const detail = (text: string) => text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (date) => formatDate(date, lang));
  const phrase = (e: Evidence) =>
    t(`evidence.phrase.${e.phrase}`, {
      defaultValue: `${t(`evidence.field.${e.field}`, { defaultValue: e.field })}: ${t(`evidence.level.${e.level}`, { defaultValue: e.level })}`,
    });
  return (
    // Focusable, so that a table wider than a phone can be scrolled with the keyboard.
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="table explanation">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('evidence.title')}</th>
            <th scope="col">{t('evidence.strength')}</th>
          </tr>
        </thead>
        <tbody>
          {explanation.map((e, i) => (
            <tr key={`${e.field}-${i}`}>
              <th scope="row">
                {phrase(e)}
                {e.detail && <span className="muted"> ({detail(e.detail)})</span>}
              </th>
              <td>
                <span className={`strength strength--${e.direction}`} aria-hidden="true">
                  {STEPS.map((step) => (
                    <span key={step} className={`strength__step${step <= e.strength ? ' strength__step--on' : ''}`} />
                  ))}
                </span>{' '}
                <span className="strength__text">{t(`evidence.strengthText.${e.direction === 'neutral' ? 'neutral' : `${e.direction}${e.strength}`}`)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
