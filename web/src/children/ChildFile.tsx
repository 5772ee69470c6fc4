import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { countryName, formatDate, formatDateTime, today } from '../ui/format.ts';
import { Alert, LoadError, Loading, PageTitle, SelectField, StatusBadge, TextArea, TextField, useForm, useLang } from '../ui/index.tsx';
import { ActionForm, DisclosureForm } from '../ui/DisclosureForm.tsx';
import { TracingSection } from './Tracing.tsx';
import { childLabel, childOptions, hoursInWords } from './labels.ts';
import { CareSection, PlanSection } from './PlanAndCare.tsx';
import { BestInterestsSection } from './BestInterests.tsx';
import { ReunificationSection } from './Reunification.tsx';
import type { ChildFile as ChildFileData } from './types.ts';

/** The child's file: who she is and what she wants, then her plan, care, best interests and reunification. */
export function ChildFile({ id }: { id: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const { data: file, error, isPending, refetch } = useApi<ChildFileData>(`/api/v1/children/${id}`);
  if (isPending) return <Loading />;
  if (error || !file) return <LoadError error={error} retry={() => void refetch()} />;
  const base = `/api/v1/children/${id}`;
  return (
    <>
      <PageTitle lead={`${file.folio} · ${file.institution.name}`}>{file.child.name}</PageTitle>
      <div className="case-header__badges">
        <StatusBadge status={file.status} />
        <span className="badge badge--neutral">{childLabel('accompaniments', file.accompaniment, lang)}</span>
      </div>
      {!file.can_edit && <Alert kind="info">{file.status === 'closed' ? t('children:file.closedNotice') : t('children:file.readOnlyNotice')}</Alert>}
      <section className="section card" aria-labelledby="child-facts">
        <h2 id="child-facts">{t('children:file.facts')}</h2>
        <dl className="details details--inline">
          <div>
            <dt>{t('children:file.ageLabel')}</dt>
            <dd>{file.child.age !== null ? t('children:file.age', { count: file.child.age }) : t('children:file.ageUnknown')}</dd>
          </div>
          <div>
            <dt>{t('children:new.nationality')}</dt>
            <dd>{file.child.nationalities.map((n) => countryName(n, lang)).join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>{t('children:file.identified')}</dt>
            <dd>
              {formatDateTime(file.identified_at, lang)} · {childLabel('identificationWays', file.identified_how, lang)}
            </dd>
          </div>
          <div>
            <dt>{t('children:file.notification')}</dt>
            <dd>{file.notified_at ? t('children:file.notifiedAfter', { when: formatDateTime(file.notified_at, lang), delay: hoursInWords(file.hours_to_notification, t), who: file.notified_by ?? '—' }) : t('children:file.notNotified')}</dd>
          </div>
          {file.accompanied_by && (
            <div>
              <dt>{t('children:file.accompaniedBy')}</dt>
              <dd>{file.accompanied_by}</dd>
            </div>
          )}
          <div>
            <dt>{t('children:file.tracingConsent')}</dt>
            <dd>{childLabel('tracingConsents', file.tracing_consent, lang)}</dd>
          </div>
          <div>
            <dt>{t('children:file.protectionClaim')}</dt>
            <dd>{childLabel('protectionClaims', file.protection_claim, lang)}</dd>
          </div>
        </dl>
        {file.views && (
          <blockquote className="note prewrap" aria-label={t('children:file.views')}>
            {file.views}
          </blockquote>
        )}
        <p className="muted">
          {t('children:file.wishesTracing')}: {childLabel('wishes', file.wishes_tracing, lang) || '—'} · {t('children:file.wishesReunification')}: {childLabel('wishes', file.wishes_reunification, lang) || '—'}
        </p>
        {file.can_edit && <FileCorrection base={base} file={file} />}
      </section>
      <ConsularSection base={base} file={file} />
      <PlanSection base={base} file={file} />
      <CareSection base={base} file={file} />
      <BestInterestsSection base={base} file={file} />
      <TracingSection file={file} />
      <ReunificationSection base={base} file={file} />
    </>
  );
}

function FileCorrection({ base, file }: { base: string; file: ChildFileData }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const initial = { notified_on: file.notified_at?.slice(0, 10) ?? '', notified_by: file.notified_by ?? '', views: file.views ?? '', wishes_tracing: file.wishes_tracing ?? '', wishes_reunification: file.wishes_reunification ?? '', tracing_consent: file.tracing_consent, protection_claim: file.protection_claim };
  const form = useForm(initial, () => ({}));
  return (
    <DisclosureForm
      summary={t('children:file.correct')}
      form={form}
      send={(v) =>
        api.patch(base, {
          ...(v.notified_on ? { notified_at: new Date(Math.min(Date.parse(`${v.notified_on}T12:00:00Z`), Date.now())).toISOString(), notified_by: v.notified_by.trim() || null } : {}),
          views: v.views.trim() || null,
          wishes_tracing: v.wishes_tracing || null,
          wishes_reunification: v.wishes_reunification || null,
          tracing_consent: v.tracing_consent,
          ...(v.tracing_consent === 'given' && file.tracing_consent !== 'given' ? { tracing_consent_on: today() } : {}),
          protection_claim: v.protection_claim,
        })
      }
      submitLabel={t('children:save')}
      saved={t('children:saved')}
      keep
    >
      <TextField id="fix-notified-on" type="date" label={t('children:file.notifiedOn')} {...form.text('notified_on')} />
      <TextField id="fix-notified-by" label={t('children:file.notifiedBy')} {...form.text('notified_by')} />
      <TextArea id="fix-views" label={t('children:file.views')} hint={t('children:file.viewsHint')} {...form.text('views')} />
      <SelectField id="fix-wishes-tracing" label={t('children:file.wishesTracing')} placeholder="—" options={childOptions('wishes', lang)} {...form.text('wishes_tracing')} />
      <SelectField id="fix-wishes-reunification" label={t('children:file.wishesReunification')} placeholder="—" options={childOptions('wishes', lang)} {...form.text('wishes_reunification')} />
      <SelectField id="fix-consent" label={t('children:file.tracingConsent')} options={childOptions('tracingConsents', lang)} {...form.text('tracing_consent')} />
      <SelectField id="fix-claim" label={t('children:file.protectionClaim')} options={childOptions('protectionClaims', lang)} {...form.text('protection_claim')} />
    </DisclosureForm>
  );
}

function ConsularSection({ base, file }: { base: string; file: ChildFileData }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const form = useForm({ country: file.child.nationalities[0] ?? '', notified_on: '' }, (v) => ({ country: v.country ? undefined : t('ui:validation.required'), notified_on: v.notified_on ? undefined : t('ui:validation.required') }));
  return (
    <section className="section card" aria-labelledby="consular-title">
      <h2 id="consular-title">{t('children:consular.title')}</h2>
      {file.consular_notification_refused && (
        <Alert kind="warning" role="status">
          {t('children:consular.refused')}
        </Alert>
      )}
      {file.consular_notifications.length === 0 ? (
        <p className="muted">{t('children:consular.none')}</p>
      ) : (
        <ul className="plain-list">
          {file.consular_notifications.map((n) => (
            <li key={n.id}>{t('children:consular.told', { country: countryName(n.country, lang), date: formatDate(n.notified_on, lang) })}</li>
          ))}
        </ul>
      )}
      {file.can_edit && (
        <ActionForm form={form} send={(v) => api.post(`${base}/consular-notifications`, v)} submitLabel={t('children:consular.record')} saved={t('children:saved')} keep secondary>
          <TextField id="consular-country" label={t('children:consular.country')} hint={t('children:consular.countryHint')} maxLength={3} {...form.text('country')} />
          <TextField id="consular-date" type="date" label={t('children:consular.date')} {...form.text('notified_on')} />
        </ActionForm>
      )}
    </section>
  );
}
