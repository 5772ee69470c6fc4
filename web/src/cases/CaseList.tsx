import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseListItem, Page } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatNumber, label, options } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { DataTable } from '../ui/DataTable.tsx';
import { FilterForm, ListResults, ResultCount, useAddressFilters, useRangeError } from '../ui/ListFrame.tsx';
import './CaseList.css';
import { Empty, PageTitle, Pager, SelectField, StatusBadge, TextField, useLang } from '../ui/index.tsx';

const PAGE_SIZE = 25;
const filterKeys = ['name', 'status', 'programme', 'assigned', 'opened_from', 'opened_to', 'folio'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;
/** The filters behind "Filtros" on a phone (the name stays in sight). */
const moreFilters = filterKeys.filter((k) => k !== 'name');

/** The case list; its filters live in the address, so a filtered list can be bookmarked or shared. */
export function CaseList() {
  const { t } = useTranslation(['app', 'cases']);
  const lang = useLang();
  const filters = useAddressFilters(filterKeys, paths.cases);
  const { applied, offset, go } = filters;
  const result = useApi<Page<CaseListItem> & { total_is_lower_bound: boolean }>('/api/v1/cases', { ...applied, assigned: applied.assigned || 'any', limit: PAGE_SIZE, offset });

  return (
    <>
      <PageTitle>{t('cases:cases.title')}</PageTitle>
      {/* Drawn again when the address changes (the header search links to a filtered list). */}
      <CaseFilters key={JSON.stringify(applied)} />

      <ListResults id="results-title" title={t('cases:cases.results')} result={result}>
        {(data) => (
          <>
            <ResultCount>
              {data.total === 0 ? t('cases:cases.none') : t(data.total_is_lower_bound ? 'cases:cases.showingMany' : 'cases:cases.showing', { from: formatNumber(offset + 1, lang), to: formatNumber(Math.min(offset + data.items.length, data.total), lang), total: formatNumber(data.total, lang) })}
            </ResultCount>
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
      </ListResults>
    </>
  );
}

/** The name in sight; on a phone the other filters wait behind "Filtros" (with how many are in use). */
function CaseFilters() {
  const { t } = useTranslation(['app', 'cases']);
  const lang = useLang();
  const { applied, draft, setField, go, clear } = useAddressFilters(filterKeys, paths.cases);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const rangeError = useRangeError(draft.opened_from, draft.opened_to);
  const nameError = draft.name.trim().length === 1 ? t('validation.minLength', { min: 2 }) : undefined;
  const activeFilters = moreFilters.filter((k) => applied[k]).length;
  return (
    <FilterForm label={t('cases:cases.filters')} onApply={() => go(draft)} onClear={clear} invalid={!!rangeError || !!nameError}>
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
    </FilterForm>
  );
}

/** One row per case: folio, the people in it, programme, status, opening date and who has it. */
function CaseTable({ items }: { items: CaseListItem[] }) {
  const { t } = useTranslation(['app', 'cases']);
  const lang = useLang();
  return (
    <DataTable
      caption={t('cases:cases.title')}
      className="case-table"
      responsive={false}
      rows={items}
      rowKey={(c) => c.id}
      columns={[
        { header: t('cases:case.folio'), rowHeader: true, className: 'case-table__folio', cell: (c) => <Link href={paths.case(c.id)}>{c.folio}</Link> },
        {
          header: t('cases:cases.people'),
          className: 'case-table__people',
          cell: (c) => (
            <>
              {c.participants.map((p) => p.name).join(', ')}
              {c.participant_count > c.participants.length && <span className="muted"> {t('cases:cases.morePeople', { count: c.participant_count - c.participants.length })}</span>}
            </>
          ),
        },
        { header: t('cases:case.programme'), className: 'case-table__programme', cell: (c) => label('programmes', c.programme, lang) },
        { header: t('cases:case.status'), className: 'case-table__status', cell: (c) => <StatusBadge status={c.status} /> },
        { header: t('cases:case.openedOn'), className: 'case-table__opened', label: true, cell: (c) => formatDate(c.opened_on, lang) },
        { header: t('cases:case.assignedTo'), className: 'case-table__assigned', label: true, cell: (c) => c.assigned_to?.display_name ?? <span className="muted">{t('cases:cases.unassigned')}</span> },
      ]}
    />
  );
}
