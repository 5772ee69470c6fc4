import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { countryName, countryOptions, formatDate, formatDateTime, formatNumber, label, languageName, languageOptions, mxStates, options, today } from '../ui/format.ts';
import { Link, navigate, paths, useLocation } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { Alert, CheckboxGroup, Empty, FormError, LoadError, Loading, PageTitle, Pager, SelectField, TextArea, TextField, useAnnounce, useForm, useLang, type Errors } from '../ui/index.tsx';
import { ExplanationTable } from './MissingReview.tsx';

/**
 * The officers' screens of the search for missing persons (docs/missing.md): the institution's reports
 * and found records by state and date, the two forms, and each record's page (messages with the
 * family, history, status). The review of matches is in MissingReview.tsx.
 */

type ListItem = { id: string; folio: string; name: string; sex: string; status: string; state: string | null; date: string | null; open_candidates: number };
type ListPage = { items: ListItem[]; total: number; limit: number; offset: number; by_state: { state: string | null; count: number }[] };

const PAGE_SIZE = 25;
const stateName = (code: string | null | undefined) => mxStates.find(([c]) => c === code)?.[1] ?? code ?? '';
const filterKeys = ['tab', 'status', 'state', 'from', 'to', 'q'] as const;
type Filters = Record<(typeof filterKeys)[number], string>;

