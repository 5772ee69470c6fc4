import { useTranslation } from 'react-i18next';
import { countryOptions, label, languageOptions, options, today } from '../ui/format.ts';
import { CheckboxGroup, SelectField, TextArea, TextField, useForm, useLang, emptyFields, type Errors } from '../ui/index.tsx';

/** The person described, shared by the report and the found-record forms: fields, rules and request body. */

export const describedInitial = {
  ...emptyFields('given_names', 'surname1', 'surname2', 'other_names', 'sex', 'date_of_birth', 'age_min', 'age_max'),
  nationalities: [] as string[],
  languages: [] as string[],
  ...emptyFields('height_min_cm', 'height_max_cm', 'build', 'hair', 'eyes', 'marks', 'clothing'),
};
type Described = typeof describedInitial;

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u;

export function validateDescribed(v: Described, t: (k: string, o?: Record<string, unknown>) => string, nameRequired: boolean): Errors {
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

export const orNull = (s: string) => (s.trim() ? s.trim() : null);
export const intOrNull = (s: string) => (s.trim() ? Number(s) : null);

export function describedBody(v: Described) {
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
export function DescribedFields<T extends Described & Record<string, unknown>>({ form, scope, clothingLabel }: { form: FormApi<T>; scope: string; clothingLabel: string }) {
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
