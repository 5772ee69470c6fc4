import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CaseView } from '../api/client.ts';
import { formatDate, label, options, personName, today } from '../ui/format.ts';
import { caseRules } from '../ui/rules.ts';
import { Empty, FormError, SaveOrCancel, SelectField, TextArea, TextField, useAnnounce, useFocusAfterRender, useForm, useLang, type Errors, ValidatedForm, FormSubmit } from '../ui/index.tsx';
import { Disclosure, mayEdit } from './CaseParts.tsx';
import { Section } from '../ui/Section.tsx';
import { DataTable } from '../ui/DataTable.tsx';

type Service = CaseView['services'][number];
type T = (key: string, options?: Record<string, unknown>) => string;

/** The rules a service's date, unit and notes follow, whether recorded or corrected (src/cases/case.schema.ts). */
function serviceErrors(v: { service_type: string; provided_on: string; provider_unit: string; notes: string }, openedOn: string, t: T): Errors {
  return {
    service_type: v.service_type ? undefined : t('validation.required'),
    provided_on: !v.provided_on ? t('validation.required') : v.provided_on > today() ? t('validation.dateInFuture') : v.provided_on < openedOn ? t('validation.beforeOpening') : undefined,
    provider_unit: v.provider_unit.trim() && !caseRules.providerUnit.safeParse(v.provider_unit).success ? t('validation.maxLength', { max: 200 }) : undefined,
    notes: v.notes.trim() && !caseRules.serviceNotes.safeParse(v.notes).success ? t('validation.maxLength', { max: 2000 }) : undefined,
  };
}

/** Services given: the list, a correction of one of them, and a new one. */
export function ServicesSection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const [editing, setEditing] = useState<Service | null>(null);
  const editable = mayEdit(c);
  const personById = new Map(c.participants.map((p) => [p.person.id, p.person]));
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const focusAfterRender = useFocusAfterRender();
  const stopEditing = (serviceId: string) => {
    setEditing(null);
    focusAfterRender(() => buttons.current.get(serviceId));
  };
  return (
    <Section id="services" title={t('cases:case.services')} count={c.services.length}>
      {c.services.length === 0 ? (
        <Empty>{t('cases:case.noServices')}</Empty>
      ) : (
        <DataTable
          rows={c.services}
          rowKey={(s) => s.id}
          caption={t('cases:case.services')}
          columns={[
            { header: t('cases:service.date'), cell: (s) => formatDate(s.provided_on, lang) },
            { header: t('cases:service.type'), cell: (s) => label('serviceTypes', s.service_type, lang) },
            { header: t('cases:service.person'), cell: (s) => { const person = personById.get(s.person_id); return person ? personName(person) : ''; } },
            { header: t('cases:service.unit'), cell: (s) => s.provider_unit ?? '' },
            { header: t('cases:service.notes'), className: 'prewrap', cell: (s) => s.notes ?? '' },
            editable && {
              header: t('cases:edit.actions'),
              hideHeader: true,
              label: false,
              cell: (s) => (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  ref={(el) => void (el ? buttons.current.set(s.id, el) : buttons.current.delete(s.id))}
                  aria-expanded={editing?.id === s.id}
                  aria-controls="service-edit"
                  onClick={() => setEditing(editing?.id === s.id ? null : s)}
                >
                  {t('cases:edit.correct')}
                  <span className="visually-hidden">: {t('cases:edit.serviceOf', { type: label('serviceTypes', s.service_type, lang), date: formatDate(s.provided_on, lang) })}</span>
                </button>
              ),
            },
          ]}
        />
      )}
      <div id="service-edit">{editing && <ServiceEditForm key={editing.id} c={c} service={editing} onDone={() => stopEditing(editing.id)} />}</div>
      {editable && <Disclosure label={t('cases:service.add')}>{(close) => <ServiceForm c={c} onDone={close} />}</Disclosure>}
    </Section>
  );
}

