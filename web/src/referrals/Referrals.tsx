import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Referral, type UserItem } from '../api/client.ts';
import { formatDate, label, options } from '../ui/format.ts';
import { Link, navigate, paths, useLocation, withQueryPath } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { Empty, FormError, LoadError, Loading, PageTitle, SelectField, TextArea, useAnnounce, useForm, useLang, ValidatedForm, SubmitButton } from '../ui/index.tsx';

/** Incoming referrals to answer (supervisors) and outgoing ones to follow. */
export function Referrals() {
  const { t } = useTranslation(['cases', 'referrals']);
  const { query } = useLocation();
  const direction = query.get('direction') === 'outgoing' ? 'outgoing' : 'incoming';
  const { data, error, isPending, refetch } = useApi<{ items: Referral[] }, Referral[]>('/api/v1/referrals', { direction, limit: 100 }, { select: (r) => r.items });
  const tabs = [
    ['incoming', t('referrals:referrals.incoming')],
    ['outgoing', t('referrals:referrals.outgoing')],
  ] as const;
  const pending = (data ?? []).filter((r) => r.status === 'pending');
  const answered = (data ?? []).filter((r) => r.status !== 'pending');

  return (
    <>
      <PageTitle lead={t('referrals:referrals.lead')}>{t('referrals:referrals.title')}</PageTitle>
      <nav className="tabs" aria-label={t('referrals:referrals.direction')}>
        {tabs.map(([key, text]) => (
          <Link key={key} href={withQueryPath(paths.referrals, { direction: key === 'incoming' ? undefined : key })} aria-current={direction === key ? 'page' : undefined} className="tab">
            {text}
          </Link>
        ))}
      </nav>
      {isPending && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && (
        <>
          <section className="section" aria-labelledby="pending-title">
            <h2 id="pending-title">{direction === 'incoming' ? t('referrals:referrals.pendingIncoming') : t('referrals:referrals.pendingOutgoing')}</h2>
            {pending.length === 0 ? <Empty>{t('referrals:referrals.nonePending')}</Empty> : pending.map((r) => <ReferralCard key={r.id} r={r} direction={direction} />)}
          </section>
          <section className="section" aria-labelledby="answered-title">
            <h2 id="answered-title">{t('referrals:referrals.answered')}</h2>
            {answered.length === 0 ? <Empty>{t('referrals:referrals.noneAnswered')}</Empty> : answered.map((r) => <ReferralCard key={r.id} r={r} direction={direction} />)}
          </section>
        </>
      )}
    </>
  );
}

function ReferralCard({ r, direction }: { r: Referral; direction: 'incoming' | 'outgoing' }) {
  const { t } = useTranslation(['cases', 'referrals']);
  const lang = useLang();
  const { session } = useSession();
  const can = useCan();
  const canAnswer = direction === 'incoming' && r.status === 'pending' && can('referrals.respond');
  const headingId = `ref-${r.id}`;
  return (
    <article className="card referral" aria-labelledby={headingId}>
      <header className="referral__header">
        <h3 id={headingId}>{direction === 'incoming' ? t('referrals:referrals.fromCase', { folio: r.case_folio, institution: r.from_institution.name }) : t('referrals:referrals.toCase', { folio: r.case_folio, institution: r.to_institution.name })}</h3>
        <span className={`badge badge--ref-${r.status}`}>{t(`referrals:referralStatus.${r.status}`, { defaultValue: r.status })}</span>
      </header>
      <dl className="details details--inline">
        <div>
          <dt>{t('referrals:referral.sentOn')}</dt>
          <dd>{formatDate(r.created_at, lang)}</dd>
        </div>
        <div>
          <dt>{t('referrals:referral.consent')}</dt>
          <dd>
            {label('consentMethods', r.consent_method, lang)} · {formatDate(r.consent_recorded_on, lang)}
          </dd>
        </div>
        <div>
          <dt>{t('referrals:referral.sections')}</dt>
          <dd>{r.shared_sections.map((s) => label('sharedSections', s, lang)).join(', ')}</dd>
        </div>
      </dl>
      <p className="referral__reason prewrap">{r.reason}</p>
      {r.response_note && (
        <p className="referral__response">
          <strong>{t('referrals:referral.response')}:</strong> {r.response_note}
        </p>
      )}
      <p className="referral__links">
        {direction === 'outgoing' && <Link href={paths.case(r.case_id)}>{t('referrals:referrals.seeCase', { folio: r.case_folio })}</Link>}
        {direction === 'incoming' && r.receiving_case_id && <Link href={paths.case(r.receiving_case_id)}>{t('referrals:referrals.seeReceivingCase')}</Link>}
        {direction === 'incoming' && r.status === 'accepted' && <Link href={paths.case(r.case_id)}>{t('referrals:referrals.seeSourceCase', { folio: r.case_folio })}</Link>}
      </p>
      {canAnswer && <AnswerForms r={r} />}
    </article>
  );
}