export function MissingStatus({ status }: { status: string }) {
  const { t } = useTranslation(['missing']);
  return <span className={`badge badge--missing-${status}`}>{t(`missing:status.${status}`, { defaultValue: status })}</span>;
}

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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...draft, tab: applied.tab });
  };
  const rangeError = draft.from && draft.to && draft.from > draft.to ? t('validation.rangeOrder') : undefined;
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
      <form className="filters card" onSubmit={submit} role="search" aria-label={t('missing:list.filters')}>
        <div className="filters__grid">
          <TextField id="missing-q" label={t('missing:list.q')} value={draft.q} onChange={setField('q')} />
          <SelectField id="missing-status" label={t('missing:list.status')} value={draft.status} onChange={setField('status')} placeholder={t('common.all')} options={statuses.map((s) => [s, t(`missing:status.${s}`)])} />
          <SelectField id="missing-state" label={t('missing:list.state')} value={draft.state} onChange={setField('state')} placeholder={t('common.all')} options={mxStates} />
          <TextField id="missing-from" type="date" label={t('missing:list.from')} value={draft.from} onChange={setField('from')} />
          <TextField id="missing-to" type="date" label={t('missing:list.to')} value={draft.to} onChange={setField('to')} error={rangeError} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={!!rangeError}>
            {t('missing:list.apply')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => go({ tab: applied.tab, status: '', state: '', from: '', to: '', q: '' })}>
            {t('missing:list.clear')}
          </button>
        </div>
      </form>
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
            <p className="result-count" role="status">
              {data.total === 0 ? t('missing:list.none') : t('missing:list.showing', { total: formatNumber(data.total, lang) })}
            </p>
            {data.items.length === 0 ? (
              <Empty>{t('missing:list.none')}</Empty>
            ) : (
              <div className="table-wrap">
                <table className="table table--responsive">
                  <caption className="visually-hidden">{found ? t('missing:list.found') : t('missing:list.reports')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('missing:field.folio')}</th>
                      <th scope="col">{t('missing:field.givenNames')}</th>
                      <th scope="col">{t('missing:field.sex')}</th>
                      <th scope="col">{t('missing:field.status')}</th>
                      <th scope="col">{t('missing:list.state')}</th>
                      <th scope="col">{found ? t('missing:list.dateFound') : t('missing:list.dateReports')}</th>
                      <th scope="col" className="num">
                        {t('missing:list.openCandidates')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((r) => (
                      <tr key={r.id}>
                        <th scope="row" data-label={t('missing:field.folio')}>
                          <Link href={found ? paths.missingFound(r.id) : paths.missingReport(r.id)}>{r.folio}</Link>
                        </th>
                        <td data-label={t('missing:field.givenNames')}>{r.name || <span className="muted">{t('missing:list.noName')}</span>}</td>
                        <td data-label={t('missing:field.sex')}>{label('sexes', r.sex, lang)}</td>
                        <td data-label={t('missing:field.status')}>
                          <MissingStatus status={r.status} />
                        </td>
                        <td data-label={t('missing:list.state')}>{stateName(r.state)}</td>
                        <td data-label={found ? t('missing:list.dateFound') : t('missing:list.dateReports')}>{formatDate(r.date, lang)}</td>
                        <td data-label={t('missing:list.openCandidates')} className="num">
                          {formatNumber(r.open_candidates, lang)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager offset={offset} pageSize={PAGE_SIZE} total={data.total} go={(next) => go(applied, next)} />
          </section>
        </div>
      )}
    </>
  );
}

// ---- Forms ----

const describedInitial = {
  given_names: '',
  surname1: '',
  surname2: '',
  other_names: '',
  sex: '',
  date_of_birth: '',
  age_min: '',
  age_max: '',
  nationalities: [] as string[],
  languages: [] as string[],
  height_min_cm: '',
  height_max_cm: '',
  build: '',
  hair: '',
  eyes: '',
  marks: '',
  clothing: '',
};
type Described = typeof describedInitial;

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u;

function validateDescribed(v: Described, t: (k: string, o?: Record<string, unknown>) => string, nameRequired: boolean): Errors {
  const number = (value: string, min: number, max: number) => (value && !(Number.isInteger(Number(value)) && Number(value) >= min && Number(value) <= max) ? t('missing:form.number', { min, max }) : undefined);
  const name = (value: string) => (value && !NAME.test(value.trim()) ? t('validation.name') : undefined);
  const errors: Errors = {
    given_names: name(v.given_names) ?? (nameRequired && !v.given_names.trim() && !v.surname1.trim() && !v.surname2.trim() ? t('missing:form.nameRequired') : undefined),
    surname1: name(v.surname1),
    surname2: name(v.surname2),
    sex: v.sex ? undefined : t('validation.required'),
    date_of_birth: v.date_of_birth && v.date_of_birth > today() ? t('validation.dateInFuture') : undefined,
    age_min: number(v.age_min, 0, 120) ?? (v.date_of_birth && (v.age_min || v.age_max) ? t('missing:form.ageOrBirth') : undefined),
    age_max: number(v.age_max, 0, 120) ?? (v.age_min && v.age_max && Number(v.age_min) > Number(v.age_max) ? t('missing:form.rangeOrder') : undefined),
    height_min_cm: number(v.height_min_cm, 40, 230),
    height_max_cm: number(v.height_max_cm, 40, 230) ?? (v.height_min_cm && v.height_max_cm && Number(v.height_min_cm) > Number(v.height_max_cm) ? t('missing:form.rangeOrder') : undefined),
  };
  return errors;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const intOrNull = (s: string) => (s.trim() ? Number(s) : null);

function describedBody(v: Described) {
  return {
    given_names: orNull(v.given_names),
    surname1: orNull(v.surname1),
    surname2: orNull(v.surname2),
    other_names: v.other_names.split(',').map((s) => s.trim()).filter(Boolean),
    sex: v.sex,
    date_of_birth: orNull(v.date_of_birth),
    age_min: intOrNull(v.age_min),
    age_max: intOrNull(v.age_max),
    nationalities: v.nationalities,
    languages: v.languages,
    height_min_cm: intOrNull(v.height_min_cm),
    height_max_cm: intOrNull(v.height_max_cm),
    build: orNull(v.build),
    hair: orNull(v.hair),
    eyes: orNull(v.eyes),
    marks: orNull(v.marks),
    clothing: orNull(v.clothing),
  };
}

type FormApi<T extends Record<string, unknown>> = ReturnType<typeof useForm<T>>;

/** The person described: shared by the report and the found-record forms. */
function DescribedFields<T extends Described & Record<string, unknown>>({ form, scope, clothingLabel }: { form: FormApi<T>; scope: string; clothingLabel: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const bind = (name: keyof Described & string) => ({ id: `${scope}-${name}`, ...form.text(name) });
  const nationalities = countryOptions(lang);
  const chosen = form.values.nationalities as string[];
  // Up to two nationalities, as on the person form: the first select, then a second one (never the same).
  const setNationality = (index: 0 | 1, value: string) => {
    const next = index === 0 ? [value, chosen[1] ?? ''] : [chosen[0] ?? '', value];
    form.set('nationalities', next.filter((c, i) => c && next.indexOf(c) === i) as T['nationalities']);
  };
  return (
    <>
      <fieldset className="form-section">
        <legend>{t('missing:form.personSection')}</legend>
        <div className="grid-2">
          <TextField label={t('missing:field.givenNames')} autoComplete="off" {...bind('given_names')} />
          <TextField label={t('missing:field.surname1')} autoComplete="off" {...bind('surname1')} />
          <TextField label={t('missing:field.surname2')} autoComplete="off" {...bind('surname2')} />
          <TextField label={t('missing:field.otherNames')} autoComplete="off" {...bind('other_names')} />
          <SelectField label={t('missing:field.sex')} required placeholder={t('common.choose')} options={options('sexes', lang)} {...bind('sex')} />
          <TextField type="date" label={t('missing:field.dateOfBirth')} {...bind('date_of_birth')} />
          <TextField inputMode="numeric" label={t('missing:field.ageMin')} {...bind('age_min')} />
          <TextField inputMode="numeric" label={t('missing:field.ageMax')} {...bind('age_max')} />
          <SelectField
            id={`${scope}-nationality`}
            name="nationalities"
            label={t('missing:field.nationality')}
            placeholder={t('common.notStated')}
            options={nationalities}
            value={chosen[0] ?? ''}
            onChange={(value) => setNationality(0, value)}
          />
          <SelectField
            id={`${scope}-nationality2`}
            label={t('missing:field.secondNationality')}
            placeholder={t('common.none')}
            options={nationalities.filter(([code]) => code !== chosen[0])}
            value={chosen[1] ?? ''}
            onChange={(value) => setNationality(1, value)}
          />
        </div>
        <CheckboxGroup
          id={`${scope}-languages`}
          name="languages"
          legend={t('missing:field.languages')}
          options={languageOptions(lang)}
          value={form.values.languages as string[]}
          onChange={(list) => form.set('languages', list as T['languages'])}
        />
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('missing:form.descriptionSection')}</legend>
        <div className="grid-2">
          <TextField inputMode="numeric" label={t('missing:field.heightMin')} {...bind('height_min_cm')} />
          <TextField inputMode="numeric" label={t('missing:field.heightMax')} {...bind('height_max_cm')} />
          <TextField label={t('missing:field.build')} {...bind('build')} />
          <TextField label={t('missing:field.hair')} {...bind('hair')} />
          <TextField label={t('missing:field.eyes')} {...bind('eyes')} />
        </div>
        <TextArea label={t('missing:field.marks')} rows={3} {...bind('marks')} />
        <TextArea label={clothingLabel} rows={2} {...bind('clothing')} />
      </fieldset>
    </>
  );
}

const reportInitial = {
  ...describedInitial,
  channel: 'in_person',
  dental_notes: '',
  last_seen_on: '',
  last_seen_country: 'MEX',
  last_seen_state: '',
  last_seen_place: '',
  route: '',
  circumstance: '',
  reporter_name: '',
  reporter_relationship: '',
  reporter_phone: '',
  reporter_email: '',
  reporter_country: '',
  dna_reference_taken: '',
  dna_custodian: '',
};

export function MissingReportForm() {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const announce = useAnnounce();
  const [created, setCreated] = useState<{ id: string; folio: string; receipt: string } | null>(null);
  const form = useForm(reportInitial, (v) => ({
    ...validateDescribed(v, t, true),
    last_seen_on: v.last_seen_on && v.last_seen_on > today() ? t('validation.dateInFuture') : undefined,
    reporter_name: v.reporter_name.trim() ? undefined : t('validation.required'),
    reporter_relationship: v.reporter_relationship ? undefined : t('validation.required'),
    reporter_email: v.reporter_email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.reporter_email) ? t('validation.email') : undefined,
    dna_custodian: v.dna_reference_taken === 'yes' && !v.dna_custodian.trim() ? t('missing:form.custodianRequired') : undefined,
  }));
  const bind = (name: keyof typeof reportInitial & string) => ({ id: `rep-${name}`, ...form.text(name) });
  const v = form.values;

  const save = (e: FormEvent) => {
    e.preventDefault();
    void form.submit(async (values) => {
      const contact = { ...(values.reporter_phone.trim() ? { phone: values.reporter_phone.trim() } : {}), ...(values.reporter_email.trim() ? { email: values.reporter_email.trim() } : {}) };
      const res = await api.post<{ report: { id: string }; folio: string; receipt: string }>('/api/v1/missing/reports', {
        ...describedBody(values),
        channel: values.channel,
        dental_notes: orNull(values.dental_notes),
        last_seen_on: orNull(values.last_seen_on),
        last_seen_country: orNull(values.last_seen_country),
        last_seen_state: orNull(values.last_seen_state),
        last_seen_place: orNull(values.last_seen_place),
        route: orNull(values.route),
        circumstance: orNull(values.circumstance),
        reporter: { name: values.reporter_name.trim(), relationship: values.reporter_relationship, contact: Object.keys(contact).length ? contact : null, country: orNull(values.reporter_country) },
        dna_reference_taken: values.dna_reference_taken === 'yes',
        dna_custodian: values.dna_reference_taken === 'yes' ? orNull(values.dna_custodian) : null,
      });
      setCreated({ id: res.report.id, folio: res.folio, receipt: res.receipt });
      announce(t('missing:form.savedReport'));
    });
  };

  if (created) return <ReportReceipt created={created} onAnother={() => { form.reset(); setCreated(null); }} />;

  return (
    <>
      <PageTitle lead={t('missing:form.reportLead')}>{t('missing:form.reportTitle')}</PageTitle>
      <form className="card form" onSubmit={save} noValidate>
        <p className="hint">{t('form.requiredNote')}</p>
        <FormError message={form.formError} errors={form.shown} />
        <SelectField label={t('missing:field.channel')} required options={(['in_person', 'phone', 'consulate'] as const).map((c) => [c, t(`missing:channel.${c}`)])} {...bind('channel')} />
        <DescribedFields form={form} scope="rep" clothingLabel={t('missing:field.clothingLastWorn')} />
        <TextArea label={t('missing:field.dental')} rows={2} {...bind('dental_notes')} />
        <fieldset className="form-section">
          <legend>{t('missing:form.lastSeenSection')}</legend>
          <div className="grid-2">
            <TextField type="date" label={t('missing:field.lastSeenOn')} {...bind('last_seen_on')} />
            <SelectField label={t('missing:field.lastSeenCountry')} placeholder={t('common.notStated')} options={countryOptions(lang)} {...bind('last_seen_country')} />
            <SelectField label={t('missing:field.lastSeenState')} placeholder={t('common.notStated')} options={mxStates} {...bind('last_seen_state')} />
            <TextField label={t('missing:field.lastSeenPlace')} {...bind('last_seen_place')} />
          </div>
          <TextField label={t('missing:field.route')} {...bind('route')} />
          <TextArea label={t('missing:field.circumstance')} rows={3} {...bind('circumstance')} />
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('missing:form.reporterSection')}</legend>
          <div className="grid-2">
            <TextField label={t('missing:field.reporterName')} required autoComplete="off" {...bind('reporter_name')} />
            <SelectField label={t('missing:field.reporterRelationship')} required placeholder={t('common.choose')} options={Object.keys(reportRelationships).map((k) => [k, t(`missing:relationship.${k}`)])} {...bind('reporter_relationship')} />
            <TextField type="tel" label={t('missing:field.reporterPhone')} autoComplete="off" {...bind('reporter_phone')} />
            <TextField type="email" label={t('missing:field.reporterEmail')} autoComplete="off" {...bind('reporter_email')} />
            <SelectField label={t('missing:field.reporterCountry')} placeholder={t('common.notStated')} options={countryOptions(lang)} {...bind('reporter_country')} />
          </div>
          <CheckboxGroup id="rep-dna" name="dna_reference_taken" legend={t('missing:field.dnaTaken')} columns={false} options={[['yes', t('missing:field.dnaTaken')]]} value={v.dna_reference_taken ? ['yes'] : []} onChange={(list) => form.set('dna_reference_taken', list.includes('yes') ? 'yes' : '')} />
          {v.dna_reference_taken === 'yes' && <TextField label={t('missing:field.dnaCustodian')} required {...bind('dna_custodian')} />}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={form.busy}>
            {form.busy ? t('common.working') : t('missing:form.save')}
          </button>
        </div>
      </form>
    </>
  );
}

const reportRelationships = { mother: 1, father: 1, child: 1, sibling: 1, spouse: 1, partner: 1, grandparent: 1, other_relative: 1, friend: 1, other: 1 };

const groupDigits = (receipt: string) => receipt.replace(/(\d{4})(?=\d)/g, '$1 ');

function ReportReceipt({ created, onAnother }: { created: { id: string; folio: string; receipt: string }; onAnother: () => void }) {
  const { t } = useTranslation(['missing']);
  return (
    <>
      <PageTitle>{t('missing:form.savedReport')}</PageTitle>
      <section className="card receipt-box" aria-labelledby="receipt-title">
        <h2 id="receipt-title">{t('missing:form.receiptTitle')}</h2>
        <Alert kind="warning">
          <p>{t('missing:form.receiptLead', { url: `${window.location.origin}/familias/busqueda/seguimiento` })}</p>
        </Alert>
        <dl className="code-boxes">
          <div className="code-box">
            <dt>{t('missing:form.folio')}</dt>
            <dd data-testid="missing-folio">{created.folio}</dd>
          </div>
          <div className="code-box code-box--secret">
            <dt>{t('missing:form.receipt')}</dt>
            <dd data-testid="missing-receipt">{groupDigits(created.receipt)}</dd>
          </div>
        </dl>
        <div className="form-actions">
          <button type="button" className="button button--secondary" onClick={() => window.print()}>
            {t('missing:form.print')}
          </button>
          <Link className="button button--primary" href={paths.missingReport(created.id)}>
            {t('missing:form.openReport')}
          </Link>
          <button type="button" className="button button--secondary" onClick={onAnother}>
            {t('missing:form.another')}
          </button>
        </div>
      </section>
    </>
  );
}

const foundInitial = {
  ...describedInitial,
  condition: '',
  situation: '',
  effects: '',
  found_on: '',
  found_state: '',
  found_place: '',
  death_from: '',
  death_to: '',
  custodian_name: '',
  custodian_file_number: '',
  notes: '',
};

export function MissingFoundForm() {
  const { t } = useTranslation(['missing']);
  const announce = useAnnounce();
  const form = useForm(foundInitial, (v) => ({
    ...validateDescribed(v, t, false),
    condition: v.condition ? undefined : t('validation.required'),
    situation: v.situation ? undefined : t('validation.required'),
    found_on: !v.found_on ? t('validation.required') : v.found_on > today() ? t('validation.dateInFuture') : undefined,
    death_to: v.death_from && v.death_to && v.death_from > v.death_to ? t('missing:form.rangeOrder') : undefined,
  }));
  const bind = (name: keyof typeof foundInitial & string) => ({ id: `fnd-${name}`, ...form.text(name) });
  const deceased = form.values.condition === 'deceased';
  const save = (e: FormEvent) => {
    e.preventDefault();
    void form.submit(async (values) => {
      const res = await api.post<{ id: string }>('/api/v1/missing/found', {
        ...describedBody(values),
        condition: values.condition,
        situation: values.situation,
        effects: orNull(values.effects),
        found_on: values.found_on,
        found_state: orNull(values.found_state),
        found_place: orNull(values.found_place),
        death_from: deceased ? orNull(values.death_from) : null,
        death_to: deceased ? orNull(values.death_to) : null,
        custodian_name: orNull(values.custodian_name),
        custodian_file_number: orNull(values.custodian_file_number),
        notes: orNull(values.notes),
      });
      announce(t('missing:form.savedFound'));
      navigate(paths.missingFound(res.id));
    });
  };
  return (
    <>
      <PageTitle lead={t('missing:form.foundLead')}>{t('missing:form.foundTitle')}</PageTitle>
      <form className="card form" onSubmit={save} noValidate>
        <p className="hint">{t('form.requiredNote')}</p>
        <FormError message={form.formError} errors={form.shown} />
        <div className="grid-2">
          <SelectField label={t('missing:field.condition')} required placeholder={t('common.choose')} options={(['alive', 'deceased'] as const).map((c) => [c, t(`missing:condition.${c}`)])} {...bind('condition')} />
          <SelectField label={t('missing:field.situation')} required placeholder={t('common.choose')} options={(['rescued', 'shelter', 'hospital', 'migration_station', 'remains', 'other'] as const).map((c) => [c, t(`missing:situation.${c}`)])} {...bind('situation')} />
        </div>
        <DescribedFields form={form} scope="fnd" clothingLabel={t('missing:field.clothing')} />
        <TextArea label={t('missing:field.effects')} rows={2} {...bind('effects')} />
        <fieldset className="form-section">
          <legend>{t('missing:form.foundSection')}</legend>
          <div className="grid-2">
            <TextField type="date" label={t('missing:field.foundOn')} required {...bind('found_on')} />
            <SelectField label={t('missing:field.foundState')} placeholder={t('common.notStated')} options={mxStates} {...bind('found_state')} />
            <TextField label={t('missing:field.foundPlace')} {...bind('found_place')} />
            {deceased && <TextField type="date" label={t('missing:field.deathFrom')} {...bind('death_from')} />}
            {deceased && <TextField type="date" label={t('missing:field.deathTo')} {...bind('death_to')} />}
            <TextField label={t('missing:field.custodian')} {...bind('custodian_name')} />
            <TextField label={t('missing:field.custodianFile')} {...bind('custodian_file_number')} />
          </div>
          <TextArea label={t('missing:field.notes')} rows={3} {...bind('notes')} />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={form.busy}>
            {form.busy ? t('common.working') : t('missing:form.save')}
          </button>
        </div>
      </form>
    </>
  );
}

// ---- Record pages ----

type Event = { kind: string; detail: Record<string, unknown>; at: string };
type DescribedView = {
  id: string;
  folio: string;
  given_names: string | null;
  surname1: string | null;
  surname2: string | null;
  other_names: string[];
  sex: string;
  date_of_birth: string | null;
  age_min: number | null;
  age_max: number | null;
  nationalities: string[];
  languages: string[];
  height_min_cm: number | null;
  height_max_cm: number | null;
  build: string | null;
  hair: string | null;
  eyes: string | null;
  marks: string | null;
  clothing: string | null;
  status: string;
  events?: Event[];
};
export type ReportView = DescribedView & {
  channel: string;
  age_on: string | null;
  dental_notes?: string | null;
  last_seen_on: string | null;
  last_seen_country: string | null;
  last_seen_state: string | null;
  last_seen_place: string | null;
  route: string | null;
  circumstance?: string | null;
  reporter: { name?: string | null; relationship: string | null; contact?: Record<string, string> | null; country: string | null };
  dna_reference_taken: boolean;
  dna_custodian: string | null;
  located_found_id: string | null;
  messages?: { id: string; author: 'officer' | 'family'; body: string; at: string }[];
};
export type FoundView = DescribedView & {
  condition: string;
  situation: string;
  effects: string | null;
  found_on: string;
  found_state: string | null;
  found_place: string | null;
  death_from: string | null;
  death_to: string | null;
  custodian_name: string | null;
  custodian_file_number: string | null;
  notes?: string | null;
  identified_report_id: string | null;
};

export const fullName = (r: { given_names: string | null; surname1: string | null; surname2: string | null }) => [r.given_names, r.surname1, r.surname2].filter(Boolean).join(' ');
const range = (a: number | null, b: number | null, unit = '') => (a == null && b == null ? null : a === b || b == null ? `${a}${unit}` : a == null ? `${b}${unit}` : `${a}–${b}${unit}`);

/** Rows of the person described, for a record page or one column of the comparison. */
export function describedRows(r: DescribedView, t: (k: string) => string, lang: 'es' | 'en'): [string, ReactNode][] {
  return [
    [t('missing:field.givenNames'), fullName(r) || t('missing:list.noName')],
    [t('missing:field.otherNames'), r.other_names.join(', ') || null],
    [t('missing:field.sex'), label('sexes', r.sex, lang)],
    [t('missing:field.dateOfBirth'), r.date_of_birth ? formatDate(r.date_of_birth, lang) : null],
    [t('missing:field.age'), range(r.age_min, r.age_max)],
    [t('missing:field.nationality'), r.nationalities.map((c) => countryName(c, lang)).join(', ') || null],
    [t('missing:field.languages'), r.languages.map((c) => languageName(c, lang)).join(', ') || null],
    [t('missing:field.height'), range(r.height_min_cm, r.height_max_cm, ' cm')],
    [t('missing:field.build'), r.build],
    [t('missing:field.hair'), r.hair],
    [t('missing:field.eyes'), r.eyes],
    [t('missing:field.marks'), r.marks],
    [t('missing:field.clothing'), r.clothing],
  ];
}

export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const { t } = useTranslation(['missing']);
  return (
    <dl className="details details--inline">
      {rows.map(([k, value]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{value ?? <span className="muted">{t('common.noneRecorded')}</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

/** An event of a record's history in words (the kinds written by missing.service.ts and review.service.ts). */
function eventText(e: Event, t: (k: string, o?: Record<string, unknown>) => string): string {
  const d = e.detail ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const folio = str('found_folio') || str('report_folio');
  switch (e.kind) {
    case 'report.created':
      return t('missing:event.report_created', { channel: t(`missing:channel.${str('channel')}`, { defaultValue: str('channel') }) });
    case 'found.created':
      return t('missing:event.found_created', { condition: t(`missing:condition.${str('condition')}`, { defaultValue: str('condition') }) });
    case 'message.sent':
      return t('missing:event.message_sent');
    case 'message.received':
      return t('missing:event.message_received');
    case 'status.changed':
      return t('missing:event.status_changed', { from: t(`missing:status.${str('from')}`, { defaultValue: str('from') }), to: t(`missing:status.${str('to')}`, { defaultValue: str('to') }) });
    case 'candidate.rejected':
      return d.person ? t('missing:event.candidate_rejected_person') : t('missing:event.candidate_rejected', { folio });
    case 'located':
      return d.person_id ? t('missing:event.located_person', { status: t(`missing:status.${str('status')}`) }) : t('missing:event.located', { status: t(`missing:status.${str('status')}`), folio });
    case 'identified':
      return t('missing:event.identified', { folio });
    default:
      return e.kind;
  }
}

function History({ events }: { events: Event[] }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  return (
    <section aria-labelledby="history" className="section">
      <h2 id="history">{t('missing:field.events')}</h2>
      <ol className="timeline">
        {events.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time> · {eventText(e, t)}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Located alive: found record H-…" from the report's last 'located' event (the found record may be another institution's). */
function locatedText(data: ReportView, t: (k: string, o?: Record<string, unknown>) => string): string {
  const located = [...(data.events ?? [])].reverse().find((e) => e.kind === 'located');
  const folio = typeof located?.detail?.found_folio === 'string' ? located.detail.found_folio : null;
  const status = t(`missing:status.${data.status}`);
  return folio ? t('missing:record.located', { status, folio }) : located?.detail?.person_id ? t('missing:event.located_person', { status }) : status;
}

export function MissingReportPage({ id }: { id: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const announce = useAnnounce();
  const { session } = useSession();
  const can = useCan();
  const { data, error, isPending, refetch } = useApi<ReportView>(`/api/v1/missing/reports/${id}`);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  if (isPending) return <Loading />;
  if (error || !data) return <LoadError error={error} retry={() => void refetch()} />;
  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setActionError(null);
    try {
      await run();
      announce(done);
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle lead={<MissingStatus status={data.status} />}>{t('missing:record.reportTitle', { folio: data.folio })}</PageTitle>
      <FormError message={actionError} />
      {data.status.startsWith('located_') && <Alert kind="success">{locatedText(data, t)}</Alert>}
      <div className="grid-2">
        <section className="card" aria-labelledby="person">
          <h2 id="person">{t('missing:form.personSection')}</h2>
          <Facts rows={[...describedRows(data, t, lang), [t('missing:field.dental'), data.dental_notes ?? null]]} />
        </section>
        <section className="card" aria-labelledby="last-seen">
          <h2 id="last-seen">{t('missing:field.lastSeen')}</h2>
          <Facts
            rows={[
              [t('missing:field.lastSeenOn'), data.last_seen_on ? formatDate(data.last_seen_on, lang) : null],
              [t('missing:field.lastSeenCountry'), data.last_seen_country ? countryName(data.last_seen_country, lang) : null],
              [t('missing:field.lastSeenState'), stateName(data.last_seen_state) || null],
              [t('missing:field.lastSeenPlace'), data.last_seen_place],
              [t('missing:field.route'), data.route],
              [t('missing:field.circumstance'), data.circumstance ?? null],
            ]}
          />
          <h2>{t('missing:field.reporter')}</h2>
          <Facts
            rows={[
              [t('missing:field.reporterName'), data.reporter.name ?? null],
              [t('missing:field.reporterRelationship'), data.reporter.relationship ? t(`missing:relationship.${data.reporter.relationship}`) : null],
              [t('missing:field.reporterPhone'), data.reporter.contact?.phone ?? null],
              [t('missing:field.reporterEmail'), data.reporter.contact?.email ?? null],
              [t('missing:field.reporterCountry'), data.reporter.country ? countryName(data.reporter.country, lang) : null],
              [t('missing:field.channel'), t(`missing:channel.${data.channel}`)],
              [t('missing:field.dnaTaken'), data.dna_reference_taken ? (data.dna_custodian ?? '✓') : t('missing:record.dnaNo')],
            ]}
          />
        </section>
      </div>
      <section className="card section" aria-labelledby="messages">
        <h2 id="messages">{t('missing:field.messages')}</h2>
        {data.messages?.length ? (
          <ol className="notes">
            {data.messages.map((m) => (
              <li key={m.id} className={`note note--${m.author}`}>
                <p className="note__meta">
                  {m.author === 'family' ? t('missing:record.fromFamily') : t('missing:record.fromOfficer')} · <time dateTime={m.at}>{formatDateTime(m.at, lang)}</time>
                </p>
                <p>{m.body}</p>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">{t('missing:record.noMessages')}</p>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!message.trim()) return;
            void act(() => api.post(`/api/v1/missing/reports/${id}/messages`, { body: message.trim() }), t('missing:record.sent')).then(() => setMessage(''));
          }}
        >
          <TextArea id="family-message" label={t('missing:record.message')} hint={t('missing:record.messageHint')} rows={3} value={message} onChange={setMessage} />
          <button type="submit" className="button button--primary" disabled={busy || !message.trim()}>
            {t('missing:record.send')}
          </button>
        </form>
      </section>
      {can('missing.read') && (data.status === 'active' || data.status === 'closed') && (
        <p>
          <button type="button" className="button button--secondary" disabled={busy} onClick={() => void act(() => api.post(`/api/v1/missing/reports/${id}/status`, { status: data.status === 'active' ? 'closed' : 'active' }), data.status === 'active' ? t('missing:record.closed') : t('missing:record.reopened'))}>
            {data.status === 'active' ? t('missing:record.close') : t('missing:record.reopen')}
          </button>
        </p>
      )}
      {can('cases.read') && <PersonCandidates reportId={id} />}
      {data.events && <History events={data.events} />}
    </>
  );
}

type PersonCandidate = { id: string; status: string; probability: number; explanation: { field: string; level: string; weight: number; detail?: string }[]; person: { id: string; name: string; sex: string; date_of_birth: string | null; nationalities: string[] } };

/** Supervisors and the caseworker who opened the report: people of the institution's case files who may be the person. */
function PersonCandidates({ reportId }: { reportId: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const announce = useAnnounce();
  // A refusal here only means there is nothing to propose to this user.
  const { data } = useApi<{ items: PersonCandidate[] }>(`/api/v1/missing/reports/${reportId}/person-candidates`);
  if (!data?.items.length) return null;
  const review = async (id: string, decision: 'confirm' | 'reject') => {
    await api.post(`/api/v1/missing/person-candidates/${id}/review`, { decision });
    announce(decision === 'confirm' ? t('missing:review.confirmed', { status: t('missing:status.located_alive') }) : t('missing:review.rejected'));

  };
  return (
    <section className="card section" aria-labelledby="person-candidates">
      <h2 id="person-candidates">{t('missing:record.personCandidates')}</h2>
      {data.items.map((c) => (
        <article key={c.id} className="candidate">
          <h3>
            <Link href={paths.person(c.person.id)}>{c.person.name}</Link> · {formatNumber(Math.round(c.probability * 100), lang)} % · <MissingStatus status={c.status} />
          </h3>
          <ExplanationTable explanation={c.explanation} caption={t('missing:review.explanation')} />
          {c.status === 'proposed' && (
            <p>
              <button type="button" className="button button--primary" onClick={() => void review(c.id, 'confirm')}>
                {t('missing:record.confirm')}
              </button>{' '}
              <button type="button" className="button button--secondary" onClick={() => void review(c.id, 'reject')}>
                {t('missing:record.reject')}
              </button>
            </p>
          )}
        </article>
      ))}
    </section>
  );
}

const identifiedFolio = (data: FoundView): string | null => {
  if (!data.identified_report_id) return null;
  const event = [...(data.events ?? [])].reverse().find((e) => e.kind === 'identified');
  return typeof event?.detail?.report_folio === 'string' ? event.detail.report_folio : null;
};

export function MissingFoundPage({ id }: { id: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const { data, error, isPending, refetch } = useApi<FoundView>(`/api/v1/missing/found/${id}`);
  if (isPending) return <Loading />;
  if (error || !data) return <LoadError error={error} retry={() => void refetch()} />;
  return (
    <>
      <PageTitle lead={<MissingStatus status={data.status} />}>{t('missing:record.foundTitle', { folio: data.folio })}</PageTitle>
      {identifiedFolio(data) && <Alert kind="success">{t('missing:record.identifiedAs', { folio: identifiedFolio(data) })}</Alert>}
      <div className="grid-2">
        <section className="card" aria-labelledby="person">
          <h2 id="person">{t('missing:form.personSection')}</h2>
          <Facts rows={[[t('missing:field.condition'), t(`missing:condition.${data.condition}`)], [t('missing:field.situation'), t(`missing:situation.${data.situation}`)], ...describedRows(data, t, lang), [t('missing:field.effects'), data.effects]]} />
        </section>
        <section className="card" aria-labelledby="found">
          <h2 id="found">{t('missing:field.found')}</h2>
          <Facts
            rows={[
              [t('missing:field.foundOn'), formatDate(data.found_on, lang)],
              [t('missing:field.foundState'), stateName(data.found_state) || null],
              [t('missing:field.foundPlace'), data.found_place],
              [t('missing:field.deathFrom'), data.death_from ? formatDate(data.death_from, lang) : null],
              [t('missing:field.deathTo'), data.death_to ? formatDate(data.death_to, lang) : null],
              [t('missing:field.custodian'), data.custodian_name],
              [t('missing:field.custodianFile'), data.custodian_file_number],
              [t('missing:field.notes'), data.notes ?? null],
            ]}
          />
        </section>
      </div>
      {data.events && <History events={data.events} />}
    </>
  );
}
