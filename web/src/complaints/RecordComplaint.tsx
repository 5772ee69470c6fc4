import { useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type ComplaintReceived } from '../api/client.ts';
import { mxStates, today } from '../ui/format.ts';
import { Alert, FormError, PageTitle, RadioGroup, SelectField, TextArea, TextField, useAnnounce, useFocusAfterRender, useForm, useLang, type Errors, FormSubmit } from '../ui/index.tsx';
import { complaintOptions } from './shared.tsx';
import { ReceivedPanel } from './ReceivedPanel.tsx';

/**
 * An operator records a complaint received by phone or in person (capability `complaints.record`):
 * POST /api/v1/complaints with the same fields as the public form. The answer carries the folio and
 * the secret receipt once; this screen shows them for the operator to read back, and prints the acuse.
 * The receipt lives only in this component's state: it is not stored, put in the address or logged.
 */
type IntakeForm = {
  channel: string;
  language: string;
  kind: string;
  narrative: string;
  occurred_on: string;
  state_code: string;
  municipality: string;
  place_type: string;
  place_description: string;
  authority_type: string;
  authority_name: string;
  official_description: string;
  badge_number: string;
  vehicle_number: string;
  anonymous: string;
  contact_name: string;
  contact_phone: string;
  contact_email: string;
  contact_other: string;
};

const empty: IntakeForm = {
  channel: '',
  language: 'es',
  kind: '',
  narrative: '',
  occurred_on: '',
  state_code: '',
  municipality: '',
  place_type: '',
  place_description: '',
  authority_type: '',
  authority_name: '',
  official_description: '',
  badge_number: '',
  vehicle_number: '',
  anonymous: 'yes',
  contact_name: '',
  contact_phone: '',
  contact_email: '',
  contact_other: '',
};

/** The server's limits (src/complaints/complaint.schema.ts), checked on the trimmed text as the server does. */
const maxLengths: Partial<Record<keyof IntakeForm, number>> = {
  narrative: 20_000,
  municipality: 120,
  place_description: 500,
  authority_name: 200,
  official_description: 1000,
  badge_number: 60,
  vehicle_number: 60,
  contact_name: 200,
  contact_phone: 40,
  contact_email: 254,
  contact_other: 300,
};

/** Fields in the order they appear: the error summary and the focus follow it. */
const fieldOrder = Object.keys(empty) as (keyof IntakeForm)[];
const radioFields: Partial<Record<keyof IntakeForm, string>> = { channel: 'phone', kind: 'grievance', anonymous: 'yes' };
const elementId = (name: keyof IntakeForm) => (radioFields[name] ? `cn-${name}-${radioFields[name]}` : `cn-${name}`);
const optional = (value: string) => (value.trim() ? value.trim() : undefined);

type IntakeFormState = ReturnType<typeof useForm<IntakeForm>>;
type Labels = Record<keyof IntakeForm, string>;
type Translate = ReturnType<typeof useTranslation>['t'];

/** The client-side rules: required choices and text, dates in range, an e-mail's shape, the server's lengths. */
function validateIntake(v: IntakeForm, t: Translate): Errors {
  const e: Errors = {};
  const required = (name: keyof IntakeForm) => {
    if (!v[name].trim()) e[name] = t('validation.required');
  };
  const max = (name: keyof IntakeForm) => {
    const limit = maxLengths[name];
    if (limit && !e[name] && v[name].trim().length > limit) e[name] = t('validation.maxLength', { max: limit });
  };
  for (const name of fieldOrder) {
    if (name === 'channel' || name === 'kind' || name === 'narrative' || name === 'place_type' || name === 'authority_type') required(name);
    if (name === 'occurred_on' && v.occurred_on) {
      if (v.occurred_on > today()) e.occurred_on = t('validation.dateInFuture');
      else if (v.occurred_on < '1990-01-01') e.occurred_on = t('complaints:complaintNew.dateTooOld');
    }
    if (name === 'contact_email' && v.contact_email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.contact_email.trim())) e.contact_email = t('validation.email');
    max(name);
  }
  return e;
}

/** The body of POST /api/v1/complaints: trimmed text, empty fields left out, the name dropped when anonymous. */
function intakeBody(values: IntakeForm) {
  const contact = {
    name: values.anonymous === 'yes' ? undefined : optional(values.contact_name),
    phone: optional(values.contact_phone),
    email: optional(values.contact_email),
    other: optional(values.contact_other),
  };
  return {
    channel: values.channel,
    language: values.language,
    kind: values.kind,
    narrative: values.narrative.trim(),
    occurred_on: values.occurred_on || undefined,
    state_code: values.state_code || undefined,
    municipality: optional(values.municipality),
    place_type: values.place_type,
    place_description: optional(values.place_description),
    authority_type: values.authority_type,
    authority_name: optional(values.authority_name),
    official_description: optional(values.official_description),
    badge_number: optional(values.badge_number),
    vehicle_number: optional(values.vehicle_number),
    anonymous: values.anonymous === 'yes',
    contact: Object.values(contact).some(Boolean) ? contact : undefined,
  };
}

