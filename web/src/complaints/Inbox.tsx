import { useTranslation } from 'react-i18next';
import type { ComplaintInbox } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatDateTime, formatNumber } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { DataTable } from '../ui/DataTable.tsx';
import { Alert, PageTitle, Pager, SelectField, TextField, useLang } from '../ui/index.tsx';
import { FilterForm, ListResults, ResultCount, useAddressFilters } from '../ui/ListFrame.tsx';
import { ComplaintStatusBadge, OverdueBadge, complaintLabel, complaintOptions } from './shared.tsx';

const PAGE_SIZE = 25;
const filterKeys = ['status', 'assigned', 'overdue', 'kind', 'folio'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

/** The complaint handlers' inbox: overdue first, then oldest. Filters live in the address. */
export function ComplaintsInbox() {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const { session } = useSession();
  const { applied, offset, draft, setField, go, clear } = useAddressFilters(filterKeys, paths.complaints);
  const result = useApi<ComplaintInbox>('/api/v1/complaints', { ...applied, assigned: applied.assigned || 'any', limit: PAGE_SIZE, offset });
  const { data } = result;

  return (
    <>
      <PageTitle lead={t('complaints:complaints.lead', { unit: session.institution.name })}>{t('complaints:complaints.title')}</PageTitle>
      {data && data.key_access !== 'granted' && (
        <Alert kind="warning" role="status">
          <strong>{t('complaints:complaints.keysPendingTitle')}</strong> {t(data.key_access === 'pending' ? 'complaints:complaints.keysPending' : 'complaints:complaints.keysSignInAgain')}
        </Alert>
      )}
      <FilterForm label={t('complaints:complaints.filters')} onApply={() => go(draft)} onClear={clear}>
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
      </FilterForm>

      <ListResults id="complaint-results-title" title={t('complaints:complaints.results')} result={result}>
        {(data) => (
          <>
            <ResultCount>
              {data.total === 0 ? t('complaints:complaints.none') : t('complaints:complaints.showing', { from: formatNumber(offset + 1, lang), to: formatNumber(Math.min(offset + data.items.length, data.total), lang), total: formatNumber(data.total, lang) })}
              {data.overdue_total > 0 && <> {t('complaints:complaints.overdueTotal', { count: data.overdue_total })}</>}
            </ResultCount>
            {data.items.length > 0 && <InboxTable items={data.items} />}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={(next) => go(applied, next)} />
          </>
        )}
      </ListResults>
    </>
  );
}

/** A badge after the folio when it says something: unanswered messages, a legal hold. */
function Flag({ text, kind }: { text: string; kind: string }) {
  return (
    <>
      {' '}
      <span className={`badge badge--${kind}`}>{text}</span>
    </>
  );
}

function InboxTable({ items }: { items: ComplaintInbox['items'] }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <DataTable
      caption={t('complaints:complaints.title')}
      rows={items}
      rowKey={(c) => c.id}
      columns={[
        {
          header: t('complaints:complaints.folio'),
          rowHeader: true,
          cell: (c) => (
            <>
              <Link href={paths.complaint(c.id)}>{c.folio}</Link>
              {c.unanswered_messages > 0 && <Flag kind="ref-pending" text={t('complaints:complaints.unanswered', { count: c.unanswered_messages })} />}
              {c.legal_hold && <Flag kind="neutral" text={t('complaints:complaints.legalHold')} />}
            </>
          ),
        },
        { header: t('complaints:complaints.kind'), cell: (c) => complaintLabel('complaintKinds', c.kind, lang) },
        { header: t('complaints:complaints.status'), cell: (c) => <ComplaintStatusBadge status={c.status} /> },
        { header: t('complaints:complaints.received'), cell: (c) => <time dateTime={c.received_at}>{formatDateTime(c.received_at, lang)}</time> },
        {
          header: t('complaints:complaints.due'),
          cell: (c) => (
            <>
              {c.overdue ? <OverdueBadge /> : null}
              {c.due_at ? <> {formatDate(c.due_at, lang)}</> : c.overdue ? null : <span className="muted">—</span>}
            </>
          ),
        },
        { header: t('complaints:complaints.assignedTo'), cell: (c) => c.assigned_to?.display_name ?? <span className="muted">{t('complaints:complaints.unassigned')}</span> },
      ]}
    />
  );
}
