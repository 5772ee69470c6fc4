import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, today } from '../ui/format.ts';
import { Empty, SelectField, TextArea, TextField, useAnnounce, useForm, useLang } from '../ui/index.tsx';
import { DisclosureForm } from '../ui/DisclosureForm.tsx';
import { childLabel, childOptions } from './labels.ts';
import type { ChildFile } from './types.ts';

const required = (t: (k: string) => string) => (value: string) => (value.trim() ? undefined : t('ui:validation.required'));

/** The restitution plan: each measure, who answers for it, by when; overdue ones stand out. */
export function PlanSection({ base, file }: { base: string; file: ChildFile }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const announce = useAnnounce();
  const need = required(t);
  const form = useForm({ right_affected: '', measure: '', measure_type: 'restitution', legal_basis: '', responsible_institution: '', frequency: 'once', due_on: '' }, (v) => ({
    right_affected: need(v.right_affected),
    measure: need(v.measure),
    legal_basis: need(v.legal_basis),
    responsible_institution: need(v.responsible_institution),
    due_on: need(v.due_on),
  }));
  return (
    <section className="section card" aria-labelledby="plan-title">
      <h2 id="plan-title">{t('children:plan.title')}</h2>
      {file.measures.length === 0 ? (
        <Empty>{t('children:plan.empty')}</Empty>
      ) : (
        <ul className="item-list">
          {file.measures.map((m) => (
            <li key={m.id}>
              <p className="item-list__title">
                {childLabel('measures', m.measure, lang)} · {childLabel('rightsAffected', m.right_affected, lang)}
              </p>
              <p className="item-list__meta">
                {m.responsible_institution}
                {m.responsible_person ? ` (${m.responsible_person})` : ''} · {childLabel('frequencies', m.frequency, lang)} · {m.legal_basis}
              </p>
              <p className="item-list__meta">{m.executed_on ? t('children:plan.executed', { date: formatDate(m.executed_on, lang) }) : m.overdue ? <strong>{t('children:plan.overdueSince', { date: formatDate(m.due_on, lang) })}</strong> : t('children:plan.due', { date: formatDate(m.due_on, lang) })}</p>
              {m.notes.map((n) => (
                <p key={n.id} className="item-list__note prewrap">
                  {n.body}
                </p>
              ))}
              {file.can_edit && !m.executed_on && (
                <button
                  type="button"
                  className="button button--small button--secondary"
                  onClick={() => void api.patch(`${base}/measures/${m.id}`, { executed_on: today() }).then(() => announce(t('children:saved')))}
                >
                  {t('children:plan.markExecuted')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {file.can_edit && (
        <DisclosureForm summary={t('children:plan.add')} form={form} send={(v) => api.post(`${base}/measures`, v)} submitLabel={t('children:plan.add')} saved={t('children:saved')}>
          <SelectField id="measure-right" label={t('children:plan.right')} required placeholder={t('ui:common.choose')} options={childOptions('rightsAffected', lang)} {...form.text('right_affected')} />
          <SelectField id="measure-measure" label={t('children:plan.measure')} required placeholder={t('ui:common.choose')} options={childOptions('measures', lang)} {...form.text('measure')} />
          <SelectField id="measure-type" label={t('children:plan.type')} options={childOptions('measureTypes', lang)} {...form.text('measure_type')} />
          <TextField id="measure-basis" label={t('children:plan.legalBasis')} hint={t('children:plan.legalBasisHint')} required {...form.text('legal_basis')} />
          <TextField id="measure-responsible" label={t('children:plan.responsible')} required {...form.text('responsible_institution')} />
          <SelectField id="measure-frequency" label={t('children:plan.frequency')} options={childOptions('frequencies', lang)} {...form.text('frequency')} />
          <TextField id="measure-due" type="date" label={t('children:plan.dueOn')} required {...form.text('due_on')} />
        </DisclosureForm>
      )}
    </section>
  );
}

type Facility = { id: string; name: string; kind: string; capacity: number; occupied: number };

/** Alternative care: where the child has lived, family-based first; a centre shows its free places. */
export function CareSection({ base, file }: { base: string; file: ChildFile }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const facilities = useApi<Facility[]>(file.can_edit ? '/api/v1/children/facilities' : null);
  const current = file.placements.find((p) => !p.ended_on);
  const form = useForm({ care_type: '', facility_id: '', place: '', started_on: today(), change_reason: '', justification: '' }, (v) => ({
    care_type: v.care_type ? undefined : t('ui:validation.required'),
    facility_id: v.care_type === 'residential' && !v.facility_id ? t('ui:validation.required') : undefined,
    justification: v.care_type === 'residential' && !v.justification.trim() ? t('children:care.justificationRequired') : undefined,
    change_reason: current && !v.change_reason.trim() ? t('ui:validation.required') : undefined,
  }));
  return (
    <section className="section card" aria-labelledby="care-title">
      <h2 id="care-title">{t('children:care.title')}</h2>
      {file.placements.length === 0 ? (
        <Empty>{t('children:care.none')}</Empty>
      ) : (
        <ul className="item-list">
          {file.placements.map((p) => (
            <li key={p.id}>
              <p className="item-list__title">
                {childLabel('careTypes', p.care_type, lang)}
                {p.facility ? ` · ${p.facility.name}` : ''}
              </p>
              <p className="item-list__meta">
                {p.ended_on ? t('children:care.period', { from: formatDate(p.started_on, lang), to: formatDate(p.ended_on, lang), count: p.days }) : t('children:care.since', { from: formatDate(p.started_on, lang), count: p.days })}
                {p.change_reason ? ` · ${t('children:care.endedBecause', { reason: p.change_reason })}` : ''}
              </p>
              {p.place && <p className="item-list__note">{p.place}</p>}
              {p.justification && <p className="item-list__note prewrap">{t('children:care.justification')}: {p.justification}</p>}
            </li>
          ))}
        </ul>
      )}
      {file.can_edit && (
        <DisclosureForm
          summary={current ? t('children:care.change') : t('children:care.place')}
          form={form}
          send={(v) =>
            api.post(`${base}/placements`, {
              care_type: v.care_type,
              started_on: v.started_on,
              ...(v.facility_id ? { facility_id: v.facility_id } : {}),
              ...(v.place.trim() ? { place: v.place.trim() } : {}),
              ...(v.change_reason.trim() ? { change_reason: v.change_reason.trim() } : {}),
              ...(v.justification.trim() ? { justification: v.justification.trim() } : {}),
            })
          }
          submitLabel={current ? t('children:care.change') : t('children:care.place')}
          saved={t('children:saved')}
        >
          <p className="hint">{t('children:care.lastResort')}</p>
          <SelectField id="care-type" label={t('children:care.type')} required placeholder={t('ui:common.choose')} options={childOptions('careTypes', lang)} {...form.text('care_type')} />
          {(form.values.care_type === 'residential' || form.values.facility_id) && (
            <SelectField
              id="care-facility"
              label={t('children:care.facility')}
              placeholder={t('ui:common.choose')}
              options={(facilities.data ?? []).map((f) => [f.id, t('children:care.facilityOption', { name: f.name, free: Math.max(0, f.capacity - f.occupied), capacity: f.capacity })])}
              {...form.text('facility_id')}
            />
          )}
          <TextField id="care-place" label={t('children:care.placeLabel')} {...form.text('place')} />
          <TextField id="care-start" type="date" label={t('children:care.startedOn')} required {...form.text('started_on')} />
          {current && <TextField id="care-reason" label={t('children:care.changeReason')} required {...form.text('change_reason')} />}
          {form.values.care_type === 'residential' && <TextArea id="care-justification" label={t('children:care.justification')} hint={t('children:care.justificationHint')} required {...form.text('justification')} />}
        </DisclosureForm>
      )}
    </section>
  );
}
