import { useTranslation } from 'react-i18next';
import { api, withQuery, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, navigate, paths, useLocation } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { countryName, formatDate, today } from '../ui/format.ts';
import { Alert, Empty, LoadError, Loading, PageTitle, SelectField, TextArea, TextField, useAnnounce, useForm, useLang } from '../ui/index.tsx';
import { DisclosureForm } from '../ui/DisclosureForm.tsx';
import { EvidenceTable } from '../ui/Evidence.tsx';
import { childLabel, childOptions } from './labels.ts';
import { percent } from './Tracing.tsx';
import { DataTable } from '../ui/DataTable.tsx';

type MatchItem = ApiAnswer<'/api/v1/tracing/matches'>['items'][number];
type RequestItem = ApiAnswer<'/api/v1/tracing/requests'>['items'][number];
type MatchView = ApiAnswer<'/api/v1/tracing/matches/{id}'>;

/**
 * The tracing review queue: pairs the engine proposed between children with a file and what relatives
 * asked for, best first. Only children whose consent (or an approved determination) allows tracing are
 * ever in it. Below, the institution's requests, and a form to record one received in person or
 * through a consulate (a family's report of a missing child on the public page arrives by itself).
 */
export function TracingQueue() {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const can = useCan();
  const { query } = useLocation();
  const status = query.get('status') ?? 'proposed';
  const matches = useApi<{ items: MatchItem[]; total: number }>('/api/v1/tracing/matches', { status, limit: 100 });
  const requests = useApi<{ items: RequestItem[]; total: number }>('/api/v1/tracing/requests', { limit: 50 });
  return (
    <>
      <PageTitle lead={t('children:tracing.lead')}>{t('children:tracing.queueTitle')}</PageTitle>
      <form className="filters card" onSubmit={(e) => e.preventDefault()} aria-label={t('children:tracing.statusFilter')}>
        <SelectField id="tracing-status" label={t('children:tracing.statusFilter')} value={status} onChange={(v) => navigate(withQuery(paths.tracing, { status: v === 'proposed' ? undefined : v }))} options={childOptions('tracingMatchStatuses', lang)} />
      </form>
      {matches.isPending && <Loading />}
      {!!matches.error && <LoadError error={matches.error} retry={() => void matches.refetch()} />}
      {matches.data &&
        (matches.data.items.length === 0 ? (
          <Empty>{t('children:tracing.queueEmpty')}</Empty>
        ) : (
          <DataTable
            rows={matches.data.items}
            rowKey={(m) => m.id}
            caption={t('children:tracing.queueTitle')}
            regionLabel={t('children:tracing.queueTitle')}
            columns={[
              { header: t('children:tracing.probability'), rowHeader: true, cell: (m) => <Link href={paths.tracingMatch(m.id)}>{percent(m.probability, lang)}</Link> },
              {
                header: t('children:tracing.child'),
                cell: (m) => (
                  <>
                    {m.child.name} <span className="muted">({m.child.folio})</span>
                  </>
                ),
              },
              {
                header: t('children:tracing.request'),
                cell: (m) => (
                  <>
                    {t('children:tracing.asks', { name: m.request.requester_name, relationship: childLabel('adultRelationships', m.request.requester_relationship, lang) })}
                    <div className="muted">
                      {childLabel('tracingChannels', m.request.channel, lang)} · {formatDate(m.request.received_on, lang)}
                    </div>
                  </>
                ),
              },
              { header: t('children:tracing.via'), cell: (m) => `${childLabel('tracingVia', m.via, lang)}: ${m.matched_name}` },
            ]}
          />
        ))}
      <section className="section card" aria-labelledby="requests-title">
        <h2 id="requests-title">{t('children:tracing.requests')}</h2>
        {requests.data && requests.data.items.length === 0 && <Empty>{t('children:tracing.noRequests')}</Empty>}
        {requests.data && requests.data.items.length > 0 && (
          <ul className="item-list">
            {requests.data.items.map((r) => (
              <li key={r.id}>
                <p className="item-list__title">{t('children:tracing.asksFor', { name: r.requester_name, children: r.sought.join(', ') })}</p>
                <p className="item-list__meta">
                  {childLabel('adultRelationships', r.requester_relationship, lang)} · {childLabel('tracingChannels', r.channel, lang)}
                  {r.consulate_country ? ` (${countryName(r.consulate_country, lang)})` : ''} · {formatDate(r.received_on, lang)}
                </p>
              </li>
            ))}
          </ul>
        )}
        {can('children.write') && <RequestForm />}
      </section>
    </>
  );
}

