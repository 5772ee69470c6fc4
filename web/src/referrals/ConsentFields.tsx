import { options, today } from '../ui/format.ts';
import { CheckboxGroup, SelectField, TextField, useForm, useLang } from '../ui/index.tsx';

type ConsentValues = { consent_recorded_on: string; consent_method: string; shared_sections: string[] };

/**
 * What every referral records about consent, wherever it is made (a case's referral form, a screening's
 * suggestion): when and how the person agreed, and which sections of the case go with it. The caller's
 * words label the fields, so each screen keeps the phrasing its users read there.
 */
export function ConsentFields<T extends ConsentValues>({
  idPrefix,
  form,
  words,
}: {
  idPrefix: string;
  form: ReturnType<typeof useForm<T>>;
  words: { date: string; method: string; sections: string; sectionsHint: string; choose: string };
}) {
  const lang = useLang();
  return (
    <>
      <div className="grid-2">
        <TextField id={`${idPrefix}consent-date`} type="date" label={words.date} required max={today()} {...form.text('consent_recorded_on')} />
        <SelectField id={`${idPrefix}consent-method`} label={words.method} required placeholder={words.choose} options={options('consentMethods', lang)} {...form.text('consent_method')} />
      </div>
      <CheckboxGroup
        id={`${idPrefix}sections`}
        name="shared_sections"
        legend={words.sections}
        hint={words.sectionsHint}
        required
        options={options('sharedSections', lang)}
        value={form.values.shared_sections}
        onChange={(x) => form.set('shared_sections', x as T['shared_sections'])}
        error={form.errorOf('shared_sections')}
      />
    </>
  );
}
