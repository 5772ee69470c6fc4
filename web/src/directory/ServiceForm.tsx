import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { navigate, paths } from '../app/router.tsx';
import { mxStates } from '../ui/format.ts';
import { CheckboxGroup, FormError, LoadError, Loading, PageTitle, SelectField, TextArea, TextField, useForm, useLang } from '../ui/index.tsx';
import type { Entry, Vocabularies } from './types.ts';

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

type Values = {
  name: string;
  description: string;
  categories: string[];
  address_1: string;
  state_code: string;
  municipality_code: string;
  postal_code: string;
  transportation: string;
  days: string[];
  opens_at: string;
  closes_at: string;
  phone: string;
  languages: string[];
  minimum_age: string;
  maximum_age: string;
  documents: string;
  free: string;
  fees_description: string;
  application_process: string;
  capacity_maximum: string;
  capacity_available: string;
};

const empty: Values = { name: '', description: '', categories: [], address_1: '', state_code: '', municipality_code: '', postal_code: '', transportation: '', days: [], opens_at: '', closes_at: '', phone: '', languages: ['spa'], minimum_age: '', maximum_age: '', documents: '', free: 'yes', fees_description: '', application_process: '', capacity_maximum: '', capacity_available: '' };

export function valuesOf(e: Entry): Values {
  const schedule = e.schedules[0];
  return {
    name: e.name,
    description: e.description,
    categories: e.categories,
    address_1: e.location.address_1,
    state_code: e.location.state_code,
    municipality_code: e.location.municipality_code ?? '',
    postal_code: e.location.postal_code,
    transportation: e.location.transportation ?? '',
    days: schedule?.days ?? [],
    opens_at: schedule?.opens_at ?? '',
    closes_at: schedule?.closes_at ?? '',
    phone: e.phones[0]?.number ?? '',
    languages: e.languages,
    minimum_age: e.minimum_age?.toString() ?? '',
    maximum_age: e.maximum_age?.toString() ?? '',
    documents: e.required_documents.join('\n'),
    free: e.free ? 'yes' : 'no',
    fees_description: e.fees_description ?? '',
    application_process: e.application_process ?? '',
    capacity_maximum: e.capacity_maximum?.toString() ?? '',
    capacity_available: e.capacity_available?.toString() ?? '',
  };
}

/** The body the API takes, from the form: empty fields left out. */
function bodyOf(v: Values) {
  const number = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const text = (s: string) => (s.trim() === '' ? undefined : s.trim());
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    categories: v.categories,
    location: { address_1: v.address_1.trim(), state_code: v.state_code, municipality_code: v.municipality_code, postal_code: text(v.postal_code), transportation: text(v.transportation) },
    schedules: v.days.length && v.opens_at && v.closes_at ? [{ days: DAYS.filter((d) => v.days.includes(d)), opens_at: v.opens_at, closes_at: v.closes_at }] : [],
    phones: v.phone.trim() ? [{ number: v.phone.trim(), type: 'voice' }] : [],
    languages: v.languages,
    minimum_age: number(v.minimum_age),
    maximum_age: number(v.maximum_age),
    required_documents: v.documents.split('\n').map((d) => d.trim()).filter(Boolean),
    free: v.free === 'yes',
    fees_description: text(v.fees_description),
    application_process: text(v.application_process),
    capacity_maximum: number(v.capacity_maximum),
    capacity_available: number(v.capacity_available),
  };
}

export function NewService() {
  const { t } = useTranslation(['directory']);
  return (
    <>
      <PageTitle lead={t('directory:form.lead')}>{t('directory:form.titleNew')}</PageTitle>
      <ServiceForm
        initial={empty}
        onSave={async (body) => {
          const created = await api.post<{ id: string }>('/api/v1/directory/services', body);
          navigate(paths.directoryEntry(created.id));
        }}
        onCancel={() => navigate(paths.directory)}
      />
    </>
  );
}

