import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery, type CaseListItem, type Page } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatNumber, label, options } from '../ui/format.ts';
import { Link, navigate, paths, useLocation } from '../app/router.tsx';
import './CaseList.css';
import { Empty, LoadError, Loading, PageTitle, Pager, SelectField, StatusBadge, TextField, useLang } from '../ui/index.tsx';

const PAGE_SIZE = 25;
const filterKeys = ['name', 'status', 'programme', 'assigned', 'opened_from', 'opened_to', 'folio'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;
/** The filters behind "Filtros" on a phone (the name stays in sight). */
const moreFilters = filterKeys.filter((k) => k !== 'name');

/** The case list; its filters live in the address, so a filtered list can be bookmarked or shared. */
export function CaseList() {
  const { t } = useTranslation(['app', 'cases']);
  const lang = useLang();
  const { query } = useLocation();
  const applied = Object.fromEntries(filterKeys.map((k) => [k, query.get(k) ?? ''])) as Filters;
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const { data, error, isFetching: loading, refetch } = useApi<Page<CaseListItem> & { total_is_lower_bound: boolean }>('/api/v1/cases', { ...applied, assigned: applied.assigned || 'any', limit: PAGE_SIZE, offset });

  const go = (filters: Filters, nextOffset = 0) => navigate(withQuery(paths.cases, { ...filters, offset: nextOffset || undefined }));

  return (
    <>
      <PageTitle>{t('cases:cases.title')}</PageTitle>
      {/* Drawn again when the address changes (the header search links to a filtered list). */}
      <CaseFilters key={JSON.stringify(applied)} applied={applied} go={go} />

      <section aria-labelledby="results-title" className="section">
        <h2 id="results-title" className="visually-hidden">
          {t('cases:cases.results')}
        </h2>
        {loading && <Loading />}
        {!!error && <LoadError error={error} retry={() => void refetch()} />}
        {data && (
          <>
            <p className="result-count" role="status">
              {data.total === 0 ? t('cases:cases.none') : t(data.total_is_lower_bound ? 'cases:cases.showingMany' : 'cases:cases.showing', { from: formatNumber(offset + 1, lang), to: formatNumber(Math.min(offset + data.items.length, data.total), lang), total: formatNumber(data.total, lang) })}
            </p>
            {data.items.length === 0 ? (
              <Empty>
                <Link href={paths.caseNew}>{t('app:nav.openCase')}</Link>
              </Empty>
            ) : (
              <CaseTable items={data.items} />
            )}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={(next) => go(applied, next)} />
          </>
        )}
      </section>
    </>
  );
}

/** The name in sight; on a phone the other filters wait behind "Filtros" (with how many are in use). */
function CaseFilters({ applied, go }: { applied: Filters; go: (filters: Filters) => void }) {
  const { t } = useTranslation(['app', 'cases']);
  const lang = useLang();
  const [draft, setDraft] = useState<Filters>(applied);
  const [filtersOpen, setFiltersOpen] = useState(false);
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
  const rangeError = draft.opened_from && draft.opened_to && draft.opened_from > draft.opened_to ? t('validation.rangeOrder') : undefined;
  const nameError = draft.name.trim().length === 1 ? t('validation.minLength', { min: 2 }) : undefined;
  const activeFilters = moreFilters.filter((k) => applied[k]).length;
  return (
    <form className="filters card" onSubmit={onSubmit} role="search" aria-label={t('cases:cases.filters')}>
      <div className="filters__name">
        <TextField id="filter-name" type="search" label={t('cases:cases.name')} hint={t('cases:cases.nameHint')} value={draft.name} onChange={setField('name')} error={nameError} autoComplete="off" />
      </div>
      <button type="button" className="button button--secondary filters__toggle" aria-expanded={filtersOpen} aria-controls="case-filters-more" onClick={() => setFiltersOpen((o) => !o)}>
        {activeFilters ? t('cases:cases.filtersToggleActive', { count: activeFilters }) : t('cases:cases.filtersToggle')}
      </button>
      <div id="case-filters-more" className={`filters__grid filters__more${filtersOpen ? ' is-open' : ''}`}>
        <TextField id="filter-folio" label={t('cases:case.folio')} value={draft.folio} onChange={setField('folio')} />
        <SelectField id="filter-status" label={t('cases:case.status')} value={draft.status} onChange={setField('status')} placeholder={t('common.all')} options={(['open', 'in_progress', 'reopened', 'closed'] as const).map((s) => [s, t(`status.${s}`)])} />
        <SelectField id="filter-programme" label={t('cases:case.programme')} value={draft.programme} onChange={setField('programme')} placeholder={t('common.all')} options={options('programmes', lang)} />
        <SelectField
          id="filter-assigned"
          label={t('cases:case.assignedTo')}
          value={draft.assigned}
          onChange={setField('assigned')}
          placeholder={t('common.anyone')}
          options={[
            ['me', t('cases:cases.assignedMe')],
            ['unassigned', t('cases:cases.unassigned')],
          ]}
        />
        <TextField id="filter-from" type="date" label={t('cases:cases.openedFrom')} value={draft.opened_from} onChange={setField('opened_from')} />
        <TextField id="filter-to" type="date" label={t('cases:cases.openedTo')} value={draft.opened_to} onChange={setField('opened_to')} error={rangeError} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={!!rangeError || !!nameError}>
          {t('cases:cases.apply')}
        </button>
        <button type="button" className="button button--secondary" onClick={clear}>
          {t('cases:cases.clear')}
        </button>
      </div>
    </form>
  );
}

/** One row per case: folio, the people in it, programme, status, opening date and who has it. */
function CaseTable({ items }: { items: CaseListItem[] }) {
  const { t } = useTranslation(['app', 'cases']);
  const lang = useLang();
  return (
    <div className="table-wrap">
      <table className="table case-table">
        <caption className="visually-hidden">{t('cases:cases.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cases:case.folio')}</th>
            <th scope="col">{t('cases:cases.people')}</th>
            <th scope="col">{t('cases:case.programme')}</th>
            <th scope="col">{t('cases:case.status')}</th>
            <th scope="col">{t('cases:case.openedOn')}</th>
            <th scope="col">{t('cases:case.assignedTo')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <th scope="row" className="case-table__folio">
                <Link href={paths.case(c.id)}>{c.folio}</Link>
              </th>
              <td className="case-table__people">
                {c.participants.map((p) => p.name).join(', ')}
                {c.participant_count > c.participants.length && <span className="muted"> {t('cases:cases.morePeople', { count: c.participant_count - c.participants.length })}</span>}
              </td>
              <td className="case-table__programme">{label('programmes', c.programme, lang)}</td>
              <td className="case-table__status">
                <StatusBadge status={c.status} />
              </td>
              <td className="case-table__opened" data-label={t('cases:case.openedOn')}>
                {formatDate(c.opened_on, lang)}
              </td>
              <td className="case-table__assigned" data-label={t('cases:case.assignedTo')}>
                {c.assigned_to?.display_name ?? <span className="muted">{t('cases:cases.unassigned')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