function RequestForm() {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const form = useForm(
    { channel: 'in_person', consulate_country: '', received_on: today(), requester_name: '', requester_relationship: '', contact: '', circumstances: '', given_names: '', surname1: '', surname2: '', sex: '', estimated_age: '', nationality: '' },
    (v) => ({
      requester_name: v.requester_name.trim().length >= 2 ? undefined : t('ui:validation.required'),
      requester_relationship: v.requester_relationship ? undefined : t('ui:validation.required'),
      consulate_country: v.channel === 'consulate' && !/^[A-Z]{3}$/.test(v.consulate_country) ? t('children:consular.countryHint') : undefined,
      given_names: v.given_names.trim() ? undefined : t('ui:validation.required'),
      estimated_age: v.estimated_age === '' || (/^\d+$/.test(v.estimated_age) && Number(v.estimated_age) < 18) ? undefined : t('children:new.minorOnly'),
    }),
  );
  const optional = (value: string) => value.trim() || null;
  return (
    <DisclosureForm
      summary={t('children:tracing.record')}
      form={form}
      send={(v) =>
        api.post('/api/v1/tracing/requests', {
          channel: v.channel,
          consulate_country: v.channel === 'consulate' ? v.consulate_country : null,
          received_on: v.received_on,
          requester_name: v.requester_name.trim(),
          requester_relationship: v.requester_relationship,
          contact: optional(v.contact),
          circumstances: optional(v.circumstances),
          children: [{ given_names: v.given_names.trim(), surname1: optional(v.surname1), surname2: optional(v.surname2), sex: v.sex || null, estimated_age: v.estimated_age === '' ? null : Number(v.estimated_age), nationality: optional(v.nationality) }],
        })
      }
      submitLabel={t('children:tracing.record')}
      saved={t('children:tracing.recorded')}
    >
      <SelectField id="tr-channel" label={t('children:tracing.channel')} options={childOptions('tracingChannels', lang).filter(([k]) => k !== 'public_page')} {...form.text('channel')} />
      {form.values.channel === 'consulate' && <TextField id="tr-consulate" label={t('children:tracing.consulateCountry')} hint={t('children:consular.countryHint')} maxLength={3} required {...form.text('consulate_country')} />}
      <TextField id="tr-received" type="date" label={t('children:tracing.receivedOn')} {...form.text('received_on')} />
      <TextField id="tr-requester" label={t('children:tracing.requesterName')} required {...form.text('requester_name')} />
      <SelectField id="tr-relationship" label={t('children:tracing.relationship')} required placeholder={t('ui:common.choose')} options={childOptions('adultRelationships', lang)} {...form.text('requester_relationship')} />
      <TextField id="tr-contact" label={t('children:tracing.contact')} {...form.text('contact')} />
      <TextArea id="tr-circumstances" label={t('children:tracing.circumstances')} rows={3} {...form.text('circumstances')} />
      <fieldset>
        <legend>{t('children:tracing.sought')}</legend>
        <TextField id="tr-given" label={t('children:new.givenNames')} required {...form.text('given_names')} />
        <TextField id="tr-surname1" label={t('children:new.surname1')} {...form.text('surname1')} />
        <TextField id="tr-surname2" label={t('children:new.surname2')} {...form.text('surname2')} />
        <SelectField id="tr-sex" label={t('children:new.sex')} placeholder="—" options={[['female', t('children:verification.female')], ['male', t('children:verification.male')]]} {...form.text('sex')} />
        <TextField id="tr-age" inputMode="numeric" label={t('children:new.estimatedAge')} {...form.text('estimated_age')} />
        <TextField id="tr-nationality" label={t('children:new.nationality')} hint={t('children:consular.countryHint')} maxLength={3} {...form.text('nationality')} />
      </fieldset>
    </DisclosureForm>
  );
}

