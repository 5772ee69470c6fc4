import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { formatDate, mxStates } from '../ui/format.ts';
import { Alert, FormError, LoadError, Loading, PageTitle, TextArea, TextField, useAnnounce, useForm, useLang } from '../ui/index.tsx';
import { ServiceForm, valuesOf } from './ServiceForm.tsx';
import type { Entry } from './types.ts';

/** One entry: what it says, its review state, and the steps the user may take (submit, publish, return, verify, correct). */
export function ServiceEntry({ id }: { id: string }) {
  const { t } = useTranslation(['directory']);
  const lang = useLang();
  const can = useCan();
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [stepError, setStepError] = useState<string | null>(null);
  const { data: e, error, isPending, refetch } = useApi<Entry>(`/api/v1/directory/services/${id}`);
  if (isPending) return <Loading />;
  if (error || !e) return <LoadError error={error} retry={() => void refetch()} />;

  const step = async (path: string, done: string, body: unknown = {}) => {
    setStepError(null);
    try {
      await api.post(`/api/v1/directory/services/${id}/${path}`, body);
      setNotice(done);
      announce(done);
    } catch (err) {
      setStepError(err instanceof Error ? err.message : String(err));
    }
  };
  const mayReview = can('directory.review') && e.review_state === 'pending';

  if (editing) {
    return (
      <>
        <PageTitle lead={e.review_state === 'published' ? t('directory:entry.editWarning') : undefined}>{t('directory:form.titleEdit')}</PageTitle>
        <ServiceForm
          initial={valuesOf(e)}
          onSave={async (body) => {
            await api.patch(`/api/v1/directory/services/${id}`, body);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      </>
    );
  }
  return (
    <>
      <PageTitle lead={`${t('directory:entry.organization')}: ${e.organization.name}`}>{e.name}</PageTitle>
      <p>
        <strong>{t(`directory:states.${e.review_state}`)}</strong> · {e.verified_on ? t('directory:entry.verified', { date: formatDate(e.verified_on, lang) }) : t('directory:entry.neverVerified')}
        {e.stale && <span className="field-error"> · {t('directory:list.staleFlag')}</span>}
      </p>
      {notice && <Alert kind="success" role="status">{notice}</Alert>}
      {stepError && <Alert kind="error" role="alert">{stepError}</Alert>}
      {e.review_note && <Alert kind="warning">{`${t('directory:entry.reviewNote')}: ${e.review_note}`}</Alert>}
      <EntryDetails e={e} />
      <div className="form-actions">
        {can('directory.edit') && (
          <button type="button" className="button" onClick={() => setEditing(true)}>
            {t('directory:entry.edit')}
          </button>
        )}
        {can('directory.edit') && e.review_state === 'draft' && (
          <button type="button" className="button button--primary" onClick={() => void step('submit', t('directory:entry.submitted'))}>
            {t('directory:entry.submit')}
          </button>
        )}
        {mayReview && !e.changed_by_me && (
          <button type="button" className="button button--primary" onClick={() => void step('publish', t('directory:entry.published'))}>
            {t('directory:entry.publish')}
          </button>
        )}
      </div>
      {mayReview && e.changed_by_me && <p className="muted">{t('directory:entry.samePerson')}</p>}
      {mayReview && !e.changed_by_me && <ReturnEntry onReturn={(note) => step('return', t('directory:entry.returned'), { note })} />}
      {can('directory.edit') && <VerifyEntry withBeds={e.capacity_maximum !== null} onVerify={(body) => step('verify', t('directory:entry.verifiedNow'), body)} />}
      <p>
        <Link href={paths.directory}>{t('directory:list.title')}</Link>
      </p>
    </>
  );
}

/** What the entry says: description, place, hours, contact, ages, documents, beds, and its public page. */
function EntryDetails({ e }: { e: Entry }) {
  const { t } = useTranslation(['directory']);
  const stateName = mxStates.find(([c]) => c === e.location.state_code)?.[1] ?? e.location.state_code;
  return (
    <>
      <p>{e.description}</p>
      <dl className="details">
        <dt>{t('directory:form.where')}</dt>
        <dd>
          {e.location.address_1}, {e.location.city}, {stateName}
          {e.location.transportation && <div className="muted">{e.location.transportation}</div>}
        </dd>
        <dt>{t('directory:entry.hours')}</dt>
        <dd>{e.schedules.map((s) => `${s.days.map((d) => t(`directory:days.${d}`)).join(', ')} ${s.opens_at}–${s.closes_at}`).join('; ') || '—'}</dd>
        <dt>{t('directory:entry.phones')}</dt>
        <dd>{e.phones.map((p) => p.number).join(', ') || '—'}</dd>
        <dt>{t('directory:entry.languages')}</dt>
        <dd>{e.languages.join(', ') || '—'}</dd>
        <dt>{t('directory:entry.ages')}</dt>
        <dd>{e.minimum_age ?? 0}–{e.maximum_age ?? '…'}</dd>
        <dt>{t('directory:entry.documents')}</dt>
        <dd>{e.required_documents.join('; ') || '—'}</dd>
        {e.capacity_maximum !== null && (
          <>
            <dt>{t('directory:form.capacity')}</dt>
            <dd>{t('directory:entry.beds', { available: e.capacity_available ?? 0, maximum: e.capacity_maximum })}</dd>
    
    </>
      )}
    </dl>
    {e.review_state === 'published' && (
      <p>
        <a href={`/servicios/${e.id}`}>{t('directory:entry.publicPage')}</a>
      </p>
    )}
    </>
  );
}

/** A reviewer returns the entry to its editors with a note. */
function ReturnEntry({ onReturn }: { onReturn: (note: string) => Promise<void> }) {
  const { t } = useTranslation(['directory']);
  const returnForm = useForm({ note: '' }, (v) => ({ note: v.note.trim() ? undefined : t('ui:validation.required') }));
  return (
    <form
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        void returnForm.submit(async (v) => onReturn(v.note.trim()));
      }}
    >
      <FormError message={returnForm.formError} errors={returnForm.shown} />
      <TextArea id="dir-return-note" label={t('directory:entry.returnNote')} {...returnForm.text('note')} />
      <button type="submit" className="button">
        {t('directory:entry.return')}
      </button>
    </form>
  );
}

/** An editor confirms the entry is still right, with the beds free today where it has beds. */
function VerifyEntry({ withBeds, onVerify }: { withBeds: boolean; onVerify: (body: { capacity_available?: number }) => Promise<void> }) {
  const { t } = useTranslation(['directory']);
  const verifyForm = useForm({ capacity_available: '' }, () => ({}));
  return (
    <form
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        void verifyForm.submit(async (v) => onVerify(v.capacity_available.trim() ? { capacity_available: Number(v.capacity_available) } : {}));
      }}
    >
      <h2>{t('directory:entry.verify')}</h2>
      <p className="hint">{t('directory:entry.verifyHint')}</p>
      {withBeds && <TextField id="dir-verify-beds" type="number" min={0} inputMode="numeric" label={t('directory:form.capacityAvailable')} {...verifyForm.text('capacity_available')} />}
      <button type="submit" className="button">
        {t('directory:entry.verify')}
      </button>
    </form>
  );
}
