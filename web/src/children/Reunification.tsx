import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { countryName, formatDate, today } from '../ui/format.ts';
import { Empty, SelectField, TextArea, TextField, useForm, useLang } from '../ui/index.tsx';
import { ActionForm, DisclosureForm } from '../ui/DisclosureForm.tsx';
import { childLabel, childOptions } from './labels.ts';
import type { ChildFile, Verification } from './types.ts';

const CHECKS = ['documents_checked', 'photo_id_checked', 'child_recognises_adult', 'adult_willing', 'adult_able', 'accounts_agree'] as const;

/**
 * Verification of each adult who asks for the child, then the reunification and its follow-up visits.
 * The server refuses a reunification without a complete, favourable verification and an approved
 * determination; the screen says what is missing before anyone tries.
 */
export function ReunificationSection({ base, file }: { base: string; file: ChildFile }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const approved = file.best_interests.filter((b) => b.kind === 'determination' && b.status === 'approved' && b.decision === 'reunify_family');
  const favourable = file.verifications.filter((v) => v.complete && v.recommendation === 'reunify' && CHECKS.every((c) => v[c] === true));
  return (
    <section className="section card" aria-labelledby="reunification-title">
      <h2 id="reunification-title">{t('children:reunification.title')}</h2>
      <h3>{t('children:verification.title')}</h3>
      {file.verifications.length === 0 ? <Empty>{t('children:verification.empty')}</Empty> : file.verifications.map((v) => <VerificationCard key={v.id} base={base} v={v} editable={file.can_edit} />)}
      {file.can_edit && <StartVerification base={base} />}

      <h3>{t('children:reunification.done')}</h3>
      {file.reunifications.length === 0 ? (
        <Empty>{t('children:reunification.empty')}</Empty>
      ) : (
        file.reunifications.map((r) => (
          <article key={r.id} className="card" aria-label={t('children:reunification.with', { name: r.adult?.name ?? '—' })}>
            <p>
              <strong>{t('children:reunification.with', { name: r.adult?.name ?? '—' })}</strong> · {formatDate(r.reunified_on, lang)} · {r.place === 'abroad' ? t('children:reunification.abroad', { country: countryName(r.country, lang) }) : t('children:reunification.inMexico')}
              {r.receiving_body ? ` · ${r.receiving_body}` : ''}
            </p>
            <ul className="plain-list">
              {r.followups.map((f) => (
                <li key={f.id}>
                  {t('children:followup.due', { date: formatDate(f.due_on, lang) })} —{' '}
                  {f.visited_on ? `${t('children:followup.visited', { date: formatDate(f.visited_on, lang) })}: ${childLabel('followupOutcomes', f.outcome, lang)}` : f.overdue ? <strong>{t('children:followup.overdue')}</strong> : t('children:followup.pending')}
                  {file.can_edit && !f.visited_on && <FollowupForm path={`${base}/reunifications/${r.id}/followups/${f.id}`} id={f.id} />}
                </li>
              ))}
            </ul>
          </article>
        ))
      )}
      {file.can_edit && file.reunifications.length === 0 && (approved.length && favourable.length ? <ReunifyForm base={base} determinations={approved.map((b) => b.id)} verifications={favourable} /> : <p className="hint">{t('children:reunification.needs')}</p>)}
    </section>
  );
}

function VerificationCard({ base, v, editable }: { base: string; v: Verification; editable: boolean }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const yesNo = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');
  const initial = Object.fromEntries([...CHECKS.map((c) => [c, yesNo(v[c])]), ['child_interviewed_on', v.child_interviewed_on ?? ''], ['adult_interviewed_on', v.adult_interviewed_on ?? ''], ['recommendation', v.recommendation ?? '']]) as Record<string, string>;
  const form = useForm(initial, () => ({}));
  const answer: [string, string][] = [
    ['yes', t('children:verification.yes')],
    ['no', t('children:verification.no')],
  ];
  return (
    <article className="card" aria-label={t('children:verification.of', { name: v.adult.name })}>
      <p>
        <strong>{t('children:verification.of', { name: v.adult.name })}</strong> ({childLabel('adultRelationships', v.relationship, lang)}) · {v.complete ? t('children:verification.complete') : t('children:verification.incomplete')}
      </p>
      {editable ? (
        <ActionForm
          className=""
          form={form}
          send={(values) => {
            const toBool = (s: string) => (s === '' ? null : s === 'yes');
            return api.patch(`${base}/verifications/${v.id}`, {
              ...Object.fromEntries(CHECKS.map((c) => [c, toBool(values[c] ?? '')])),
              child_interviewed_on: values.child_interviewed_on || null,
              adult_interviewed_on: values.adult_interviewed_on || null,
              recommendation: values.recommendation || null,
            });
          }}
          submitLabel={t('children:save')}
          saved={t('children:saved')}
          keep
          secondary
        >
          <TextField id={`v-child-${v.id}`} type="date" label={t('children:verification.child_interviewed_on')} {...form.text('child_interviewed_on')} />
          <TextField id={`v-adult-${v.id}`} type="date" label={t('children:verification.adult_interviewed_on')} {...form.text('adult_interviewed_on')} />
          {CHECKS.map((c) => (
            <SelectField key={c} id={`v-${c}-${v.id}`} label={t(`children:verification.${c}`)} placeholder={t('children:verification.notYet')} options={answer} {...form.text(c)} />
          ))}
          <SelectField id={`v-rec-${v.id}`} label={t('children:verification.recommendation')} placeholder={t('children:verification.notYet')} options={childOptions('recommendations', lang)} {...form.text('recommendation')} />
        </ActionForm>
      ) : (
        <p className="muted">{v.recommendation ? childLabel('recommendations', v.recommendation, lang) : t('children:verification.notYet')}</p>
      )}
    </article>
  );
}

