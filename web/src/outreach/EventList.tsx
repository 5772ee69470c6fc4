import { useTranslation } from 'react-i18next';
import type { Page } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { DataTable } from '../ui/DataTable.tsx';
import { FilterForm, ListResults, ResultCount, useAddressFilters, useRangeError } from '../ui/ListFrame.tsx';
import { formatDate, formatNumber } from '../ui/format.ts';
import { Empty, PageTitle, Pager, SelectField, TextField, useLang } from '../ui/index.tsx';
import { outreachLabel, outreachOptions, placeOf } from './words.ts';
import type { EventItem } from './types.ts';
import './Outreach.css';

const PAGE_SIZE = 25;
const filterKeys = ['from', 'to', 'topic', 'kind'] as const;

/** The institution's outreach events, newest first; filters live in the address. */
export function EventList() {
  const { t } = useTranslation(['outreach']);
  const lang = useLang();
  const can = useCan();
  const { applied, offset, go, draft, setField, clear } = useAddressFilters(filterKeys, paths.outreach);
  const rangeError = useRangeError(draft.from, draft.to);
  const result = useApi<Page<EventItem>>('/api/v1/outreach/events', { ...applied, limit: PAGE_SIZE, offset });
  return (
    <>
      <PageTitle lead={t('outreach:list.lead')}>{t('outreach:list.title')}</PageTitle>
      <p className="actions-row">
        <Link className="button button--primary" href={paths.outreachNew}>
          {t('outreach:list.new')}
        </Link>{' '}
        {can('outreach.dashboard') && <Link href={paths.outreachDashboard}>{t('outreach:dashboard.title')}</Link>}
      </p>
      <FilterForm label={t('outreach:list.filters')} onApply={() => go(draft)} onClear={clear} invalid={!!rangeError}>
        <div className="filters__grid">
          <TextField id="filter-from" type="date" label={t('outreach:list.from')} value={draft.from} onChange={setField('from')} />
          <TextField id="filter-to" type="date" label={t('outreach:list.to')} value={draft.to} onChange={setField('to')} error={rangeError} />
          <SelectField id="filter-topic" label={t('outreach:fields.topic')} value={draft.topic} onChange={setField('topic')} placeholder={t('ui:common.all')} options={outreachOptions('eventTopics', lang)} />
          <SelectField id="filter-kind" label={t('outreach:fields.kind')} value={draft.kind} onChange={setField('kind')} placeholder={t('ui:common.all')} options={outreachOptions('eventKinds', lang)} />
        </div>
      </FilterForm>
      <ListResults id="events-title" title={t('outreach:list.results')} result={result}>
        {(data) => (
          <>
            <ResultCount>{t('outreach:list.count', { count: data.total, total: formatNumber(data.total, lang) })}</ResultCount>
            {data.items.length === 0 ? <Empty>{t('outreach:list.empty')}</Empty> : <EventTable items={data.items} caption={t('outreach:list.title')} region="events-title" />}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={(next) => go(applied, next)} />
          </>
        )}
      </ListResults>
    </>
  );
}

/** One row per event: date, title, kind and topic, place, attendance. */
export function EventTable({ items, caption, region }: { items: EventItem[]; caption: string; region: string }) {
  const { t } = useTranslation(['outreach']);
  const lang = useLang();
  return (
    <DataTable
      caption={caption}
      region={region}
      rows={items}
      rowKey={(e) => e.id}
      columns={[
        { header: t('outreach:fields.title'), rowHeader: true, cell: (e) => <Link href={paths.outreachEvent(e.id)}>{e.title}</Link> },
        { header: t('outreach:fields.heldOn'), cell: (e) => formatDate(e.held_on, lang) },
        { header: t('outreach:fields.kind'), cell: (e) => outreachLabel('eventKinds', e.kind, lang) },
        { header: t('outreach:fields.topic'), cell: (e) => outreachLabel('eventTopics', e.topic, lang) },
        { header: t('outreach:fields.place'), cell: (e) => placeOf(e, lang) },
        { header: t('outreach:fields.attendees'), cell: (e) => formatNumber(e.attendees_total, lang) },
      ]}
    />
  );
}