export function ServiceForm({ initial, onSave, onCancel }: { initial: Values; onSave: (body: ReturnType<typeof bodyOf>) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation(['directory']);
  const lang = useLang();
  const vocab = useApi<Vocabularies>('/api/v1/directory/vocabularies');
  const required = t('ui:validation.required');
  const form = useForm<Values>(initial, (v) => ({
    name: v.name.trim() ? undefined : required,
    description: v.description.trim() ? undefined : required,
    categories: v.categories.length ? undefined : required,
    address_1: v.address_1.trim() ? undefined : required,
    state_code: v.state_code ? undefined : required,
    municipality_code: v.municipality_code ? undefined : required,
    opens_at: v.opens_at && !TIME.test(v.opens_at) ? t('directory:form.timeFormat') : undefined,
    closes_at: v.closes_at && !TIME.test(v.closes_at) ? t('directory:form.timeFormat') : undefined,
  }));
  if (vocab.isPending) return <Loading />;
  if (vocab.error || !vocab.data) return <LoadError error={vocab.error} retry={() => void vocab.refetch()} />;
  const v = vocab.data;
  const byLang = (x: { code: string; es: string; en: string }): [string, string] => [x.code, lang === 'es' ? x.es : x.en];
  const towns: [string, string][] = v.places.filter((p) => p.state === form.values.state_code).map((p) => [p.code, p.name]);
  const statesWithTowns = mxStates.filter(([code]) => v.places.some((p) => p.state === code));
  const list = (name: 'categories' | 'languages' | 'days') => ({ value: form.values[name], onChange: (next: string[]) => form.set(name, next), error: form.errorOf(name), name });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit((values) => onSave(bodyOf(values)));
      }}
    >
      <FormError message={form.formError} errors={form.shown} />
      <fieldset className="form-section">
        <legend>{t('directory:form.what')}</legend>
        <TextField id="dir-name" label={t('directory:form.name')} required {...form.text('name')} />
        <TextArea id="dir-description" label={t('directory:form.description')} required {...form.text('description')} />
        <CheckboxGroup id="dir-categories" legend={t('directory:form.categories')} required options={v.categories.map(byLang)} {...list('categories')} />
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('directory:form.where')}</legend>
        <TextField id="dir-address" label={t('directory:form.address')} required {...form.text('address_1')} />
        <SelectField id="dir-state" label={t('directory:form.stateCode')} required placeholder={t('ui:common.choose')} options={statesWithTowns} {...form.text('state_code')} />
        <SelectField id="dir-municipality" label={t('directory:form.municipality')} required placeholder={t('ui:common.choose')} options={towns} {...form.text('municipality_code')} />
        <TextField id="dir-postal" label={t('directory:form.postalCode')} inputMode="numeric" maxLength={5} {...form.text('postal_code')} />
        <TextArea id="dir-transport" label={t('directory:form.transportation')} hint={t('directory:form.transportationHint')} {...form.text('transportation')} />
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('directory:form.when')}</legend>
        <CheckboxGroup id="dir-days" legend={t('directory:form.days')} options={DAYS.map((d) => [d, t(`directory:days.${d}`)])} {...list('days')} />
        <TextField id="dir-opens" label={t('directory:form.opens')} placeholder="09:00" {...form.text('opens_at')} />
        <TextField id="dir-closes" label={t('directory:form.closes')} placeholder="17:00" {...form.text('closes_at')} />
        <TextField id="dir-phone" type="tel" label={t('directory:form.phone')} {...form.text('phone')} />
        <CheckboxGroup id="dir-languages" legend={t('directory:form.languages')} options={v.languages.map(byLang)} {...list('languages')} />
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('directory:form.who')}</legend>
        <TextField id="dir-min-age" type="number" min={0} max={120} inputMode="numeric" label={t('directory:form.minAge')} {...form.text('minimum_age')} />
        <TextField id="dir-max-age" type="number" min={0} max={120} inputMode="numeric" label={t('directory:form.maxAge')} {...form.text('maximum_age')} />
        <TextArea id="dir-documents" label={t('directory:form.documents')} {...form.text('documents')} />
        <SelectField id="dir-free" label={t('directory:form.free')} options={[['yes', t('directory:form.freeYes')], ['no', t('directory:form.freeNo')]]} {...form.text('free')} />
        <TextField id="dir-fees" label={t('directory:form.fees')} {...form.text('fees_description')} />
        <TextArea id="dir-apply" label={t('directory:form.apply')} {...form.text('application_process')} />
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('directory:form.capacity')}</legend>
        <TextField id="dir-beds" type="number" min={0} inputMode="numeric" label={t('directory:form.capacityMaximum')} {...form.text('capacity_maximum')} />
        <TextField id="dir-free-beds" type="number" min={0} inputMode="numeric" label={t('directory:form.capacityAvailable')} {...form.text('capacity_available')} />
      </fieldset>
      <div className="form-actions form-actions--final">
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {t('directory:form.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('directory:form.cancel')}
        </button>
      </div>
    </form>
  );
}