function StartVerification({ base }: { base: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const form = useForm({ given_names: '', surname1: '', sex: 'female', relationship: '' }, (v) => ({
    given_names: v.given_names.trim() ? undefined : t('ui:validation.required'),
    relationship: v.relationship ? undefined : t('ui:validation.required'),
  }));
  const send = async (v: typeof form.values) => {
    const adult = await api.post<{ id: string }>('/api/v1/people', { given_names: v.given_names.trim(), ...(v.surname1.trim() ? { surname1: v.surname1.trim() } : {}), sex: v.sex });
    await api.post(`${base}/verifications`, { adult_person_id: adult.id, relationship: v.relationship });
  };
  return (
    <DisclosureForm summary={t('children:verification.start')} form={form} send={send} submitLabel={t('children:verification.start')} saved={t('children:saved')} secondary>
      <TextField id="adult-given" label={t('children:new.givenNames')} required {...form.text('given_names')} />
      <TextField id="adult-surname" label={t('children:new.surname1')} {...form.text('surname1')} />
      <SelectField id="adult-sex" label={t('children:new.sex')} options={[['female', t('children:verification.female')], ['male', t('children:verification.male')]]} {...form.text('sex')} />
      <SelectField id="adult-relationship" label={t('children:verification.relationship')} required placeholder={t('ui:common.choose')} options={childOptions('adultRelationships', lang)} {...form.text('relationship')} />
    </DisclosureForm>
  );
}

function ReunifyForm({ base, determinations, verifications }: { base: string; determinations: string[]; verifications: Verification[] }) {
  const { t } = useTranslation(['children']);
  const form = useForm({ verification_id: verifications[0]!.id, reunified_on: today(), place: 'mexico', country: 'MEX', receiving_body: '' }, (v) => ({ country: /^[A-Z]{3}$/.test(v.country) ? undefined : t('children:consular.countryHint') }));
  return (
    <ActionForm
      form={form}
      send={(v) => api.post(`${base}/reunifications`, { ...v, determination_id: determinations[determinations.length - 1], receiving_body: v.receiving_body.trim() || null })}
      submitLabel={t('children:reunification.record')}
      saved={t('children:saved')}
      keep
    >
      <SelectField id="reunify-with" label={t('children:reunification.withWhom')} options={verifications.map((v) => [v.id, v.adult.name])} {...form.text('verification_id')} />
      <TextField id="reunify-on" type="date" label={t('children:reunification.on')} {...form.text('reunified_on')} />
      <SelectField id="reunify-place" label={t('children:reunification.where')} options={[['mexico', t('children:reunification.inMexico')], ['abroad', t('children:reunification.abroadPlain')]]} {...form.text('place')} />
      <TextField id="reunify-country" label={t('children:consular.country')} hint={t('children:consular.countryHint')} maxLength={3} {...form.text('country')} />
      <TextField id="reunify-body" label={t('children:reunification.receivingBody')} {...form.text('receiving_body')} />
    </ActionForm>
  );
}

function FollowupForm({ path, id }: { path: string; id: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const form = useForm({ visited_on: today(), outcome: '', notes: '' }, (v) => ({ outcome: v.outcome ? undefined : t('ui:validation.required') }));
  return (
    <ActionForm form={form} send={(v) => api.post(path, { visited_on: v.visited_on, outcome: v.outcome, notes: v.notes.trim() || null })} submitLabel={t('children:followup.record')} saved={t('children:saved')} keep secondary>
      <TextField id={`fu-on-${id}`} type="date" label={t('children:followup.visitedOn')} {...form.text('visited_on')} />
      <SelectField id={`fu-outcome-${id}`} label={t('children:followup.outcome')} required placeholder={t('ui:common.choose')} options={childOptions('followupOutcomes', lang)} {...form.text('outcome')} />
      <TextArea id={`fu-notes-${id}`} label={t('children:followup.notes')} rows={2} {...form.text('notes')} />
    </ActionForm>
  );
}
