import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage, type ComplaintReceived } from '../api/client.ts';
import { formatDateTime, mxStates, today } from '../ui/format.ts';
import { Alert, FormError, PageTitle, RadioGroup, SelectField, TextArea, TextField, useAnnounce, useForm, useLang, type Errors } from '../ui/index.tsx';
import { complaintLabel, complaintOptions } from './shared.tsx';

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

export function RecordComplaint() {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const announce = useAnnounce();
  const [received, setReceived] = useState<ComplaintReceived | null>(null);
  const form = useForm<IntakeForm>(empty, (v) => {
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
  });
  const v = form.values;
  const anonymous = v.anonymous === 'yes';

  const save = async (values: IntakeForm) => {
    const contact = {
      name: values.anonymous === 'yes' ? undefined : optional(values.contact_name),
      phone: optional(values.contact_phone),
      email: optional(values.contact_email),
      other: optional(values.contact_other),
    };
    const body = {
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
    try {
      const result = await api.post<ComplaintReceived>('/api/v1/complaints', body);
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
    window.setTimeout(() => document.querySelector<HTMLElement>('#main h1')?.focus(), 0);
  };

  const errorItems = form.formError ? fieldOrder.filter((name) => form.errorOf(name)) : [];
  const labels: Record<keyof IntakeForm, string> = {
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

            <fieldset className="form-section">
              <legend>{t('complaints:complaintNew.receptionSection')}</legend>
              <div className="grid-2">
                <Choices
                  name="channel"
                  legend={labels.channel}
                  required
                  options={complaintOptions('complaintChannels', lang).filter(([key]) => key !== 'web')}
                  value={v.channel}
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
                value={v.kind}
                onChange={(x) => form.set('kind', x)}
                onBlur={() => form.touch('kind')}
                error={form.errorOf('kind')}
              />
            </fieldset>

            <fieldset className="form-section">
              <legend>{t('complaints:complaintNew.factsSection')}</legend>
              <TextArea id="cn-narrative" label={labels.narrative} hint={t('complaints:complaintNew.narrativeHint')} required rows={6} {...form.text('narrative')} />
              <TextField id="cn-occurred_on" type="date" label={labels.occurred_on} hint={t('complaints:complaintNew.occurredOnHint')} min="1990-01-01" max={today()} {...form.text('occurred_on')} />
            </fieldset>

            <fieldset className="form-section">
              <legend>{t('complaints:complaintNew.whereSection')}</legend>
              <div className="grid-2">
                <SelectField
                  id="cn-state_code"
                  label={labels.state_code}
                  placeholder={t('complaints:complaintNew.stateNone')}
                  options={mxStates}
                  {...form.text('state_code')}
                />
                <TextField id="cn-municipality" label={labels.municipality} autoComplete="off" {...form.text('municipality')} />
                <SelectField id="cn-place_type" label={labels.place_type} required placeholder={t('common.choose')} options={complaintOptions('placeTypes', lang)} {...form.text('place_type')} />
                <TextField id="cn-place_description" label={labels.place_description} autoComplete="off" {...form.text('place_description')} />
              </div>
            </fieldset>

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

            <fieldset className="form-section">
              <legend>{t('complaints:complaintNew.contactSection')}</legend>
              <Choices
                name="anonymous"
                legend={labels.anonymous}
                options={[
                  ['yes', t('complaints:complaintNew.anonymousYes')],
                  ['no', t('complaints:complaintNew.anonymousNo')],
                ]}
                value={v.anonymous}
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

            <div className="form-actions form-actions--final">
              <button type="submit" className="button button--primary" disabled={form.busy}>
                {form.busy ? t('common.working') : t('complaints:complaintNew.submit')}
              </button>
            </div>
          </form>
        </div>
      )}
    </>
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

/** Folio and receipt, large and grouped, for the operator to read back; then the acuse. */
function ReceivedPanel({ received, onAnother }: { received: ComplaintReceived; onAnother: () => void }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const announce = useAnnounce();
  const heading = useRef<HTMLHeadingElement>(null);
  const [includeReceipt, setIncludeReceipt] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const download = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const pdf = await api.postForFile('/api/v1/complaints/acuse', { folio: received.folio, receipt: received.receipt, include_receipt: includeReceipt });
      const url = URL.createObjectURL(pdf);
      const link = document.createElement('a');
      link.href = url;
      link.download = `acuse-${received.folio}.pdf`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      announce(t('complaints:complaintNew.acuseDownloaded'));
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const groups = (text: string, separator: RegExp) =>
    text
      .split(separator)
      .filter(Boolean)
      .flatMap((group, i) => [i > 0 ? ' ' : null, <span key={i}>{group}</span>]);
  const followUrl = `${window.location.origin}/quejas/seguimiento`;

  return (
    <section className="card section" aria-labelledby="complaint-received-title">
      <h2 id="complaint-received-title" tabIndex={-1} ref={heading}>
        {t('complaints:complaintNew.savedTitle')}
      </h2>
      <Alert kind="info">
        <p>
          <strong>{t('complaints:complaintNew.readBack')}</strong>
        </p>
      </Alert>
      <dl className="code-boxes">
        <div className="code-box">
          <dt>{t('complaints:complaintNew.folio')}</dt>
          <dd id="complaint-folio">{received.folio}</dd>
        </div>
        <div className="code-box code-box--secret">
          <dt>{t('complaints:complaintNew.receipt')}</dt>
          <dd id="complaint-receipt">{groups(received.receipt_formatted, /\s+/)}</dd>
        </div>
      </dl>
      <Alert kind="warning">
        <p>
          <strong>{t('complaints:complaintNew.receiptWarning')}</strong>
        </p>
      </Alert>
      <dl className="details received-facts">
        <div>
          <dt>{t('complaints:complaintNew.receivedAt')}</dt>
          <dd>{formatDateTime(received.received_at, lang)}</dd>
        </div>
        <div>
          <dt>{t('complaints:complaintNew.channelLabel')}</dt>
          <dd>{complaintLabel('complaintChannels', received.channel, lang)}</dd>
        </div>
        <div>
          <dt>{t('complaints:complaintNew.contentHash')}</dt>
          <dd>
            <code className="hash">{received.content_sha256}</code>
          </dd>
        </div>
      </dl>
      <p className="break-anywhere">{t('complaints:complaintNew.followUp', { url: followUrl })}</p>

      <h3>{t('complaints:complaintNew.acuseTitle')}</h3>
      <p>{t('complaints:complaintNew.acuseIntro')}</p>
      <FormError message={failure} />
      <label className="choice">
        <input type="checkbox" checked={includeReceipt} onChange={(e) => setIncludeReceipt(e.target.checked)} />
        <span>{t('complaints:complaintNew.acuseIncludeReceipt')}</span>
      </label>
      <div className="form-actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void download()}>
          {busy ? t('common.working') : t('complaints:complaintNew.acuseDownload')}
        </button>
      </div>

      <div className="form-actions form-actions--final">
        <p className="hint" id="complaint-another-hint">
          {t('complaints:complaintNew.anotherHint')}
        </p>
        <button type="button" className="button button--secondary" aria-describedby="complaint-another-hint" onClick={onAnother}>
          {t('complaints:complaintNew.another')}
        </button>
      </div>
    </section>
  );
}
