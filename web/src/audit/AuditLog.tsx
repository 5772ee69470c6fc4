import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type AuditEntry, type Page } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDateTime, formatNumber } from '../ui/format.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Alert, Empty, PageTitle, Pager, SelectField, TextField, useAnnounce, useLang } from '../ui/index.tsx';
import { FilterForm, ListResults, ResultCount, useRangeError } from '../ui/ListFrame.tsx';

const PAGE_SIZE = 50;
type Filters = { action: string; record_type: string; folio: string; from: string; to: string };
const empty: Filters = { action: '', record_type: '', folio: '', from: '', to: '' };

type Tree = { [key: string]: string | Tree };
/** `{ case: { read: "…" } }` -> `[["case.read", "…"]]`: the action codes are the locale file's key paths. */
const leaves = (tree: Tree | undefined, prefix = ''): [string, string][] =>
  Object.entries(tree ?? {}).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));

/**
 * Actions and record types in words, from the audit locale file (`actionNames`, keyed by the action's
 * code as a path, and `recordTypes`); the code is only shown for an action added after the words were.
 */
function useAuditWords() {
  const { t, i18n } = useTranslation(['audit']);
  const bundle = (i18n.getResourceBundle(i18n.language, 'audit') ?? {}) as { actionNames?: Tree; recordTypes?: Tree };
  const actions = new Map(leaves(bundle.actionNames));
  const types = new Map(leaves(bundle.recordTypes));
  const collator = new Intl.Collator(i18n.language);
  const sorted = (table: Map<string, string>): [string, string][] => [...table].sort((a, b) => collator.compare(a[1], b[1]));
  return {
    action: (code: string) => actions.get(code) ?? t('audit:otherAction', { code }),
    recordType: (code: string) => types.get(code) ?? code,
    actionOptions: sorted(actions),
    typeOptions: sorted(types),
  };
}

/** The institution's hash-chained audit log, for auditors; reading it is itself logged. */
export function AuditLog() {
  const { t } = useTranslation(['audit']);
  const lang = useLang();
  const announce = useAnnounce();
  const words = useAuditWords();
  const [draft, setDraft] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const [offset, setOffset] = useState(0);
  const [verify, setVerify] = useState<{ ok: boolean; entries: number; broken_at_id: number | null } | { error: string } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const result = useApi<Page<AuditEntry>>('/api/v1/audit', { ...applied, limit: PAGE_SIZE, offset });

  const apply = () => {
    setOffset(0);
    setApplied(draft);
  };
  const clear = () => {
    setDraft(empty);
    setApplied(empty);
    setOffset(0);
  };
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const runVerify = async () => {
    setVerifying(true);
    try {
      const result = await api.get<{ ok: boolean; entries: number; broken_at_id: number | null }>('/api/v1/audit/verify');
      setVerify(result);
      announce(result.ok ? t('audit:chainOk', { count: result.entries }) : t('audit:chainBroken', { id: result.broken_at_id }));
    } catch (err) {
      setVerify({ error: errorMessage(err) });
    } finally {
      setVerifying(false);
    }
  };
  const rangeError = useRangeError(draft.from, draft.to);

  return (
    <>
      <PageTitle lead={t('audit:lead')}>{t('audit:title')}</PageTitle>
      <section className="card section verify" aria-labelledby="verify-title">
        <h2 id="verify-title">{t('audit:integrity')}</h2>
        <p>{t('audit:integrityLead')}</p>
        <button type="button" className="button button--primary" onClick={() => void runVerify()} disabled={verifying}>
          {verifying ? t('common.working') : t('audit:verify')}
        </button>
        {verify && 'error' in verify && (
          <Alert kind="error" role="alert">
            {verify.error}
          </Alert>
        )}
        {verify && 'ok' in verify && (
          <Alert kind={verify.ok ? 'success' : 'error'}>{verify.ok ? t('audit:chainOk', { count: verify.entries }) : t('audit:chainBroken', { id: verify.broken_at_id })}</Alert>
        )}
      </section>

      <FilterForm label={t('audit:filters')} onApply={apply} onClear={clear} invalid={!!rangeError}>
        <div className="filters__grid">
          <SelectField id="audit-action" label={t('audit:action')} value={draft.action} onChange={set('action')} placeholder={t('audit:anyAction')} options={words.actionOptions} />
          <SelectField id="audit-record-type" label={t('audit:recordType')} value={draft.record_type} onChange={set('record_type')} placeholder={t('audit:anyRecordType')} options={words.typeOptions} />
          <TextField id="audit-folio" label={t('audit:folio')} hint={t('audit:folioHint')} value={draft.folio} onChange={set('folio')} />
          <TextField id="audit-from" type="date" label={t('audit:from')} value={draft.from} onChange={set('from')} />
          <TextField id="audit-to" type="date" label={t('audit:to')} value={draft.to} onChange={set('to')} error={rangeError} />
        </div>
      </FilterForm>

      <ListResults id="entries-title" title={t('audit:entries')} showTitle firstLoadOnly result={result}>
        {(data) => (
          <>
            <ResultCount>{t('audit:count', { total: formatNumber(data.total, lang) })}</ResultCount>
            {data.items.length === 0 ? <Empty>{t('audit:none')}</Empty> : <AuditTable entries={data.items} words={words} />}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={setOffset} />
          </>
        )}
      </ListResults>
    </>
  );
}

function AuditTable({ entries, words }: { entries: AuditEntry[]; words: ReturnType<typeof useAuditWords> }) {
  const { t } = useTranslation(['audit']);
  const lang = useLang();
  return (
    <DataTable
      caption={t('audit:entries')}
      className="table--audit"
      rows={entries}
      rowKey={(e) => e.id}
      columns={[
        { header: '#', cell: (e) => e.id },
        { header: t('audit:when'), cell: (e) => <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time> },
        { header: t('audit:who'), cell: (e) => e.actor?.display_name ?? t('audit:system') },
        { header: t('audit:action'), cell: (e) => <span title={t('audit:actionCode', { code: e.action })}>{words.action(e.action)}</span> },
        {
          header: t('audit:record'),
          cell: (e) => (
            <>
              {words.recordType(e.record_type)}
              {e.record_label && <> · {e.record_label}</>}
            </>
          ),
        },
        { header: t('audit:ip'), cell: (e) => e.ip ?? '' },
      ]}
    />
  );
}
