import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { navigate, paths } from '../app/router.tsx';
import { countryOptions, mxStates, options, today } from '../ui/format.ts';
import { PageTitle, SaveOrCancel, SelectField, TextField, useForm, useLang, ValidatedForm, type Errors } from '../ui/index.tsx';
import { ageBandKeys, outreachLabel, outreachOptions, sexKeys } from './words.ts';
import type { EventView } from './types.ts';
import './Outreach.css';

type Values = Record<string, string>;
type Body = Record<string, unknown>;

const cellName = (sex: string, band: string) => `n_${sex}_${band}`;

export function emptyEvent(): Values {
  const values: Values = { title: '', kind: '', topic: '', programme: 'women_support', held_on: today(), country: 'MEX', state_code: '', city: '', venue: '' };
  for (const sex of sexKeys) for (const band of ageBandKeys) values[cellName(sex, band)] = '';
  return values;
}

export function valuesOf(e: EventView): Values {
  const values: Values = { ...emptyEvent(), title: e.title, kind: e.kind, topic: e.topic, programme: e.programme, held_on: e.held_on, country: e.country, state_code: e.state_code ?? '', city: e.city ?? '', venue: e.venue ?? '' };
  for (const c of e.attendance) values[cellName(c.sex, c.age_band)] = String(c.attendees);
  return values;
}

const WHOLE = /^\d{1,7}$/;

/** The body the API takes (the event's fields and its attendance cells with someone in them). */
export function bodyOf(v: Values): Body {
  const mexico = v.country === 'MEX';
  const attendance = sexKeys.flatMap((sex) => ageBandKeys.map((age_band) => ({ sex, age_band, attendees: Number(v[cellName(sex, age_band)] || 0) }))).filter((c) => c.attendees > 0);
  return {
    title: v.title!.trim(),
    kind: v.kind,
    topic: v.topic,
    programme: v.programme,
    held_on: v.held_on,
    country: v.country,
    state_code: mexico ? v.state_code : null,
    city: v.city!.trim() || null,
    venue: v.venue!.trim() || null,
    attendance,
  };
}

const totalOf = (v: Values) => sexKeys.reduce((n, sex) => n + ageBandKeys.reduce((m, band) => m + (WHOLE.test(v[cellName(sex, band)] ?? '') ? Number(v[cellName(sex, band)]) : 0), 0), 0);

/**
 * An outreach event: what, when, where (a state in Mexico, a city abroad) and who came, counted by sex
 * and age band. The same form records a new event and corrects one.
 */
export function EventForm({ initial, saveLabel, onSave, onCancel }: { initial: Values; saveLabel: string; onSave: (body: Body) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation(['outreach']);
  const lang = useLang();
  const required = t('ui:validation.required');
  const form = useForm<Values>(initial, (v) => {
    const errors: Errors = {
      title: v.title!.trim() ? (v.title!.length > 200 ? t('ui:validation.maxLength', { max: 200 }) : undefined) : required,
      kind: v.kind ? undefined : required,
      topic: v.topic ? undefined : required,
      held_on: v.held_on ? undefined : required,
      country: v.country ? undefined : required,
      state_code: v.country === 'MEX' && !v.state_code ? t('outreach:form.stateRequired') : undefined,
      city: v.country !== 'MEX' && !v.city!.trim() ? t('outreach:form.cityRequired') : undefined,
    };
    for (const sex of sexKeys) for (const band of ageBandKeys) {
      const value = v[cellName(sex, band)] ?? '';
      if (value && !WHOLE.test(value)) errors[cellName(sex, band)] = t('outreach:form.wholeNumber');
    }
    if (v.held_on && v.held_on > today() && totalOf(v) > 0) errors.held_on = t('outreach:form.futureWithAttendance');
    return errors;
  });
  const v = form.values;
  return (
    <ValidatedForm form={form} onValid={(values) => onSave(bodyOf(values))} className="outreach-form">
      <fieldset className="form-section">
        <legend>{t('outreach:form.what')}</legend>
        <TextField id="ev-title" label={t('outreach:form.title')} hint={t('outreach:form.titleHint')} required {...form.text('title')} />
        <SelectField id="ev-kind" label={t('outreach:fields.kind')} required placeholder={t('ui:common.choose')} options={outreachOptions('eventKinds', lang)} {...form.text('kind')} />
        <SelectField id="ev-topic" label={t('outreach:fields.topic')} required placeholder={t('ui:common.choose')} options={outreachOptions('eventTopics', lang)} {...form.text('topic')} />
        <SelectField id="ev-programme" label={t('outreach:fields.programme')} required options={options('programmes', lang)} {...form.text('programme')} />
        <TextField id="ev-date" type="date" label={t('outreach:fields.heldOn')} required {...form.text('held_on')} />
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('outreach:form.where')}</legend>
        <SelectField id="ev-country" label={t('outreach:fields.country')} required options={countryOptions(lang)} {...form.text('country')} />
        {v.country === 'MEX' ? (
          <SelectField id="ev-state" label={t('outreach:fields.state')} required placeholder={t('ui:common.choose')} options={mxStates} {...form.text('state_code')} />
        ) : null}
        <TextField id="ev-city" label={t('outreach:fields.city')} required={v.country !== 'MEX'} hint={v.country === 'MEX' ? t('outreach:form.cityHintMexico') : t('outreach:form.cityHintAbroad')} {...form.text('city')} />
        <TextField id="ev-venue" label={t('outreach:fields.venue')} {...form.text('venue')} />
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('outreach:form.attendance')}</legend>
        <p className="hint">{t('outreach:form.attendanceHint')}</p>
        {sexKeys.map((sex) => (
          <fieldset key={sex} className="attendance-group">
            <legend>{outreachLabel('attendanceSexes', sex, lang)}</legend>
            <div className="attendance-grid">
              {ageBandKeys.map((band) => (
                <TextField key={band} id={`ev-${sex}-${band.replace('+', 'plus')}`} label={outreachLabel('attendanceAgeBands', band, lang)} inputMode="numeric" {...form.text(cellName(sex, band))} />
              ))}
            </div>
          </fieldset>
        ))}
        <p className="attendance-total" aria-live="polite">
          {t('outreach:form.total', { count: totalOf(v) })}
        </p>
      </fieldset>
      <SaveOrCancel busy={form.busy} saveLabel={saveLabel} onCancel={onCancel} />
    </ValidatedForm>
  );
}

export function NewEvent() {
  const { t } = useTranslation(['outreach']);
  return (
    <>
      <PageTitle lead={t('outreach:form.lead')}>{t('outreach:form.titleNew')}</PageTitle>
      <EventForm
        initial={emptyEvent()}
        saveLabel={t('outreach:form.save')}
        onSave={async (body) => {
          const created = await api.post<{ id: string }>('/api/v1/outreach/events', body);
          navigate(paths.outreachEvent(created.id));
        }}
        onCancel={() => navigate(paths.outreach)}
      />
    </>
  );
}
