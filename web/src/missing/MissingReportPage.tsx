import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { countryName, formatDate, formatDateTime, formatNumber, label } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { Alert, FormError, LoadError, Loading, PageTitle, TextArea, useAnnounce, useLang } from '../ui/index.tsx';
import { Facts, MissingStatus, describedRows, stateName, type ReportView } from './parts.tsx';
import { History } from './History.tsx';
import { ReportPhotos } from './ReportPhotos.tsx';
import { EvidenceTable, type Evidence } from '../ui/Evidence.tsx';

/** A report's page: the person described, the family's photos, messages with the family, history, status and possible matches. */

/** "Located alive: found record H-…" from the report's last 'located' event (the found record may be another institution's). */
function locatedText(data: ReportView, t: (k: string, o?: Record<string, unknown>) => string): string {
  const located = [...(data.events ?? [])].reverse().find((e) => e.kind === 'located');
  const folio = typeof located?.detail?.found_folio === 'string' ? located.detail.found_folio : null;
  const status = t(`missing:status.${data.status}`);
  return folio ? t('missing:record.located', { status, folio }) : located?.detail?.person_id ? t('missing:event.located_person', { status }) : status;
}

export function MissingReportPage({ id }: { id: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const announce = useAnnounce();
  const { session } = useSession();
  const can = useCan();
  const { data, error, isPending, refetch } = useApi<ReportView>(`/api/v1/missing/reports/${id}`);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  if (isPending) return <Loading />;
  if (error || !data) return <LoadError error={error} retry={() => void refetch()} />;
  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setActionError(null);
    try {
      await run();
      announce(done);
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle lead={<MissingStatus status={data.status} />}>{t('missing:record.reportTitle', { folio: data.folio })}</PageTitle>
      <FormError message={actionError} />
      {data.status.startsWith('located_') && <Alert kind="success">{locatedText(data, t)}</Alert>}
      <div className="grid-2">
        <section className="card" aria-labelledby="person">
          <h2 id="person">{t('missing:form.personSection')}</h2>
          <Facts rows={[...describedRows(data, t, lang), [t('missing:field.dental'), data.dental_notes ?? null]]} />
        </section>
        <section className="card" aria-labelledby="last-seen">
          <h2 id="last-seen">{t('missing:field.lastSeen')}</h2>
          <Facts
            rows={[
              [t('missing:field.lastSeenOn'), data.last_seen_on ? formatDate(data.last_seen_on, lang) : null],
              [t('missing:field.lastSeenCountry'), data.last_seen_country ? countryName(data.last_seen_country, lang) : null],
              [t('missing:field.lastSeenState'), stateName(data.last_seen_state) || null],
              [t('missing:field.lastSeenPlace'), data.last_seen_place],
              [t('missing:field.route'), data.route],
              [t('missing:field.circumstance'), data.circumstance ?? null],
            ]}
          />
          <h2>{t('missing:field.reporter')}</h2>
          <Facts
            rows={[
              [t('missing:field.reporterName'), data.reporter.name ?? null],
              [t('missing:field.reporterRelationship'), data.reporter.relationship ? t(`missing:relationship.${data.reporter.relationship}`) : null],
              [t('missing:field.reporterPhone'), data.reporter.contact?.phone ?? null],
              [t('missing:field.reporterEmail'), data.reporter.contact?.email ?? null],
              [t('missing:field.reporterCountry'), data.reporter.country ? countryName(data.reporter.country, lang) : null],
              [t('missing:field.channel'), t(`missing:channel.${data.channel}`)],
              [t('missing:field.dnaTaken'), data.dna_reference_taken ? (data.dna_custodian ?? '✓') : t('missing:record.dnaNo')],
            ]}
          />
        </section>
      </div>
      <ReportPhotos reportId={id} photos={data.photos ?? []} />
      <section className="card section" aria-labelledby="messages">
        <h2 id="messages">{t('missing:field.messages')}</h2>
        {data.messages?.length ? (
          <ol className="notes">
            {data.messages.map((m) => (
              <li key={m.id} className={`note note--${m.author}`}>
                <p className="note__meta">
                  {m.author === 'family' ? t('missing:record.fromFamily') : t('missing:record.fromOfficer')} · <time dateTime={m.at}>{formatDateTime(m.at, lang)}</time>
                </p>
                <p>{m.body}</p>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">{t('missing:record.noMessages')}</p>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!message.trim()) return;
            void act(() => api.post(`/api/v1/missing/reports/${id}/messages`, { body: message.trim() }), t('missing:record.sent')).then(() => setMessage(''));
          }}
        >
          <TextArea id="family-message" label={t('missing:record.message')} hint={t('missing:record.messageHint')} rows={3} value={message} onChange={setMessage} />
          <button type="submit" className="button button--primary" disabled={busy || !message.trim()}>
            {t('missing:record.send')}
          </button>
        </form>
      </section>
      {can('missing.read') && (data.status === 'active' || data.status === 'closed') && (
        <p>
          <button type="button" className="button button--secondary" disabled={busy} onClick={() => void act(() => api.post(`/api/v1/missing/reports/${id}/status`, { status: data.status === 'active' ? 'closed' : 'active' }), data.status === 'active' ? t('missing:record.closed') : t('missing:record.reopened'))}>
            {data.status === 'active' ? t('missing:record.close') : t('missing:record.reopen')}
          </button>
        </p>
      )}
      {can('cases.read') && <PersonCandidates reportId={id} />}
      {data.events && <History events={data.events} />}
    </>
  );
}

type PersonCandidate = { id: string; status: string; probability: number; explanation: Evidence[]; person: { id: string; name: string; sex: string; date_of_birth: string | null; nationalities: string[] } };

/** Supervisors and the caseworker who opened the report: people of the institution's case files who may be the person. */
function PersonCandidates({ reportId }: { reportId: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const announce = useAnnounce();
  // A refusal here only means there is nothing to propose to this user.
  const { data } = useApi<{ items: PersonCandidate[] }>(`/api/v1/missing/reports/${reportId}/person-candidates`);
  if (!data?.items.length) return null;
  const review = async (id: string, decision: 'confirm' | 'reject') => {
    await api.post(`/api/v1/missing/person-candidates/${id}/review`, { decision });
    announce(decision === 'confirm' ? t('missing:review.confirmed', { status: t('missing:status.located_alive') }) : t('missing:review.rejected'));

  };
  return (
    <section className="card section" aria-labelledby="person-candidates">
      <h2 id="person-candidates">{t('missing:record.personCandidates')}</h2>
      {data.items.map((c) => (
        <article key={c.id} className="candidate">
          <h3>
            <Link href={paths.person(c.person.id)}>{c.person.name}</Link> · {formatNumber(Math.round(c.probability * 100), lang)} % · <MissingStatus status={c.status} />
          </h3>
          <EvidenceTable explanation={c.explanation} caption={t('missing:review.explanation')} />
          {c.status === 'proposed' && (
            <p>
              <button type="button" className="button button--primary" onClick={() => void review(c.id, 'confirm')}>
                {t('missing:record.confirm')}
              </button>{' '}
              <button type="button" className="button button--secondary" onClick={() => void review(c.id, 'reject')}>
                {t('missing:record.reject')}
              </button>
            </p>
          )}
        </article>
      ))}
    </section>
  );
}
