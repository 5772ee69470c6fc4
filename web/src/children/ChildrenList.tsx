import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, navigate, paths } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { countryName, countryOptions, formatDate, options, today } from '../ui/format.ts';
import { Empty, FormError, LoadError, Loading, PageTitle, SelectField, TextArea, TextField, useForm, useLang, FormSubmit } from '../ui/index.tsx';
import { childLabel, childOptions, hoursInWords } from './labels.ts';
import type { ChildListItem } from './types.ts';
import { DataTable } from '../ui/DataTable.tsx';

/** The child-protection officer's files: who each child is, whether she was notified, where she lives, what is overdue. */
export function ChildrenList() {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const can = useCan();
  const { data, error, isPending, refetch } = useApi<{ items: ChildListItem[]; total: number }>('/api/v1/children', { status: 'open', limit: 100 });
  return (
    <>
      <PageTitle lead={t('children:list.lead')}>{t('children:list.title')}</PageTitle>
      <p className="form-actions">
        {can('children.write') && (
          <Link className="button button--primary" href={paths.childNew}>
            {t('children:list.open')}
          </Link>
        )}
        <Link className="button button--secondary" href={paths.tracing}>
          {t('children:tracing.open')}
        </Link>
      </p>
      {isPending && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && data.items.length === 0 && <Empty>{t('children:list.empty')}</Empty>}
      {data && data.items.length > 0 && (
        <DataTable
          rows={data.items}
          rowKey={(item) => item.id}
          responsive={false}
          regionLabel={t('children:list.title')}
          columns={[
            {
              header: t('children:list.child'),
              cell: (item) => (
                <>
                  <Link href={paths.child(item.id)}>{item.child.name}</Link>
                  <div className="muted">
                    {item.child.age !== null ? t('children:file.age', { count: item.child.age }) : t('children:file.ageUnknown')} · {item.child.nationalities.map((n) => countryName(n, lang)).join(', ')}
                  </div>
                </>
              ),
            },
            {
              header: t('children:list.folio'),
              cell: (item) => (
                <>
                  {item.folio}
                  <div className="muted">{formatDate(item.opened_on, lang)}</div>
                </>
              ),
            },
            { header: t('children:file.accompaniment'), cell: (item) => childLabel('accompaniments', item.accompaniment, lang) },
            { header: t('children:file.timeToNotification'), cell: (item) => hoursInWords(item.hours_to_notification, t) },
            { header: t('children:care.current'), cell: (item) => (item.current_care ? childLabel('careTypes', item.current_care, lang) : t('children:care.none')) },
            { header: t('children:plan.overdue'), cell: (item) => (item.overdue_measures > 0 ? <strong>{t('children:plan.overdueCount', { count: item.overdue_measures })}</strong> : t('children:plan.noneOverdue')) },
          ]}
        />
      )}
    </>
  );
}

type NewChild = {
  given_names: string;
  surname1: string;
  surname2: string;
  sex: string;
  date_of_birth: string;
  estimated_age: string;
  nationality: string;
  accompaniment: string;
  accompanied_by: string;
  identified_on: string;
  identified_how: string;
  notified_on: string;
  notified_by: string;
  language: string;
  views: string;
  tracing_consent: string;
};

/**
 * A child identified: her details and how she was found, in one form. The person is registered first
 * and the file opened for her; if the second step is refused, the person stays registered and the
 * message says why (the file can be opened again from here).
 */
