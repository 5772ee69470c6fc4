import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatDateTime, formatNumber } from '../ui/format.ts';
import { Link, navigate, paths, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, FormError, LoadError, Loading, PageTitle, Pager, SelectField, TextArea, useAnnounce, useLang } from '../ui/index.tsx';
import { Facts, MissingStatus, describedRows, stateName, type FoundView, type ReportView } from './parts.tsx';
import { EvidenceTable, type Evidence } from '../ui/Evidence.tsx';
import { DataTable } from '../ui/DataTable.tsx';

/** The review queue of proposed pairs and the side-by-side comparison with its explanation. */

type CandidateSummary = {
  id: string;
  status: string;
  probability: number;
  weight: number;
  times_proposed: number;
  proposed_at: string;
  reviewed_at: string | null;
  report: { id: string; folio: string; name: string; institution_id: string };
  found: { id: string; folio: string; name: string; condition: string; institution_id: string };
};
type CandidateView = CandidateSummary & { explanation: Evidence[]; report_record: ReportView; found_record: FoundView; review_note: string | null };

const PAGE_SIZE = 25;
const percent = (p: number, lang: 'es' | 'en') => `${formatNumber(Math.round(p * 1000) / 10, lang)} %`;

export function MissingReviewQueue() {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const { query } = useLocation();
  const status = query.get('status') ?? 'proposed';
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const { data, error, isFetching: loading, refetch } = useApi<{ items: CandidateSummary[]; total: number }>('/api/v1/missing/candidates', { status, limit: PAGE_SIZE, offset });
  return (
    <>
      <PageTitle lead={t('missing:review.lead')}>{t('missing:review.title')}</PageTitle>
      <form className="filters card" onSubmit={(e) => e.preventDefault()} aria-label={t('missing:review.statusFilter')}>
        <SelectField
          id="candidate-status"
          label={t('missing:review.statusFilter')}
          value={status}
          onChange={(v) => navigate(withQuery(paths.missingReview, { status: v === 'proposed' ? undefined : v }))}
          options={(['proposed', 'confirmed', 'rejected', 'superseded'] as const).map((s) => [s, t(`missing:status.${s}`)])}
        />
      </form>
      {loading && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data &&
        (data.items.length === 0 ? (
          <Empty>{t('missing:review.none')}</Empty>
        ) : (
          <DataTable
            caption={t('missing:review.title')}
            rows={data.items}
            rowKey={(c) => c.id}
            columns={[
              { header: t('missing:review.probability'), rowHeader: true, cell: (c) => percent(c.probability, lang) },
              { header: t('missing:review.report'), cell: (c) => `${c.report.folio} · ${c.report.name}` },
              {
                header: t('missing:review.found'),
                cell: (c) => (
                  <>
                    {c.found.folio} · {c.found.name || <span className="muted">{t('missing:list.noName')}</span>} ({t(`missing:condition.${c.found.condition}`)})
                  </>
                ),
              },
              { header: t('missing:field.status'), cell: (c) => <MissingStatus status={c.status} /> },
              {
                header: t('missing:review.open'),
                hideHeader: true,
                label: false,
                cell: (c) => (
                  <Link href={paths.missingCandidate(c.id)} aria-label={`${t('missing:review.open')}: ${c.report.folio} · ${c.found.folio}`}>
                    {t('missing:review.open')}
                  </Link>
                ),
              },
            ]}
          />
        ))}
      {data && <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={(next) => navigate(withQuery(paths.missingReview, { status: status === 'proposed' ? undefined : status, offset: next ? String(next) : undefined }))} />}
    </>
  );
}

