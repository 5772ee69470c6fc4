import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatNumber, label, mxStates, options } from '../ui/format.ts';
import { Link, navigate, paths, useLocation } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { Empty, LoadError, Loading, PageTitle, Pager, SelectField, TextField, useLang } from '../ui/index.tsx';
import { MissingStatus, stateName } from './parts.tsx';
import { DataTable } from '../ui/DataTable.tsx';
import { FilterForm, ResultCount, useRangeError } from '../ui/ListFrame.tsx';

/** The institution's reports and found records by state and date, with filters (docs/missing.md). */

type ListItem = { id: string; folio: string; name: string; sex: string; status: string; state: string | null; date: string | null; open_candidates: number };
type ListPage = { items: ListItem[]; total: number; limit: number; offset: number; by_state: { state: string | null; count: number }[] };

const PAGE_SIZE = 25;
const filterKeys = ['tab', 'status', 'state', 'from', 'to', 'q'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

export function MissingList() {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const { session } = useSession();
  const can = useCan();
  const { query } = useLocation();
  const applied = Object.fromEntries(filterKeys.map((k) => [k, query.get(k) ?? ''])) as Filters;
  const found = applied.tab === 'found';
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const [draft, setDraft] = useState<Filters>(applied);
  // The fields follow the address: a by-state link, a tab or "clear" changes the filters too.
  const appliedKey = JSON.stringify(applied);
  const [shownKey, setShownKey] = useState(appliedKey);
  if (shownKey !== appliedKey) {
    setShownKey(appliedKey);
    setDraft(applied);
  }
  const { tab: _tab, ...filters } = applied;
  const { data, error, isFetching: loading, refetch } = useApi<ListPage>(found ? '/api/v1/missing/found' : '/api/v1/missing/reports', { ...filters, limit: PAGE_SIZE, offset });
  const go = (next: Filters, nextOffset = 0) => navigate(withQuery(paths.missing, { ...next, offset: nextOffset || undefined }));
  const setField = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const rangeError = useRangeError(draft.from, draft.to);
  const statuses = found ? ['unidentified', 'identified', 'closed'] : ['active', 'located_alive', 'located_deceased', 'closed'];
  const tabLink = (tab: '' | 'found', text: string) => (
    <Link href={withQuery(paths.missing, { tab: tab || undefined })} aria-current={(tab === 'found') === found ? 'page' : undefined} className="tab">
      {text}
    </Link>
  );

  return (
    <>
      <PageTitle lead={t('missing:list.lead')}>{t('missing:list.title')}</PageTitle>
      <p className="actions-row">
        <Link className="button button--primary" href={paths.missingReportNew}>
          {t('missing:list.newReport')}
        </Link>{' '}
        {can('missing.record') && (
          <Link className="button button--secondary" href={paths.missingFoundNew}>
            {t('missing:list.newFound')}
          </Link>
        )}{' '}
        {can('missing.review') && (
          <Link className="button button--secondary" href={paths.missingReview}>
            {t('app:nav.missingReview')}
          </Link>
        )}
      </p>
      <nav className="tabs" aria-label={t('missing:list.title')}>
        {tabLink('', t('missing:list.reports'))} {tabLink('found', t('missing:list.found'))}
      </nav>
      <FilterForm label={t('missing:list.filters')} onApply={() => go({ ...draft, tab: applied.tab })} onClear={() => go({ tab: applied.tab, status: '', state: '', from: '', to: '', q: '' })} invalid={!!rangeError}>
        <div className="filters__grid">
          <TextField id="missing-q" label={t('missing:list.q')} value={draft.q} onChange={setField('q')} />
          <SelectField id="missing-status" label={t('missing:list.status')} value={draft.status} onChange={setField('status')} placeholder={t('common.all')} options={statuses.map((s) => [s, t(`missing:status.${s}`)])} />
          <SelectField id="missing-state" label={t('missing:list.state')} value={draft.state} onChange={setField('state')} placeholder={t('common.all')} options={mxStates} />
          <TextField id="missing-from" type="date" label={t('missing:list.from')} value={draft.from} onChange={setField('from')} />
          <TextField id="missing-to" type="date" label={t('missing:list.to')} value={draft.to} onChange={setField('to')} error={rangeError} />
        </div>
      </FilterForm>
      {loading && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && (
        <div className="missing-list">
          <section aria-labelledby="by-state" className="card missing-list__states">
            <h2 id="by-state">{t('missing:list.byState')}</h2>
            <ul className="plain-list">
              {data.by_state.map((s) => (
                <li key={s.state ?? 'none'}>
                  {s.state ? <Link href={withQuery(paths.missing, { ...applied, state: s.state })}>{stateName(s.state)}</Link> : t('missing:list.noState')}: {formatNumber(s.count, lang)}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="missing-results" className="missing-list__results">
            <h2 id="missing-results" className="visually-hidden">
              {found ? t('missing:list.found') : t('missing:list.reports')}
            </h2>
            <ResultCount>{data.total === 0 ? t('missing:list.none') : t('missing:list.showing', { total: formatNumber(data.total, lang) })}</ResultCount>
            {data.items.length === 0 ? <Empty>{t('missing:list.none')}</Empty> : <MissingTable items={data.items} found={found} />}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={(next) => go(applied, next)} />
          </section>
        </div>
      )}
    </>
  );
}

function MissingTable({ items, found }: { items: ListItem[]; found: boolean }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  return (
    <DataTable
      caption={found ? t('missing:list.found') : t('missing:list.reports')}
      rows={items}
      rowKey={(r) => r.id}
      columns={[
        { header: t('missing:field.folio'), rowHeader: true, cell: (r) => <Link href={found ? paths.missingFound(r.id) : paths.missingReport(r.id)}>{r.folio}</Link> },
        { header: t('missing:field.givenNames'), cell: (r) => r.name || <span className="muted">{t('missing:list.noName')}</span> },
        { header: t('missing:field.sex'), cell: (r) => label('sexes', r.sex, lang) },
        { header: t('missing:field.status'), cell: (r) => <MissingStatus status={r.status} /> },
        { header: t('missing:list.state'), cell: (r) => stateName(r.state) },
        { header: found ? t('missing:list.dateFound') : t('missing:list.dateReports'), cell: (r) => formatDate(r.date, lang) },
        { header: t('missing:list.openCandidates'), className: 'num', headerClassName: 'num', cell: (r) => formatNumber(r.open_candidates, lang) },
      ]}
    />
  );
}
