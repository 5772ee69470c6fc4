import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/queries.ts';
import { formatDate, formatNumber, label } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { Pager, useLang } from '../ui/index.tsx';
import { MissingStatus, stateName } from './parts.tsx';
import { EvidenceTable, type Evidence } from '../ui/Evidence.tsx';

/**
 * The reports a found record is compared with, ranked by likelihood ratio, for a reviewer of the
 * institution that holds it (GET /api/v1/missing/found/{id}/consistent-reports). For remains without a
 * name these are every report that one specific mark and the description fit: many are weak, so they
 * are listed here and only the pairs whose probability reaches the threshold go to the review queue.
 * No names: folio, institution, sex, when and where last seen, and the evidence in words.
 */
type ConsistentReport = {
  rank: number;
  weight: number;
  report: { id: string; folio: string; institution_name: string; sex: string; last_seen_on: string | null; last_seen_state: string | null };
  candidate: { id: string; status: string; probability: number } | null;
  explanation: Evidence[];
};
type Page = { total: number; limit: number; offset: number; items: ConsistentReport[] };

const PAGE = 10;

/** "about 1,000 times" for a log2 weight: how many times more likely the evidence is for one person than for two. */
const timesMoreLikely = (weight: number) => {
  const x = 2 ** weight;
  const digits = Math.max(0, Math.floor(Math.log10(Math.max(1, x))) - 1);
  return Math.round(x / 10 ** digits) * 10 ** digits;
};

export function ConsistentReports({ foundId }: { foundId: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const [offset, setOffset] = useState(0);
  const { data, error } = useApi<Page>(`/api/v1/missing/found/${foundId}/consistent-reports?limit=${PAGE}&offset=${offset}`);
  if (error || !data) return null;
  return (
    <section className="card section" aria-labelledby="consistent-reports">
      <h2 id="consistent-reports">{t('missing:consistent.title')}</h2>
      <p className="muted">{t('missing:consistent.intro')}</p>
      {data.total === 0 ? (
        <p>{t('missing:consistent.none')}</p>
      ) : (
        <>
          <p>{t('missing:consistent.count', { count: data.total, formatted: formatNumber(data.total, lang) })}</p>
          <ol className="consistent-reports" start={data.offset + 1}>
            {data.items.map((item) => {
              const ratio = item.weight >= 0 ? t('missing:consistent.ratioFor', { times: formatNumber(timesMoreLikely(item.weight), lang) }) : t('missing:consistent.ratioAgainst', { times: formatNumber(timesMoreLikely(-item.weight), lang) });
              return (
                <li key={item.report.id}>
                  <details>
                    <summary>
                      <strong>{item.report.folio}</strong> · {item.report.institution_name} · {ratio}
                    </summary>
                    <p>
                      {label('sexes', item.report.sex, lang)}
                      {item.report.last_seen_on && <> · {t('missing:consistent.lastSeen', { date: formatDate(item.report.last_seen_on, lang), state: stateName(item.report.last_seen_state) || '—' })}</>}
                    </p>
                    {item.candidate ? (
                      <p>
                        <Link href={paths.missingCandidate(item.candidate.id)}>{t('missing:consistent.inQueue', { percent: formatNumber(Math.round(item.candidate.probability * 100), lang) })}</Link> <MissingStatus status={item.candidate.status} />
                      </p>
                    ) : (
                      <p className="muted">{t('missing:consistent.notInQueue')}</p>
                    )}
                    <EvidenceTable explanation={item.explanation} caption={t('missing:consistent.evidence', { folio: item.report.folio })} />
                  </details>
                </li>
              );
            })}
          </ol>
          <Pager offset={data.offset} pageSize={PAGE} total={data.total} go={setOffset} />
        </>
      )}
    </section>
  );
}