function AnswerForms({ r }: { r: Referral }) {
  const { t } = useTranslation(['cases', 'referrals']);
  const lang = useLang();
  const announce = useAnnounce();
  const [mode, setMode] = useState<'accept' | 'decline' | null>(null);
  const users = useApi<{ items: UserItem[] }, UserItem[]>('/api/v1/users', undefined, { select: (x) => x.items });
  const accept = useForm({ programme: '', assigned_to: '', note: '' }, (v) => ({
    programme: v.programme ? undefined : t('validation.required'),
    note: v.note.length > 2000 ? t('validation.maxLength', { max: 2000 }) : undefined,
  }));
  const decline = useForm({ note: '' }, (v) => ({ note: !v.note.trim() ? t('validation.required') : v.note.length > 2000 ? t('validation.maxLength', { max: 2000 }) : undefined }));
  const scope = r.id.slice(0, 8);

  return (
    <div className="answer">
      <div className="form-actions">
        <button type="button" className="button button--primary" aria-expanded={mode === 'accept'} aria-controls={`accept-${scope}`} onClick={() => setMode(mode === 'accept' ? null : 'accept')}>
          {t('referrals:referrals.accept')}
        </button>
        <button type="button" className="button button--secondary" aria-expanded={mode === 'decline'} aria-controls={`decline-${scope}`} onClick={() => setMode(mode === 'decline' ? null : 'decline')}>
          {t('referrals:referrals.decline')}
        </button>
      </div>
      <div id={`accept-${scope}`} hidden={mode !== 'accept'}>
        {mode === 'accept' && (
          <ValidatedForm
            form={accept}
            className="inline-panel"
            onValid={async (v) => {
              const result = await api.post<{ receiving_case_id: string; receiving_folio: string }>(`/api/v1/referrals/${r.id}/accept`, {
                programme: v.programme,
                ...(v.assigned_to ? { assigned_to: v.assigned_to } : {}),
                ...(v.note.trim() ? { note: v.note.trim() } : {}),
              });
              announce(t('referrals:referrals.accepted', { folio: result.receiving_folio }));
              navigate(paths.case(result.receiving_case_id));
            }}
          >
            <div className="grid-2">
              <SelectField id={`accept-programme-${scope}`} label={t('cases:case.programme')} required placeholder={t('common.choose')} options={options('programmes', lang)} {...accept.text('programme')} />
              <SelectField id={`accept-assignee-${scope}`} label={t('cases:case.assignedTo')} placeholder={t('cases:cases.unassigned')} options={(users.data ?? []).map((u) => [u.id, u.display_name])} {...accept.text('assigned_to')} />
            </div>
            <TextArea id={`accept-note-${scope}`} label={t('referrals:referrals.acceptNote')} rows={2} {...accept.text('note')} />
            <SubmitButton busy={accept.busy}>{t('referrals:referrals.confirmAccept')}</SubmitButton>
          </ValidatedForm>
        )}
      </div>
      <div id={`decline-${scope}`} hidden={mode !== 'decline'}>
        {mode === 'decline' && (
          <ValidatedForm
            form={decline}
            className="inline-panel"
            onValid={async (v) => {
              await api.post(`/api/v1/referrals/${r.id}/decline`, { note: v.note.trim() });
              announce(t('referrals:referrals.declined'));
            }}
          >
            <TextArea id={`decline-note-${scope}`} label={t('referrals:referrals.declineNote')} required rows={2} {...decline.text('note')} />
            <button type="submit" className="button button--danger" disabled={decline.busy}>
              {t('referrals:referrals.confirmDecline')}
            </button>
          </ValidatedForm>
        )}
      </div>
    </div>
  );
}
