import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ComplaintTransmission, type ComplaintUnit, type ComplaintView } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Alert, CheckboxGroup, FormError, LoadError, Loading, PageTitle, SelectField, TextArea, TextEntryForm, TextField, useAnnounce, useFocusAfterRender, useForm, useLang, ValidatedForm, FormSubmit } from '../ui/index.tsx';
import { complaintLabel, complaintOptions, complaintTransitions } from './shared.tsx';

/** What a handler can do to a complaint: take or release it, move its status, transmit it, hold it, forward it. */
export function ComplaintActions({ c, onTransmitted, onForwarded }: { c: ComplaintView; onTransmitted: (result: ComplaintTransmission) => void; onForwarded: (result: { folio: string; unit: string }) => void }) {
  return (
    <>
      <AssignActions c={c} />
      <StatusForm key={c.status} c={c} />
      {complaintTransitions[c.status]?.includes('transmitted') && <TransmitForm c={c} onDone={onTransmitted} />}
      <LegalHoldForm c={c} />
      <ForwardForm c={c} onForwarded={onForwarded} />
    </>
  );
}

function AssignActions({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const { session } = useSession();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const mine = c.assigned_to?.id === session.user.id;
  const assign = async (userId: string | null) => {
    setBusy(true);
    setFailure(null);
    try {
      await api.post(`/api/v1/complaints/${c.id}/assign`, { user_id: userId });
      announce(userId ? t('complaints:complaint.assignedMe') : t('complaints:complaint.unassignedDone'));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="form-actions">
      <FormError message={failure} />
      {!mine && (
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void assign(session.user.id)}>
          {t('complaints:complaint.assignMe')}
        </button>
      )}
      {c.assigned_to && (
        <button type="button" className="button button--ghost" disabled={busy} onClick={() => void assign(null)}>
          {t('complaints:complaint.unassign')}
        </button>
      )}
    </div>
  );
}

function StatusForm({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const announce = useAnnounce();
  const next = (complaintTransitions[c.status] ?? []).filter((s) => s !== 'transmitted');
  const form = useForm({ status: '', reason: '', outcome: '', note: '' }, (v) => ({
    status: v.status ? undefined : t('validation.required'),
    reason: v.status === 'not_admitted' && !v.reason ? t('validation.required') : undefined,
    outcome: v.status === 'resolved' && !v.outcome ? t('validation.required') : undefined,
    note: v.note.length > 5000 ? t('validation.maxLength', { max: 5000 }) : undefined,
  }));
  if (!next.length) return <p>{t('complaints:complaint.noTransitions')}</p>;
  return (
    <ValidatedForm
      form={form}
      aria-labelledby="status-form-title"
      title={<h3 id="status-form-title">{t('complaints:complaint.changeStatus')}</h3>}
      onValid={async (v) => {
        await api.post(`/api/v1/complaints/${c.id}/status`, {
          status: v.status,
          ...(v.status === 'not_admitted' ? { reason: v.reason } : {}),
          ...(v.status === 'resolved' ? { outcome: v.outcome } : {}),
          ...(v.note.trim() ? { note: v.note.trim() } : {}),
        });
        announce(t('complaints:complaint.statusChanged', { status: complaintLabel('complaintStatuses', v.status, lang) }));
      }}
    >
      <div className="grid-3">
        <SelectField id="complaint-status" label={t('complaints:complaint.newStatus')} required placeholder={t('common.choose')} options={next.map((s) => [s, complaintLabel('complaintStatuses', s, lang)])} {...form.text('status')} />
        {form.values.status === 'not_admitted' && <SelectField id="complaint-reason" label={t('complaints:complaint.reason')} required placeholder={t('common.choose')} options={complaintOptions('notAdmittedReasons', lang)} {...form.text('reason')} />}
        {form.values.status === 'resolved' && <SelectField id="complaint-outcome" label={t('complaints:complaint.outcomeField')} required placeholder={t('common.choose')} options={complaintOptions('outcomes', lang)} {...form.text('outcome')} />}
      </div>
      <TextArea id="complaint-status-note" label={t('complaints:complaint.statusNote')} rows={2} {...form.text('note')} />
      <FormSubmit busy={form.busy}>
        {t('complaints:complaint.saveStatus')}
      </FormSubmit>
    </ValidatedForm>
  );
}

function TransmitForm({ c, onDone }: { c: ComplaintView; onDone: (result: ComplaintTransmission) => void }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const announce = useAnnounce();
  const [include, setInclude] = useState<string[]>([]);
  const form = useForm({ to_authority: '', means: 'electronic', reference: '' }, (v) => ({
    to_authority: v.to_authority.trim().length < 2 ? t('validation.minLength', { min: 2 }) : v.to_authority.length > 200 ? t('validation.maxLength', { max: 200 }) : undefined,
    means: v.means ? undefined : t('validation.required'),
    reference: v.reference.length > 200 ? t('validation.maxLength', { max: 200 }) : undefined,
  }));
  return (
    <ValidatedForm
      form={form}
      aria-labelledby="transmit-form-title"
      title={<h3 id="transmit-form-title">{t('complaints:complaint.transmit')}</h3>}
      onValid={async (v) => {
        const result = await api.post<ComplaintTransmission>(`/api/v1/complaints/${c.id}/transmissions`, {
          to_authority: v.to_authority.trim(),
          means: v.means,
          ...(v.reference.trim() ? { reference: v.reference.trim() } : {}),
          include_contact: include.includes('contact'),
          include_notes: include.includes('notes'),
        });
        announce(t('complaints:complaint.transmitted', { sha: result.package_sha256 }));
        onDone(result);
      }}
    >
      <div className="grid-3">
        <TextField id="transmit-authority" label={t('complaints:complaint.toAuthority')} required {...form.text('to_authority')} />
        <SelectField id="transmit-means" label={t('complaints:complaint.means')} required options={complaintOptions('transmissionMeans', lang)} {...form.text('means')} />
        <TextField id="transmit-reference" label={t('complaints:complaint.reference')} {...form.text('reference')} />
      </div>
      <CheckboxGroup
        id="transmit-include"
        legend={t('complaints:complaint.include')}
        columns={false}
        value={include}
        onChange={setInclude}
        options={[
          ...(c.anonymous ? [] : ([['contact', t('complaints:complaint.includeContact')]] as [string, string][])),
          ['notes', t('complaints:complaint.includeNotes')],
        ]}
      />
      <FormSubmit busy={form.busy}>
        {t('complaints:complaint.transmitSubmit')}
      </FormSubmit>
    </ValidatedForm>
  );
}

export function MessageForm({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const canAsk = c.status === 'more_information_requested' || (complaintTransitions[c.status] ?? []).includes('more_information_requested');
  const [ask, setAsk] = useState(false);
  return (
    <TextEntryForm
      id="complaint-message"
      label={t('complaints:complaint.messageBody')}
      hint={t('complaints:complaint.messageHint')}
      saveLabel={t('complaints:complaint.sendMessage')}
      savedMessage={t('complaints:complaint.messageSent')}
      send={async (body) => {
        await api.post(`/api/v1/complaints/${c.id}/messages`, { body, request_information: canAsk && ask });
        setAsk(false);
      }}
    >
      {canAsk && (
        <label className="choice">
          <input type="checkbox" checked={ask} onChange={(e) => setAsk(e.target.checked)} />
          <span>{t('complaints:complaint.requestInformation')}</span>
        </label>
      )}
    </TextEntryForm>
  );
}

/** After a forward the unit no longer sees the complaint: say where it went instead of reloading it. */
export function Forwarded({ folio, unit }: { folio: string; unit: string }) {
  const { t } = useTranslation(['complaints']);
  useEffect(() => {
    document.querySelector<HTMLElement>('#main h1')?.focus();
  }, []);
  return (
    <>
      <PageTitle>{t('complaints:complaint.forwardedTitle')}</PageTitle>
      <Alert kind="success" role="status">
        <p>{t('complaints:complaint.forwarded', { folio, unit })}</p>
      </Alert>
      <p>
        <Link href={paths.complaints}>{t('complaints:complaint.back')}</Link>
      </p>
    </>
  );
}

/** Set or release the legal hold (retention never deletes a held complaint); shows the current state. */
function LegalHoldForm({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const announce = useAnnounce();
  const form = useForm({ reason: '' }, (v) => ({ reason: v.reason.trim().length > 500 ? t('validation.maxLength', { max: 500 }) : undefined }));
  return (
    <ValidatedForm
      form={form}
      aria-labelledby="hold-form-title"
      title={
        <>
          <h3 id="hold-form-title">{t('complaints:complaint.holdTitle')}</h3>
          <p id="hold-state">
            <strong>{c.legal_hold ? (c.legal_hold_reason ? t('complaints:complaint.holdActiveReason', { reason: c.legal_hold_reason }) : t('complaints:complaint.holdActive')) : t('complaints:complaint.holdNone')}</strong>
          </p>
          <p className="hint" id="hold-hint">
            {c.legal_hold ? t('complaints:complaint.holdReleaseHint') : t('complaints:complaint.holdIntro')}
          </p>
        </>
      }
      onValid={async (v) => {
        const hold = !c.legal_hold;
        await api.post(`/api/v1/complaints/${c.id}/legal-hold`, hold ? { hold, ...(v.reason.trim() ? { reason: v.reason.trim() } : {}) } : { hold });
        form.reset({ reason: '' });
        announce(hold ? t('complaints:complaint.holdSetDone') : t('complaints:complaint.holdReleased'));
      }}
    >
      {!c.legal_hold && <TextField id="complaint-hold-reason" label={t('complaints:complaint.holdReason')} autoComplete="off" {...form.text('reason')} />}
      <div className="form-actions">
        <button type="submit" className={c.legal_hold ? 'button button--secondary' : 'button button--primary'} aria-describedby="hold-state hold-hint" disabled={form.busy}>
          {c.legal_hold ? t('complaints:complaint.holdRelease') : t('complaints:complaint.holdSet')}
        </button>
      </div>
    </ValidatedForm>
  );
}

/**
 * Forward to another unit with complaint handlers (GET /api/v1/complaints/forward-targets). The unit
 * loses sight of the complaint, so the choice is confirmed before it is sent.
 */
function ForwardForm({ c, onForwarded }: { c: ComplaintView; onForwarded: (result: { folio: string; unit: string }) => void }) {
  const { t } = useTranslation(['complaints']);
  const announce = useAnnounce();
  const units = useApi<{ items: ComplaintUnit[] }, ComplaintUnit[]>('/api/v1/complaints/forward-targets', undefined, { select: (r) => r.items });
  const [confirming, setConfirming] = useState<ComplaintUnit | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const form = useForm({ institution_id: '', note: '' }, (v) => ({
    institution_id: v.institution_id ? undefined : t('validation.required'),
    note: v.note.trim().length > 2000 ? t('validation.maxLength', { max: 2000 }) : undefined,
  }));
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const send = async (unit: ComplaintUnit) => {
    setBusy(true);
    setFailure(null);
    try {
      await api.post(`/api/v1/complaints/${c.id}/forward`, { institution_id: unit.id, ...(form.values.note.trim() ? { note: form.values.note.trim() } : {}) });
      announce(t('complaints:complaint.forwarded', { folio: c.folio, unit: unit.name }));
      onForwarded({ folio: c.folio, unit: unit.name });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  };
  const cancel = () => {
    setConfirming(null);
    setFailure(null);
    focusAfterRender(() => document.getElementById('forward-submit'));
  };

  return (
    <div className="inline-form">
      <h3 id="forward-form-title">{t('complaints:complaint.forwardTitle')}</h3>
      <p className="hint">{t('complaints:complaint.forwardIntro')}</p>
      {units.error ? (
        <LoadError error={units.error} retry={() => void units.refetch()} />
      ) : units.isFetching ? (
        <Loading />
      ) : !units.data?.length ? (
        <p>{t('complaints:complaint.forwardNoUnits')}</p>
      ) : (
        <ValidatedForm
          form={form}
          aria-labelledby="forward-form-title"
          onValid={async (v) => {
            setConfirming(units.data?.find((u) => u.id === v.institution_id) ?? null);
          }}
        >
          <div className="grid-2">
            <SelectField
              id="forward-unit"
              label={t('complaints:complaint.forwardUnit')}
              required
              placeholder={t('common.choose')}
              options={units.data.map((u) => [u.id, u.name])}
              {...form.text('institution_id')}
              onChange={(value) => {
                form.set('institution_id', value);
                setConfirming(null);
              }}
            />
          </div>
          <TextArea id="forward-note" label={t('complaints:complaint.forwardNote')} rows={2} {...form.text('note')} />
          {confirming ? (
            <div className="alert alert--warning" tabIndex={-1} ref={confirmRef} id="forward-confirm">
              <p>{t('complaints:complaint.forwardConfirm', { folio: c.folio, unit: confirming.name })}</p>
              <FormError message={failure} />
              <div className="form-actions">
                <button type="button" className="button button--primary" disabled={busy} onClick={() => void send(confirming)}>
                  {busy ? t('common.working') : t('complaints:complaint.forwardConfirmYes')}
                </button>
                <button type="button" className="button button--ghost" disabled={busy} onClick={cancel}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <div className="form-actions">
              <button type="submit" id="forward-submit" className="button button--secondary" disabled={form.busy}>
                {t('complaints:complaint.forwardSubmit')}
              </button>
            </div>
          )}
        </ValidatedForm>
      )}
    </div>
  );
}
