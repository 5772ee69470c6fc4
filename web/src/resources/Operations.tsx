import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiAnswer } from '../api/client.ts';
import { api, withQuery } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths, useLocation } from '../app/router.tsx';
import { CorrectionForm } from '../ui/CorrectionForm.tsx';
import { CorrectionHistory } from '../ui/CorrectionHistory.tsx';
import { DataTable } from '../ui/DataTable.tsx';
import { ActionForm } from '../ui/DisclosureForm.tsx';
import { FilterForm, ListResults, ResultCount, useAddressFilters, useRangeError } from '../ui/ListFrame.tsx';
import { Details, Section } from '../ui/Section.tsx';
import { formatDate, formatDateTime, formatNumber, mxStates, today, type Lang } from '../ui/format.ts';
import { Empty, LoadError, Loading, PageTitle, SelectField, TextField, useFocusAfterRender, useForm, useLang, type Errors } from '../ui/index.tsx';
import { operationRules } from '../ui/rules.ts';

/**
 * Rescues and transfers (src/resources, decision 0008): what the institution's staff did in the field,
 * as counts of people (nobody is named here; a person who then receives services is registered by the
 * unit that attends her). The list with the period's totals, the form to record one, and, for the
 * operation chosen in the list, its history and the form that corrects it with a reason.
 */
type OperationList = ApiAnswer<'/api/v1/resources/operations'>;
type Operation = OperationList['items'][number];
type History = ApiAnswer<'/api/v1/resources/operations/{id}/history'>;
type T = (key: string, options?: Record<string, unknown>) => string;

/** What a caseworker chooses: a rescue, a transfer by road or by air (the API's kind and mode). */
const KINDS = ['rescue', 'road', 'air'] as const;
type Kind = (typeof KINDS)[number];
const kindOf = (o: { kind: string; mode: string | null }): Kind => (o.kind === 'rescue' ? 'rescue' : o.mode === 'air' ? 'air' : 'road');
const asBody = (kind: string) => (kind === 'rescue' ? { kind: 'rescue', mode: null } : { kind: 'transfer', mode: kind });
const stateName = new Map(mxStates);
const filterKeys = ['from', 'to', 'kind'] as const;
const LIMIT = 100;

type Values = { kind: string; occurred_on: string; state: string; people: string };

function useOperationForm(initial: Values, extra: Record<string, string> = {}) {
  const { t } = useTranslation(['resources', 'ui']);
  return useForm({ ...initial, reason: '', ...extra }, (v): Errors => ({
    kind: v.kind ? undefined : t('ui:validation.required'),
    occurred_on: !v.occurred_on ? t('ui:validation.required') : v.occurred_on > today() ? t('ui:validation.dateInFuture') : undefined,
    people: operationRules.people.safeParse(v.people).success ? undefined : t('resources:operations.form.peopleInvalid'),
    reason: 'reason' in extra ? (!v.reason.trim() ? t('resources:operations.correct.reasonRequired') : operationRules.reason.safeParse(v.reason).success ? undefined : t('ui:validation.maxLength', { max: 500 })) : undefined,
  }));
}

/** The fields shared by recording and correcting. */
function OperationFields({ scope, form }: { scope: string; form: ReturnType<typeof useOperationForm> }) {
  const { t } = useTranslation(['resources']);
  return (
    <>
      <SelectField id={`${scope}-kind`} label={t('resources:operations.form.kind')} required options={KINDS.map((k) => [k, t(`resources:operations.kind.${k}`)])} {...form.text('kind')} />
      <TextField id={`${scope}-date`} type="date" label={t('resources:operations.form.date')} required max={today()} {...form.text('occurred_on')} />
      <SelectField id={`${scope}-state`} label={t('resources:operations.form.state')} hint={t('resources:operations.form.stateHint')} placeholder={t('resources:operations.form.noState')} options={mxStates} {...form.text('state')} />
      <TextField id={`${scope}-people`} label={t('resources:operations.form.people')} inputMode="numeric" required {...form.text('people')} />
    </>
  );
}