export function OpenChildFile() {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const now = today();
  const form = useForm<NewChild>(
    { given_names: '', surname1: '', surname2: '', sex: '', date_of_birth: '', estimated_age: '', nationality: '', accompaniment: '', accompanied_by: '', identified_on: now, identified_how: '', notified_on: '', notified_by: '', language: '', views: '', tracing_consent: 'not_asked' },
    (v) => ({
      given_names: v.given_names.trim() ? undefined : t('ui:validation.required'),
      sex: v.sex ? undefined : t('ui:validation.required'),
      date_of_birth: v.date_of_birth || v.estimated_age ? undefined : t('children:new.ageRequired'),
      estimated_age: v.estimated_age && !(Number(v.estimated_age) >= 0 && Number(v.estimated_age) < 18) ? t('children:new.minorOnly') : undefined,
      accompaniment: v.accompaniment ? undefined : t('ui:validation.required'),
      identified_how: v.identified_how ? undefined : t('ui:validation.required'),
      identified_on: v.identified_on ? undefined : t('ui:validation.required'),
    }),
  );
  // A day picked in the form as an instant: its noon, or now when that is still to come (the server refuses the future).
  const noon = (day: string) => new Date(Math.min(Date.parse(`${day}T12:00:00Z`), Date.now())).toISOString();
  return (
    <>
      <PageTitle lead={t('children:new.lead')}>{t('children:new.title')}</PageTitle>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            const person = await api.post<{ id: string }>('/api/v1/people', {
              given_names: v.given_names.trim(),
              ...(v.surname1.trim() ? { surname1: v.surname1.trim() } : {}),
              ...(v.surname2.trim() ? { surname2: v.surname2.trim() } : {}),
              sex: v.sex,
              ...(v.date_of_birth ? { date_of_birth: v.date_of_birth } : { estimated_age: Number(v.estimated_age), age_estimated_on: v.identified_on }),
              nationalities: v.nationality ? [v.nationality] : [],
            });
            const file = await api.post<{ id: string }>('/api/v1/children', {
              person_id: person.id,
              opened_on: v.identified_on,
              accompaniment: v.accompaniment,
              ...(v.accompanied_by.trim() ? { accompanied_by: v.accompanied_by.trim() } : {}),
              identified_at: noon(v.identified_on),
              identified_how: v.identified_how,
              ...(v.notified_on ? { notified_at: noon(v.notified_on), notified_by: v.notified_by.trim() || null } : {}),
              ...(v.language.trim() ? { language: v.language.trim() } : {}),
              ...(v.views.trim() ? { views: v.views.trim() } : {}),
              tracing_consent: v.tracing_consent,
            });
            navigate(paths.child(file.id));
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <fieldset className="form-section">
          <legend>{t('children:new.who')}</legend>
          <TextField id="child-given" label={t('children:new.givenNames')} required {...form.text('given_names')} />
          <TextField id="child-surname1" label={t('children:new.surname1')} {...form.text('surname1')} />
          <TextField id="child-surname2" label={t('children:new.surname2')} {...form.text('surname2')} />
          <SelectField id="child-sex" label={t('children:new.sex')} required placeholder={t('ui:common.choose')} options={options('sexes', lang)} {...form.text('sex')} />
          <TextField id="child-dob" type="date" max={now} label={t('children:new.dateOfBirth')} hint={t('children:new.dateOfBirthHint')} {...form.text('date_of_birth')} />
          <TextField id="child-age" type="number" min={0} max={17} inputMode="numeric" label={t('children:new.estimatedAge')} {...form.text('estimated_age')} />
          <SelectField id="child-nationality" label={t('children:new.nationality')} placeholder={t('ui:common.choose')} options={countryOptions(lang)} {...form.text('nationality')} />
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('children:new.how')}</legend>
          <SelectField id="child-accompaniment" label={t('children:file.accompaniment')} required placeholder={t('ui:common.choose')} options={childOptions('accompaniments', lang)} {...form.text('accompaniment')} />
          <TextField id="child-accompanied-by" label={t('children:file.accompaniedBy')} {...form.text('accompanied_by')} />
          <TextField id="child-identified-on" type="date" max={now} label={t('children:file.identifiedOn')} required {...form.text('identified_on')} />
          <SelectField id="child-identified-how" label={t('children:file.identifiedHow')} required placeholder={t('ui:common.choose')} options={childOptions('identificationWays', lang)} {...form.text('identified_how')} />
          <TextField id="child-notified-on" type="date" max={now} label={t('children:file.notifiedOn')} hint={t('children:file.notifiedHint')} {...form.text('notified_on')} />
          <TextField id="child-notified-by" label={t('children:file.notifiedBy')} {...form.text('notified_by')} />
          <TextField id="child-language" label={t('children:file.language')} {...form.text('language')} />
          <TextArea id="child-views" label={t('children:file.views')} hint={t('children:file.viewsHint')} {...form.text('views')} />
          <SelectField id="child-consent" label={t('children:file.tracingConsent')} options={childOptions('tracingConsents', lang)} {...form.text('tracing_consent')} />
        </fieldset>
        <FormSubmit busy={form.busy} final>
          {t('children:new.submit')}
        </FormSubmit>
      </form>
    </>
  );
}