/** One proposed pair side by side, why the engine proposes it (in words), and the review. */
export function TracingMatchPage({ id }: { id: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const can = useCan();
  const announce = useAnnounce();
  const { data: m, error, isPending, refetch } = useApi<MatchView>(`/api/v1/tracing/matches/${id}`);
  if (isPending) return <Loading />;
  if (error || !m) return <LoadError error={error} retry={() => void refetch()} />;
  const review = (decision: 'confirmed' | 'rejected') => void api.post(`/api/v1/tracing/matches/${id}/review`, { decision }).then(() => announce(t(`children:tracing.${decision}`)));
  return (
    <>
      <PageTitle lead={`${childLabel('tracingMatchStatuses', m.status, lang)} · ${percent(m.probability, lang)}`}>{t('children:tracing.matchTitle', { name: m.child.name })}</PageTitle>
      <div className="grid-2">
        <section className="section card" aria-labelledby="match-child">
          <h2 id="match-child">{t('children:tracing.child')}</h2>
          <p>
            <Link href={paths.child(m.child.case_id)}>{m.child.name}</Link> ({m.child.folio})
          </p>
          <p className="muted">
            {m.child.age !== null ? t('children:file.age', { count: m.child.age }) : t('children:file.ageUnknown')} · {m.child.nationalities.map((n) => countryName(n, lang)).join(', ')}
          </p>
          {m.family_member && <p>{t('children:tracing.familyMember', { name: m.family_member.name })}</p>}
        </section>
        <section className="section card" aria-labelledby="match-request">
          <h2 id="match-request">{t('children:tracing.request')}</h2>
          <p>{t('children:tracing.asks', { name: m.request.requester_name, relationship: childLabel('adultRelationships', m.request.requester_relationship, lang) })}</p>
          <p className="muted">
            {childLabel('tracingChannels', m.request.channel, lang)}
            {m.request.consulate_country ? ` (${countryName(m.request.consulate_country, lang)})` : ''} · {formatDate(m.request.received_on, lang)}
          </p>
          {m.sought && (
            <p>
              {t('children:tracing.soughtChild', { name: m.sought.name })}
              {m.sought.estimated_age !== null ? ` · ${t('children:file.age', { count: m.sought.estimated_age })}` : ''}
              {m.sought.date_of_birth ? ` · ${formatDate(m.sought.date_of_birth, lang)}` : ''}
              {m.sought.nationality ? ` · ${countryName(m.sought.nationality, lang)}` : ''}
            </p>
          )}
          {m.request.contact && <p>{t('children:tracing.contactIs', { contact: m.request.contact })}</p>}
          {m.request.circumstances && <p className="prewrap">{m.request.circumstances}</p>}
        </section>
      </div>
      <EvidenceTable explanation={m.explanation} caption={t('children:tracing.why')} />
      {m.can_review && can('children.write') ? (
        <div className="form-actions">
          <button type="button" className="button button--primary" onClick={() => review('confirmed')}>
            {t('children:tracing.confirm')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => review('rejected')}>
            {t('children:tracing.reject')}
          </button>
        </div>
      ) : (
        <Alert kind="info">{t('children:tracing.reviewed')}</Alert>
      )}
      <p>
        <Link href={paths.tracing}>{t('children:tracing.back')}</Link>
      </p>
    </>
  );
}
