import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { countryOptions, label, mxStates, options, today } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { Alert, CheckboxGroup, PageTitle, SelectField, TextArea, TextField, useAnnounce, useForm, useLang, ValidatedForm, FormSubmit, emptyFields } from '../ui/index.tsx';
import { DescribedFields, describedBody, describedInitial, orNull, validateDescribed } from './DescribedFields.tsx';

/** Recording a missing-person report at a desk or by phone, and the family's receipt. */

const reportInitial = {
  ...describedInitial,
  channel: 'in_person',
  ...emptyFields('dental_notes', 'last_seen_on'),
  last_seen_country: 'MEX',
  ...emptyFields('last_seen_state', 'last_seen_place', 'route', 'circumstance', 'reporter_name', 'reporter_relationship', 'reporter_phone', 'reporter_email', 'reporter_country'),
  ...emptyFields('dna_reference_taken', 'dna_custodian'),
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

  const save = async (values: typeof form.values) => {
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
  };

  if (created) return <ReportReceipt created={created} onAnother={() => { form.reset(); setCreated(null); }} />;

  return (
    <>
      <PageTitle lead={t('missing:form.reportLead')}>{t('missing:form.reportTitle')}</PageTitle>
      <ValidatedForm form={form} className="card form" onValid={save} title={<p className="hint">{t('form.requiredNote')}</p>}>
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
        <FormSubmit busy={form.busy} working>{t('missing:form.save')}</FormSubmit>
      </ValidatedForm>
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