function ServiceForm({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const announce = useAnnounce();
  const form = useForm({ person_id: c.participants.length === 1 ? c.participants[0]!.person.id : '', service_type: '', provided_on: today(), provider_unit: '', notes: '' }, (v) => ({
    person_id: v.person_id ? undefined : t('validation.required'),
    ...serviceErrors(v, c.opened_on, t),
  }));
  return (
    <ValidatedForm
      form={form}
      onValid={async (v) => {
        await api.post(`/api/v1/cases/${c.id}/services`, {
          person_id: v.person_id,
          service_type: v.service_type,
          provided_on: v.provided_on,
          ...(v.provider_unit.trim() ? { provider_unit: v.provider_unit.trim() } : {}),
          ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
        });
        announce(t('cases:service.saved'));
        onDone();
      }}
    >
      <div className="grid-3">
        <SelectField id="service-person" label={t('cases:service.person')} required placeholder={t('common.choose')} options={c.participants.map((p) => [p.person.id, personName(p.person)])} {...form.text('person_id')} />
        <SelectField id="service-type" label={t('cases:service.type')} required placeholder={t('common.choose')} options={options('serviceTypes', lang)} {...form.text('service_type')} />
        <TextField id="service-date" type="date" label={t('cases:service.date')} required max={today()} min={c.opened_on} {...form.text('provided_on')} />
      </div>
      <TextField id="service-unit" label={t('cases:service.unit')} {...form.text('provider_unit')} />
      <TextArea id="service-notes" label={t('cases:service.notes')} rows={3} {...form.text('notes')} />
      <FormSubmit busy={form.busy}>
        {t('cases:service.save')}
      </FormSubmit>
    </ValidatedForm>
  );
}

/** A correction of a recorded service; only what changed is sent (PATCH …/services/{id}), and the timeline keeps it. */
function ServiceEditForm({ c, service, onDone }: { c: CaseView; service: Service; onDone: () => void }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const announce = useAnnounce();
  const person = c.participants.find((p) => p.person.id === service.person_id)?.person;
  const initial = { service_type: service.service_type, provided_on: service.provided_on, provider_unit: service.provider_unit ?? '', notes: service.notes ?? '' };
  const form = useForm(initial, (v) => serviceErrors(v, c.opened_on, t));
  return (
    <ValidatedForm
      form={form}
      className="card-inset"
      aria-labelledby="service-edit-title"
      title={
        <>
              <h3 id="service-edit-title">{t('cases:edit.serviceTitle', { type: label('serviceTypes', service.service_type, lang), date: formatDate(service.provided_on, lang) })}</h3>
              <p className="hint">{t('cases:edit.servicePerson', { name: person ? personName(person) : '' })}</p>
        </>
      }
      onValid={async (v) => {
        const body = {
          ...(v.service_type !== initial.service_type ? { service_type: v.service_type } : {}),
          ...(v.provided_on !== initial.provided_on ? { provided_on: v.provided_on } : {}),
          ...(v.provider_unit.trim() !== initial.provider_unit ? { provider_unit: v.provider_unit.trim() || null } : {}),
          ...(v.notes.trim() !== initial.notes ? { notes: v.notes.trim() || null } : {}),
        };
        if (Object.keys(body).length) await api.patch(`/api/v1/cases/${c.id}/services/${service.id}`, body);
        announce(t(Object.keys(body).length ? 'cases:edit.serviceSaved' : 'cases:edit.nothingChanged'));
        onDone();
      }}
    >
      <div className="grid-2">
        <SelectField id="service-edit-type" label={t('cases:service.type')} required options={options('serviceTypes', lang)} {...form.text('service_type')} />
        <TextField id="service-edit-date" type="date" label={t('cases:service.date')} required max={today()} min={c.opened_on} {...form.text('provided_on')} />
      </div>
      <TextField id="service-edit-unit" label={t('cases:service.unit')} {...form.text('provider_unit')} />
      <TextArea id="service-edit-notes" label={t('cases:service.notes')} rows={3} {...form.text('notes')} />
      <SaveOrCancel busy={form.busy} saveLabel={t('cases:edit.saveService')} onCancel={onDone} />
    </ValidatedForm>
  );
}