export function Operations() {
  const { t } = useTranslation(['resources', 'ui']);
  const lang = useLang();
  const { query } = useLocation();
  const chosen = query.get('operacion');
  const { applied, go, draft, setField, clear } = useAddressFilters(filterKeys, paths.operations);
  const rangeError = useRangeError(draft.from, draft.to);
  const list = useApi<OperationList>('/api/v1/resources/operations', { from: applied.from || undefined, to: applied.to || undefined, kind: applied.kind || undefined, limit: LIMIT });
  const form = useOperationForm({ kind: 'rescue', occurred_on: '', state: '', people: '' });
  /** The address of the list as filtered, with one operation chosen (or none). */
  const choose = (id: string | null) => withQuery(paths.operations, { ...applied, operacion: id ?? undefined });

  return (
    <>
      <PageTitle lead={t('resources:operations.lead')}>{t('resources:operations.title')}</PageTitle>
      <Section id="operation-new" title={t('resources:operations.form.title')}>
        <ActionForm
          className=""
          form={form}
          send={(v) => api.post('/api/v1/resources/operations', { ...asBody(v.kind), occurred_on: v.occurred_on, state: v.state || null, people: Number(v.people.trim()) })}
          submitLabel={t('resources:operations.form.save')}
          saved={t('resources:operations.form.saved')}
        >
          <OperationFields scope="operation-new" form={form} />
        </ActionForm>
      </Section>

      <FilterForm label={t('resources:operations.filters')} onApply={() => go(draft)} onClear={clear} invalid={!!rangeError}>
        <div className="filters__grid">
          <TextField id="filter-from" type="date" label={t('resources:operations.from')} value={draft.from} onChange={setField('from')} />
          <TextField id="filter-to" type="date" label={t('resources:operations.to')} value={draft.to} onChange={setField('to')} error={rangeError} />
          <SelectField id="filter-kind" label={t('resources:operations.form.kind')} value={draft.kind} onChange={setField('kind')} placeholder={t('ui:common.all')} options={KINDS.map((k) => [k, t(`resources:operations.kind.${k}`)])} />
        </div>
      </FilterForm>

      <ListResults id="operations-title" title={t('resources:operations.results')} showTitle result={list} firstLoadOnly>
        {(data) => (
          <>
            <Details
              rows={[
                [t('resources:operations.totals.rescues'), t('resources:operations.totals.count', { count: data.totals.rescues, n: formatNumber(data.totals.rescues, lang), people: formatNumber(data.totals.rescued, lang) })],
                [t('resources:operations.totals.road'), t('resources:operations.totals.count', { count: data.totals.transfers_by_road, n: formatNumber(data.totals.transfers_by_road, lang), people: formatNumber(data.totals.moved_by_road, lang) })],
                [t('resources:operations.totals.air'), t('resources:operations.totals.count', { count: data.totals.transfers_by_air, n: formatNumber(data.totals.transfers_by_air, lang), people: formatNumber(data.totals.moved_by_air, lang) })],
              ]}
            />
            {data.items.length === 0 ? (
              <Empty>{t('resources:operations.none')}</Empty>
            ) : (
              <>
                {data.items.length === LIMIT && <ResultCount>{t('resources:operations.latest', { count: LIMIT })}</ResultCount>}
                <DataTable
                  rows={data.items}
                  rowKey={(o) => o.id}
                  caption={t('resources:operations.results')}
                  region="operations-title"
                  columns={[
                    { header: t('resources:operations.column.date'), rowHeader: true, cell: (o) => <Link href={choose(o.id)} aria-current={o.id === chosen ? 'true' : undefined}>{formatDate(o.occurred_on, lang)}</Link> },
                    { header: t('resources:operations.column.kind'), cell: (o) => t(`resources:operations.kind.${kindOf(o)}`) },
                    { header: t('resources:operations.column.state'), cell: (o) => (o.state ? (stateName.get(o.state) ?? o.state) : t('resources:operations.noState')) },
                    { header: t('resources:operations.column.people'), cell: (o) => formatNumber(o.people, lang) },
                    { header: t('resources:operations.column.corrections'), cell: (o) => (o.corrections ? t('resources:operations.corrected', { count: o.corrections }) : '—') },
                  ]}
                />
              </>
            )}
          </>
        )}
      </ListResults>
      {chosen && <ChosenOperation key={chosen} id={chosen} close={choose(null)} />}
    </>
  );
}