function intakeLabels(t: Translate): Labels {
  return {
    channel: t('complaints:complaintNew.channel'),
    language: t('complaints:complaintNew.language'),
    kind: t('complaints:complaintNew.kind'),
    narrative: t('complaints:complaintNew.narrative'),
    occurred_on: t('complaints:complaintNew.occurredOn'),
    state_code: t('complaints:complaintNew.state'),
    municipality: t('complaints:complaintNew.municipality'),
    place_type: t('complaints:complaintNew.placeType'),
    place_description: t('complaints:complaintNew.placeDescription'),
    authority_type: t('complaints:complaintNew.authorityType'),
    authority_name: t('complaints:complaintNew.authorityName'),
    official_description: t('complaints:complaintNew.officialDescription'),
    badge_number: t('complaints:complaintNew.badgeNumber'),
    vehicle_number: t('complaints:complaintNew.vehicleNumber'),
    anonymous: t('complaints:complaintNew.anonymous'),
    contact_name: t('complaints:complaintNew.contactName'),
    contact_phone: t('complaints:complaintNew.contactPhone'),
    contact_email: t('complaints:complaintNew.contactEmail'),
    contact_other: t('complaints:complaintNew.contactOther'),
  };
}

export function RecordComplaint() {
  const { t } = useTranslation(['complaints']);
  const announce = useAnnounce();
  const [received, setReceived] = useState<ComplaintReceived | null>(null);
  const focusAfterRender = useFocusAfterRender();
  const form = useForm<IntakeForm>(empty, (v) => validateIntake(v, t));
  const labels = intakeLabels(t);

  const save = async (values: IntakeForm) => {
    try {
      const result = await api.post<ComplaintReceived>('/api/v1/complaints', intakeBody(values));
      setReceived(result);
      announce(t('complaints:complaintNew.saved', { folio: result.folio }));
    } catch (error) {
      // The server names nested fields "contact.phone"; the form's fields are "contact_phone".
      if (error instanceof ApiError) throw new ApiError(error.status, error.code, error.message, error.issues.map((i) => ({ ...i, path: i.path.replace(/^contact\./, 'contact_') })));
      throw error;
    }
  };

  const another = () => {
    setReceived(null);
    form.reset(empty);
    focusAfterRender(() => document.querySelector<HTMLElement>('#main h1'));
  };

  const errorItems = form.formError ? fieldOrder.filter((name) => form.errorOf(name)) : [];

  return (
    <>
      <PageTitle lead={t('complaints:complaintNew.lead')}>{t('complaints:complaintNew.title')}</PageTitle>
      {received ? (
        <ReceivedPanel received={received} onAnother={another} />
      ) : (
        <div className="card">
          <form
            id="record-complaint-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void form.submit(save);
            }}
          >
            {form.formError && form.formError !== '__client__' && <FormError message={form.formError} />}
            {errorItems.length > 0 && <ErrorSummary title={t('complaints:complaintNew.errorsTitle')} items={errorItems.map((name) => ({ id: elementId(name), field: name, text: `${labels[name]}: ${form.errorOf(name)}` }))} />}
            <Alert kind="info">
              <p>{t('complaints:complaintNew.privacy')}</p>
            </Alert>
            <p className="hint">{t('form.requiredNote')}</p>
            <ReceptionFields form={form} labels={labels} />
            <FactsFields form={form} labels={labels} />
            <PlaceFields form={form} labels={labels} />
            <AuthorityFields form={form} labels={labels} />
            <ContactFields form={form} labels={labels} />
            <FormSubmit busy={form.busy} working final>
              {t('complaints:complaintNew.submit')}
            </FormSubmit>
          </form>
        </div>
      )}
    </>
  );
}

/** How the complaint came in (phone or in person, language) and what kind it is. */
function ReceptionFields({ form, labels }: { form: IntakeFormState; labels: Labels }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <fieldset className="form-section">
      <legend>{t('complaints:complaintNew.receptionSection')}</legend>
      <div className="grid-2">
        <Choices
          name="channel"
          legend={labels.channel}
          required
          options={complaintOptions('complaintChannels', lang).filter(([key]) => key !== 'web')}
          value={form.values.channel}
          onChange={(x) => form.set('channel', x)}
          onBlur={() => form.touch('channel')}
          error={form.errorOf('channel')}
        />
        <SelectField
          id="cn-language"
          label={labels.language}
          options={[
            ['es', t('complaints:complaintNew.languages.es')],
            ['en', t('complaints:complaintNew.languages.en')],
          ]}
          {...form.text('language')}
        />
      </div>
      <Choices
        name="kind"
        legend={labels.kind}
        hint={t('complaints:complaintNew.kindHint')}
        required
        options={complaintOptions('complaintKinds', lang)}
        value={form.values.kind}
        onChange={(x) => form.set('kind', x)}
        onBlur={() => form.touch('kind')}
        error={form.errorOf('kind')}
      />
    </fieldset>
  );
}

