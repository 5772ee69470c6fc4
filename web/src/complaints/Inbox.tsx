import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery, type ComplaintInbox } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatDateTime, formatNumber } from '../ui/format.ts';
import { Link, navigate, paths, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Alert, LoadError, Loading, PageTitle, Pager, SelectField, TextField, useLang } from '../ui/index.tsx';
import { ComplaintStatusBadge, OverdueBadge, complaintLabel, complaintOptions } from './shared.tsx';

const PAGE_SIZE = 25;
const filterKeys = ['status', 'assigned', 'overdue', 'kind', 'folio'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

/** The complaint handlers' inbox: overdue first, then oldest. Filters live in the address. */
export function ComplaintsInbox() {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const { session } = useSession();
  const { query } = useLocation();
  const applied = Object.fromEntries(filterKeys.map((k) => [k, query.get(k) ?? ''])) as Filters;
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const [draft, setDraft] = useState<Filters>(applied);
  const key = JSON.stringify([applied, offset]);
  const { data, error, isFetching: loading, refetch } = useApi<ComplaintInbox>('/api/v1/complaints', { ...applied, assigned: applied.assigned || 'any', limit: PAGE_SIZE, offset });

  const go = (filters: Filters, nextOffset = 0) => navigate(withQuery(paths.complaints, { ...filters, offset: nextOffset || undefined }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    go(draft);
  };
  const clear = () => {
    const empty = Object.fromEntries(filterKeys.map((k) => [k, ''])) as Filters;
    setDraft(empty);
    go(empty);
  };
  const setField = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <>
      <PageTitle lead={t('complaints:complaints.lead', { unit: session.institution.name })}>{t('complaints:complaints.title')}</PageTitle>
      {data && data.key_access !== 'granted' && (
        <Alert kind="warning" role="status">
          <strong>{t('complaints:complaints.keysPendingTitle')}</strong> {t(data.key_access === 'pending' ? 'complaints:complaints.keysPending' : 'complaints:complaints.keysSignInAgain')}
        </Alert>
      )}
      <form className="filters card" onSubmit={onSubmit} role="search" aria-label={t('complaints:complaints.filters')}>
        <div className="filters__grid">
          <TextField id="complaint-filter-folio" label={t('complaints:complaints.folio')} value={draft.folio} onChange={setField('folio')} />
          <SelectField id="complaint-filter-status" label={t('complaints:complaints.status')} value={draft.status} onChange={setField('status')} placeholder={t('common.all')} options={complaintOptions('complaintStatuses', lang)} />
          <SelectField id="complaint-filter-kind" label={t('complaints:complaints.kind')} value={draft.kind} onChange={setField('kind')} placeholder={t('common.all')} options={complaintOptions('complaintKinds', lang)} />
          <SelectField
            id="complaint-filter-assigned"
            label={t('complaints:complaints.assigned')}
            value={draft.assigned}
            onChange={setField('assigned')}
            placeholder={t('common.anyone')}
            options={[
              ['me', t('complaints:complaints.assignedMe')],
              ['unassigned', t('complaints:complaints.unassigned')],
            ]}
          />
          <SelectField
            id="complaint-filter-overdue"
            label={t('complaints:complaints.overdueFilter')}
            value={draft.overdue}
            onChange={setField('overdue')}
            placeholder={t('common.all')}
            options={[
              ['true', t('complaints:complaints.overdueOnly')],
              ['false', t('complaints:complaints.onTimeOnly')],
            ]}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            {t('complaints:complaints.apply')}
          </button>
          <button type="button" className="button button--secondary" onClick={clear}>
            {t('complaints:complaints.clear')}
          </button>
        </div>
      </form>

      <section aria-labelledby="complaint-results-title" className="section">
        <h2 id="complaint-results-title" className="visually-hidden">
          {t('complaints:complaints.results')}
        </h2>
        {loading && <Loading />}
        {!!error && <LoadError error={error} retry={() => void refetch()} />}
        {data && (
          <>
            <p className="result-count" role="status">
              {data.total === 0 ? t('complaints:complaints.none') : t('complaints:complaints.showing', { from: formatNumber(offset + 1, lang), to: formatNumber(Math.min(offset + data.items.length, data.total), lang), total: formatNumber(data.total, lang) })}
              {data.overdue_total > 0 && <> {t('complaints:complaints.overdueTotal', { count: data.overdue_total })}</>}
            </p>
            {data.items.length === 0 ? null : (
              <div className="table-wrap">
                <table className="table table--responsive">
                  <caption className="visually-hidden">{t('complaints:complaints.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('complaints:complaints.folio')}</th>
                      <th scope="col">{t('complaints:complaints.kind')}</th>
                      <th scope="col">{t('complaints:complaints.status')}</th>
                      <th scope="col">{t('complaints:complaints.received')}</th>
                      <th scope="col">{t('complaints:complaints.due')}</th>
                      <th scope="col">{t('complaints:complaints.assignedTo')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((c) => (
                      <tr key={c.id}>
                        <th scope="row" data-label={t('complaints:complaints.folio')}>
                          <Link href={paths.complaint(c.id)}>{c.folio}</Link>
                          {c.unanswered_messages > 0 && (
                            <>
                              {' '}
                              <span className="badge badge--ref-pending">{t('complaints:complaints.unanswered', { count: c.unanswered_messages })}</span>
                            </>
                          )}
                          {c.legal_hold && (
                            <>
                              {' '}
                              <span className="badge badge--neutral">{t('complaints:complaints.legalHold')}</span>
                            </>
                          )}
                        </th>
                        <td data-label={t('complaints:complaints.kind')}>{complaintLabel('complaintKinds', c.kind, lang)}</td>
                        <td data-label={t('complaints:complaints.status')}>
                          <ComplaintStatusBadge status={c.status} />
                        </td>
                        <td data-label={t('complaints:complaints.received')}>
                          <time dateTime={c.received_at}>{formatDateTime(c.received_at, lang)}</time>
                        </td>
                        <td data-label={t('complaints:complaints.due')}>
                          {c.overdue ? <OverdueBadge /> : null}
                          {c.due_at ? <> {formatDate(c.due_at, lang)}</> : c.overdue ? null : <span className="muted">—</span>}
                        </td>
                        <td data-label={t('complaints:complaints.assignedTo')}>{c.assigned_to?.display_name ?? <span className="muted">{t('complaints:complaints.unassigned')}</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={(next) => go(applied, next)} />
          </>
        )}
      </section>
    </>
  );
}