export function MissingCandidatePage({ id }: { id: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const announce = useAnnounce();
  const { data, error, isPending, refetch } = useApi<CandidateView>(`/api/v1/missing/candidates/${id}`);
  const [note, setNote] = useState('');
  const [asking, setAsking] = useState<'confirm' | 'reject' | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (asking) dialogRef.current?.focus();
  }, [asking]);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  if (isPending) return <Loading />;
  if (error || !data) return <LoadError error={error} retry={() => void refetch()} />;

  const decide = async (decision: 'confirm' | 'reject') => {
    setBusy(true);
    setFailure(null);
    try {
      const res = await api.post<{ status: string; report_status?: string }>(`/api/v1/missing/candidates/${id}/review`, { decision, ...(note.trim() ? { note: note.trim() } : {}) });
      const text = res.status === 'confirmed' ? t('missing:review.confirmed', { status: t(`missing:status.${res.report_status}`) }) : t('missing:review.rejected');
      setOutcome(text);
      announce(text);
      setAsking(null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle lead={<>{percent(data.probability, lang)} · <MissingStatus status={data.status} />{data.times_proposed > 1 ? ` · ${t('missing:review.timesProposed', { count: data.times_proposed })}` : ''}</>}>
        {t('missing:review.compareTitle', { report: data.report.folio, found: data.found.folio })}
      </PageTitle>
      {outcome && (
        <p className="alert alert--success" tabIndex={-1} ref={outcomeRef} role="status">
          {outcome}
        </p>
      )}
      <RecordComparison data={data} />
      <EvidenceTable explanation={data.explanation} caption={t('missing:review.explanation')} />
      {data.status === 'proposed' ? (
        <section className="card section" aria-labelledby="decision">
          <h2 id="decision">{t('missing:review.title')}</h2>
          <FormError message={failure} />
          <TextArea id="review-note" label={t('missing:review.note')} rows={2} value={note} onChange={setNote} />
          {asking ? (
            <div className="alert alert--warning" role="alertdialog" aria-labelledby="decision-question" tabIndex={-1} ref={dialogRef}>
              <p id="decision-question">{asking === 'confirm' ? t('missing:review.confirmQuestion', { report: data.report.folio, found: data.found.folio }) : t('missing:review.rejectQuestion')}</p>
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void decide(asking)}>
                {t('missing:review.yes')}
              </button>{' '}
              <button type="button" className="button button--secondary" onClick={() => setAsking(null)}>
                {t('missing:review.cancel')}
              </button>
            </div>
          ) : (
            <p>
              <button type="button" className="button button--primary" onClick={() => setAsking('confirm')}>
                {t('missing:review.confirm')}
              </button>{' '}
              <button type="button" className="button button--secondary" onClick={() => setAsking('reject')}>
                {t('missing:review.reject')}
              </button>
            </p>
          )}
        </section>
      ) : (
        !outcome && <p>{t('missing:review.reviewed', { status: t(`missing:status.${data.status}`) })}</p>
      )}
      {data.review_note && <Facts rows={[[t('missing:review.note'), data.review_note]]} />}
      {data.reviewed_at && <p className="muted">{formatDateTime(data.reviewed_at, lang)}</p>}
    </>
  );
}

/** The report and the found record side by side, row by row; another institution's record shows its folio only. */
function RecordComparison({ data }: { data: CandidateView }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const { session } = useSession();
  const r = data.report_record;
  const f = data.found_record;
  const left = describedRows(r, t, lang);
  const right = describedRows(f, t, lang);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('missing:review.compareTitle', { report: data.report.folio, found: data.found.folio })}>
      <table className="table comparison">
        <caption className="visually-hidden">{t('missing:review.compareTitle', { report: data.report.folio, found: data.found.folio })}</caption>
        <thead>
          <tr>
            <td />
            <th scope="col">
              {/* Another institution's record does not open: its folio only. */}
              {data.report.institution_id === session.institution.id ? <Link href={paths.missingReport(r.id)}>{t('missing:review.report')} {r.folio}</Link> : `${t('missing:review.report')} ${r.folio}`}
            </th>
            <th scope="col">
              {data.found.institution_id === session.institution.id ? <Link href={paths.missingFound(f.id)}>{t('missing:review.found')} {f.folio}</Link> : `${t('missing:review.found')} ${f.folio}`} ({t(`missing:condition.${f.condition}`)})
            </th>
          </tr>
        </thead>
        <tbody>
          {left.map(([k, value], i) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{value ?? <span className="muted">{t('common.noneRecorded')}</span>}</td>
              <td>{right[i]?.[1] ?? <span className="muted">{t('common.noneRecorded')}</span>}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('missing:field.lastSeen')} / {t('missing:field.found')}</th>
            <td>
              {formatDate(r.last_seen_on, lang)} {stateName(r.last_seen_state) ?? ''} {r.last_seen_place ?? ''}
            </td>
            <td>
              {formatDate(f.found_on, lang)} {stateName(f.found_state) ?? ''} {f.found_place ?? ''}
              {f.death_to && ` · ${t('missing:field.deathTo')}: ${formatDate(f.death_to, lang)}`}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

type Notice = { id: string; kind: string; record_type: string; record_id: string; folio: string; created_at: string };

/** The user's unread notices (a match confirmed on a report they hold), with a link to the report. */
export function MissingNotifications() {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const { data } = useApi<{ items: Notice[] }>('/api/v1/notifications', { unread: 'true' });
  if (!data) return null;
  return (
    <section className="card section" aria-labelledby="notices">
      <h2 id="notices">{t('missing:notifications.title')}</h2>
      {data.items.length === 0 ? (
        <p className="muted">{t('missing:notifications.none')}</p>
      ) : (
        <ul className="plain-list">
          {data.items.map((n) => (
            <li key={n.id}>
              <Link href={n.record_type === 'found_record' ? paths.missingFound(n.record_id) : paths.missingReport(n.record_id)}>
                {t(`missing:notifications.${n.record_type === 'found_record' ? 'found_' : ''}${n.kind.replace(/^missing\./, '')}`, { folio: n.folio, defaultValue: n.kind })}
              </Link> · <time dateTime={n.created_at}>{formatDateTime(n.created_at, lang)}</time>{' '}
              <button type="button" className="button button--ghost button--small" onClick={() => void api.post(`/api/v1/notifications/${n.id}/read`)}>

                {t('missing:notifications.markRead')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