/** A stored value of an operation in words. */
function inWords(field: string, value: unknown, lang: Lang, t: T): string {
  if (field === 'kind') return t(`resources:operations.kindAlone.${String(value)}`);
  if (field === 'mode') return t(`resources:operations.mode.${String(value)}`);
  if (field === 'state') return stateName.get(String(value)) ?? String(value);
  if (field === 'occurred_on') return formatDate(String(value), lang);
  if (field === 'people') return formatNumber(Number(value), lang);
  if (field === 'point_id') return t('resources:operations.aPoint');
  return String(value);
}

/** The operation chosen in the list: its history, and the form that corrects it. */
function ChosenOperation({ id, close }: { id: string; close: string }) {
  const { t } = useTranslation(['resources', 'ui']);
  const lang = useLang();
  const history = useApi<History>(`/api/v1/resources/operations/${id}/history`);
  const focus = useFocusAfterRender();
  useEffect(() => focus(() => document.getElementById('operation-chosen-title')), [focus]);
  const op = history.data?.operation;
  return (
    <section className="card section" aria-labelledby="operation-chosen-title">
      <h2 id="operation-chosen-title" tabIndex={-1}>
        {op ? t('resources:operations.chosen', { kind: t(`resources:operations.kind.${kindOf(op)}`), date: formatDate(op.occurred_on, lang) }) : t('resources:operations.chosenLoading')}
      </h2>
      {history.isPending && <Loading />}
      {!!history.error && <LoadError error={history.error} retry={() => void history.refetch()} />}
      {history.data && op && (
        <>
          <Correct key={op.corrections} operation={op} />
          <h3>{t('resources:operations.history')}</h3>
          <CorrectionHistory
            corrections={history.data.corrections.map((c) => ({ ...c, at: String(c.at) }))}
            recorded={t('resources:operations.recorded', { when: formatDateTime(String(history.data.recorded.at), lang), who: history.data.recorded.by?.display_name ?? t('ui:history.someone') })}
            fieldLabel={(field) => t(`resources:operations.field.${field}`, { defaultValue: field })}
            inWords={(field, value) => inWords(field, value, lang, t)}
          />
          {history.data.corrections.length === 0 && <p className="hint">{t('resources:operations.neverCorrected')}</p>}
        </>
      )}
      <p>
        <Link href={close}>{t('resources:operations.close')}</Link>
      </p>
    </section>
  );
}

function Correct({ operation }: { operation: Operation }) {
  const { t } = useTranslation(['resources']);
  const form = useOperationForm({ kind: kindOf(operation), occurred_on: operation.occurred_on, state: operation.state ?? '', people: String(operation.people) }, { reason: '' });
  return (
    <CorrectionForm
      form={form}
      path={`/api/v1/resources/operations/${operation.id}`}
      fields={(v) => ({
        next: { ...asBody(v.kind), occurred_on: v.occurred_on, state: v.state || null, people: Number(v.people.trim()) },
        was: { ...asBody(kindOf(operation)), occurred_on: operation.occurred_on, state: operation.state, people: operation.people },
      })}
      submitLabel={t('resources:operations.correct.save')}
      saved={t('resources:operations.correct.saved')}
    >
      <p className="hint">{t('resources:operations.correct.lead')}</p>
      <OperationFields scope="operation-fix" form={form} />
      <TextField id="operation-fix-reason" label={t('resources:operations.correct.reason')} hint={t('resources:operations.correct.reasonHint')} required {...form.text('reason')} />
    </CorrectionForm>
  );
}
