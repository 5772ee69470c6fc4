import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { label, mxStates, options, today } from '../ui/format.ts';
import { navigate, paths } from '../app/router.tsx';
import { PageTitle, SelectField, TextArea, TextField, useAnnounce, useForm, ValidatedForm, FormSubmit, emptyFields } from '../ui/index.tsx';
import { DescribedFields, describedBody, describedInitial, orNull, validateDescribed } from './DescribedFields.tsx';

/** Recording a person found (alive or deceased), to be matched against reports. */

const foundInitial = {
  ...describedInitial,
  ...emptyFields('condition', 'situation', 'effects', 'found_on', 'found_state', 'found_place', 'death_from', 'death_to', 'custodian_name', 'custodian_file_number', 'notes'),
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
  const save = async (values: typeof form.values) => {
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
  };
  return (
    <>
      <PageTitle lead={t('missing:form.foundLead')}>{t('missing:form.foundTitle')}</PageTitle>
      <ValidatedForm form={form} className="card form" onValid={save} title={<p className="hint">{t('form.requiredNote')}</p>}>
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
        <FormSubmit busy={form.busy} working>{t('missing:form.save')}</FormSubmit>
      </ValidatedForm>
    </>
  );
}
