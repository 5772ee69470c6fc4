import { useTranslation } from 'react-i18next';
import { Link, paths } from '../app/router.tsx';
import { formatNumber } from '../ui/format.ts';
import { Empty, useLang } from '../ui/index.tsx';
import { childLabel } from './labels.ts';
import type { ChildFile } from './types.ts';

export const percent = (p: number, lang: 'es' | 'en') => `${formatNumber(Math.round(p * 1000) / 10, lang)} %`;

/**
 * Family tracing in the child's file: while neither her consent nor an approved determination allows
 * tracing, the section says so and shows nothing else (the server proposes and answers nothing for her).
 */
export function TracingSection({ file }: { file: ChildFile }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  return (
    <section className="section card" aria-labelledby="tracing-title">
      <h2 id="tracing-title">{t('children:tracing.title')}</h2>
      {!file.tracing.traceable ? (
        <p className="hint">{t('children:tracing.noConsent')}</p>
      ) : file.tracing.matches.length === 0 ? (
        <Empty>{t('children:tracing.noMatches')}</Empty>
      ) : (
        <ul className="item-list">
          {file.tracing.matches.map((m) => (
            <li key={m.id}>
              <Link href={paths.tracingMatch(m.id)} className="item-list__title">
                {t('children:tracing.matchWith', { name: m.requester_name, relationship: childLabel('adultRelationships', m.requester_relationship, lang) })}
              </Link>
              <span className="item-list__meta">
                {childLabel('tracingVia', m.via, lang)} · {childLabel('tracingChannels', m.channel, lang)} · {percent(m.probability, lang)} · {childLabel('tracingMatchStatuses', m.status, lang)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