function FactsFields({ form, labels }: { form: IntakeFormState; labels: Labels }) {
  const { t } = useTranslation(['complaints']);
  return (
    <fieldset className="form-section">
      <legend>{t('complaints:complaintNew.factsSection')}</legend>
      <TextArea id="cn-narrative" label={labels.narrative} hint={t('complaints:complaintNew.narrativeHint')} required rows={6} {...form.text('narrative')} />
      <TextField id="cn-occurred_on" type="date" label={labels.occurred_on} hint={t('complaints:complaintNew.occurredOnHint')} min="1990-01-01" max={today()} {...form.text('occurred_on')} />
    </fieldset>
  );
}

function PlaceFields({ form, labels }: { form: IntakeFormState; labels: Labels }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <fieldset className="form-section">
      <legend>{t('complaints:complaintNew.whereSection')}</legend>
      <div className="grid-2">
        <SelectField id="cn-state_code" label={labels.state_code} placeholder={t('complaints:complaintNew.stateNone')} options={mxStates} {...form.text('state_code')} />
        <TextField id="cn-municipality" label={labels.municipality} autoComplete="off" {...form.text('municipality')} />
        <SelectField id="cn-place_type" label={labels.place_type} required placeholder={t('common.choose')} options={complaintOptions('placeTypes', lang)} {...form.text('place_type')} />
        <TextField id="cn-place_description" label={labels.place_description} autoComplete="off" {...form.text('place_description')} />
      </div>
    </fieldset>
  );
}

function AuthorityFields({ form, labels }: { form: IntakeFormState; labels: Labels }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <fieldset className="form-section">
      <legend>{t('complaints:complaintNew.authoritySection')}</legend>
      <div className="grid-2">
        <SelectField id="cn-authority_type" label={labels.authority_type} required placeholder={t('common.choose')} options={complaintOptions('authorityTypes', lang)} {...form.text('authority_type')} />
        <TextField id="cn-authority_name" label={labels.authority_name} autoComplete="off" {...form.text('authority_name')} />
      </div>
      <TextArea id="cn-official_description" label={labels.official_description} rows={3} {...form.text('official_description')} />
      <div className="grid-2">
        <TextField id="cn-badge_number" label={labels.badge_number} autoComplete="off" {...form.text('badge_number')} />
        <TextField id="cn-vehicle_number" label={labels.vehicle_number} autoComplete="off" {...form.text('vehicle_number')} />
      </div>
    </fieldset>
  );
}

/** Anonymous or not, and how to reach the complainant (the name only when not anonymous). */
function ContactFields({ form, labels }: { form: IntakeFormState; labels: Labels }) {
  const { t } = useTranslation(['complaints']);
  const anonymous = form.values.anonymous === 'yes';
  return (
    <fieldset className="form-section">
      <legend>{t('complaints:complaintNew.contactSection')}</legend>
      <Choices
        name="anonymous"
        legend={labels.anonymous}
        options={[
          ['yes', t('complaints:complaintNew.anonymousYes')],
          ['no', t('complaints:complaintNew.anonymousNo')],
        ]}
        value={form.values.anonymous}
        onChange={(x) => form.set('anonymous', x)}
        error={form.errorOf('anonymous')}
      />
      <p className="hint">{t('complaints:complaintNew.contactHint')}</p>
      <div className="grid-2">
        {!anonymous && <TextField id="cn-contact_name" label={labels.contact_name} autoComplete="off" {...form.text('contact_name')} />}
        <TextField id="cn-contact_phone" type="tel" label={labels.contact_phone} autoComplete="off" {...form.text('contact_phone')} />
        <TextField id="cn-contact_email" type="email" label={labels.contact_email} autoComplete="off" {...form.text('contact_email')} />
        <TextField id="cn-contact_other" label={labels.contact_other} autoComplete="off" {...form.text('contact_other')} />
      </div>
    </fieldset>
  );
}

/** A list of what to fix, each entry a link that moves focus to its field. */
function ErrorSummary({ title, items }: { title: string; items: { id: string; field: string; text: string }[] }) {
  const go = (event: MouseEvent<HTMLAnchorElement>, id: string, field: string) => {
    event.preventDefault();
    (document.getElementById(id) ?? document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`))?.focus();
  };
  return (
    <div className="alert alert--error error-summary" role="alert" aria-labelledby="cn-error-summary-title">
      <p id="cn-error-summary-title">{title}</p>
      <ul>
        {items.map((item) => (
          <li key={item.field}>
            <a href={`#${item.id}`} onClick={(e) => go(e, item.id, item.field)}>
              {item.text}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Radio buttons in a fieldset: the legend names the question; the first button takes focus on error. */
function Choices({ name, ...props }: { name: keyof IntakeForm; legend: ReactNode; hint?: ReactNode; options: [string, string][]; value: string; onChange: (v: string) => void; onBlur?: () => void; error?: string | undefined; required?: boolean }) {
  return <RadioGroup id={`cn-${name}`} name={name} dataField={name} {...props} />;
}
