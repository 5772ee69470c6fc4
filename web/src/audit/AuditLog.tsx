import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type AuditEntry, type Page } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDateTime, formatNumber } from '../ui/format.ts';
import { Alert, Empty, LoadError, Loading, PageTitle, SelectField, TextField, useAnnounce, useLang } from '../ui/index.tsx';

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
  const { t } = useTranslation(['audit', 'cases']);
  const lang = useLang();
  const announce = useAnnounce();
  const words = useAuditWords();
  const [draft, setDraft] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const [offset, setOffset] = useState(0);
  const [verify, setVerify] = useState<{ ok: boolean; entries: number; broken_at_id: number | null } | { error: string } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const { data, error, isFetching: loading, refetch } = useApi<Page<AuditEntry>>('/api/v1/audit', { ...applied, limit: PAGE_SIZE, offset });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOffset(0);
    setApplied(draft);
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
  const rangeError = draft.from && draft.to && draft.from > draft.to ? t('validation.rangeOrder') : undefined;

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

      <form className="filters card" onSubmit={submit} role="search" aria-label={t('audit:filters')}>
        <div className="filters__grid">
          <SelectField id="audit-action" label={t('audit:action')} value={draft.action} onChange={set('action')} placeholder={t('audit:anyAction')} options={words.actionOptions} />
          <SelectField id="audit-record-type" label={t('audit:recordType')} value={draft.record_type} onChange={set('record_type')} placeholder={t('audit:anyRecordType')} options={words.typeOptions} />
          <TextField id="audit-folio" label={t('audit:folio')} hint={t('audit:folioHint')} value={draft.folio} onChange={set('folio')} />
          <TextField id="audit-from" type="date" label={t('audit:from')} value={draft.from} onChange={set('from')} />
          <TextField id="audit-to" type="date" label={t('audit:to')} value={draft.to} onChange={set('to')} error={rangeError} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={!!rangeError}>
            {t('cases:cases.apply')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setDraft(empty);
              setApplied(empty);
              setOffset(0);
            }}
          >
            {t('cases:cases.clear')}
          </button>
        </div>
      </form>

      <section className="section" aria-labelledby="entries-title">
        <h2 id="entries-title">{t('audit:entries')}</h2>
        {loading && !data && <Loading />}
        {!!error && <LoadError error={error} retry={() => void refetch()} />}
        {data && (
          <>
            <p className="result-count" role="status">
              {t('audit:count', { total: formatNumber(data.total, lang) })}
            </p>
            {data.items.length === 0 ? (
              <Empty>{t('audit:none')}</Empty>
            ) : (
              <div className="table-wrap">
                <table className="table table--responsive table--audit">
                  <caption className="visually-hidden">{t('audit:entries')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">{t('audit:when')}</th>
                      <th scope="col">{t('audit:who')}</th>
                      <th scope="col">{t('audit:action')}</th>
                      <th scope="col">{t('audit:record')}</th>
                      <th scope="col">{t('audit:ip')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((e) => (
                      <tr key={e.id}>
                        <td data-label="#">{e.id}</td>
                        <td data-label={t('audit:when')}>
                          <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                        </td>
                        <td data-label={t('audit:who')}>{e.actor?.display_name ?? t('audit:system')}</td>
                        <td data-label={t('audit:action')}>
                          <span title={t('audit:actionCode', { code: e.action })}>{words.action(e.action)}</span>
                        </td>
                        <td data-label={t('audit:record')}>
                          {words.recordType(e.record_type)}
                          {e.record_label && <> · {e.record_label}</>}
                        </td>
                        <td data-label={t('audit:ip')}>{e.ip ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {data.total > PAGE_SIZE && (
              <nav className="pager" aria-label={t('common.pagination')}>
                <button type="button" className="button button--secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                  {t('common.previous')}
                </button>
                <span>{t('common.pageOf', { page: Math.floor(offset / PAGE_SIZE) + 1, pages: Math.ceil(data.total / PAGE_SIZE) })}</span>
                <button type="button" className="button button--secondary" disabled={offset + PAGE_SIZE >= data.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
                  {t('common.next')}
                </button>
              </nav>
            )}
          </>
        )}
      </section>
    </>
  );
}
