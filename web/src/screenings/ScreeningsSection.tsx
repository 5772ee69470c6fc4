import { useTranslation } from 'react-i18next';
import { api, type CaseView } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, navigate, paths } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { formatDate, personName } from '../ui/format.ts';
import { Section } from '../ui/Section.tsx';
import { Empty, FormError, SelectField, useForm, useLang, type Errors, FormSubmit } from '../ui/index.tsx';
import { say, type CaseScreening, type Instrument } from './types.ts';

/**
 * The screenings of a case, on the case page: each one with its person, state and flags, and a form
 * to start another for one of the case's people. Shown to those who keep the case in full.
 */
export function ScreeningsSection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['screenings']);
  const lang = useLang();
  const can = useCan();
  const list = useApi<CaseScreening[]>(can('screenings.give') ? `/api/v1/cases/${c.id}/screenings` : null);
  if (!can('screenings.give')) return null;
  const items = list.data ?? [];
  return (
    <Section id="screenings" title={t('screenings:section.title')} count={items.length}>
      {items.length === 0 ? (
        <Empty>{t('screenings:section.none')}</Empty>
      ) : (
        <ul className="item-list">
          {items.map((s) => (
            <li key={s.id}>
              <Link className="item-list__title" href={paths.screening(s.id)}>
                {say(s.instrument.title, lang)} · {s.person.name}
              </Link>
              <span className="item-list__meta">
                {formatDate(s.started_at, lang)} · {t(`screenings:status.${s.status}`)}
                {s.status === 'completed' && ` · ${t('screenings:section.flags', { count: s.flags.length })}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {c.can_edit && c.status !== 'closed' && <StartForm c={c} />}
    </Section>
  );
}

function StartForm({ c }: { c: CaseView }) {
  const { t } = useTranslation(['screenings']);
  const lang = useLang();
  const instruments = useApi<Instrument[]>('/api/v1/screenings/instruments');
  const form = useForm({ person_id: c.participants.length === 1 ? c.participants[0]!.person.id : '', instrument: '' }, (v): Errors => ({
    person_id: v.person_id ? undefined : t('validation.required'),
    instrument: v.instrument ? undefined : t('validation.required'),
  }));
  return (
    <form
      noValidate
      className="inline-form screening-start"
      aria-labelledby="screening-start-title"
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(async (v) => {
          const started = await api.post<{ id: string }>(`/api/v1/cases/${c.id}/screenings`, v);
          navigate(paths.screening(started.id));
        });
      }}
    >
      <h3 id="screening-start-title">{t('screenings:section.start')}</h3>
      <FormError message={form.formError} errors={form.shown} />
      <div className="grid-2">
        <SelectField id="screening-person" label={t('screenings:section.person')} required placeholder={t('common.choose')} options={c.participants.map((p) => [p.person.id, personName(p.person)])} {...form.text('person_id')} />
        <SelectField
          id="screening-instrument"
          label={t('screenings:section.instrument')}
          required
          placeholder={instruments.isFetching ? t('common.loading') : t('common.choose')}
          options={(instruments.data ?? []).map((i) => [i.code, say(i.title, lang)])}
          {...form.text('instrument')}
        />
      </div>
      <FormSubmit busy={form.busy}>
        {t('screenings:section.begin')}
      </FormSubmit>
    </form>
  );
}
