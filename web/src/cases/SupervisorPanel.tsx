import { useTranslation } from 'react-i18next';
import { api, type CaseView, type UserItem } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { options, today } from '../ui/format.ts';
import { FormError, SelectField, TextField, useAnnounce, useForm, useLang, ValidatedForm } from '../ui/index.tsx';
import { Disclosure } from './CaseParts.tsx';

type UserOptions = [string, string][];

/** Supervisors assign, open the case to a caseworker, close and reopen. */
export function SupervisorPanel({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const users = useApi<{ items: UserItem[] }, UserItem[]>('/api/v1/users', undefined, { select: (r) => r.items });
  const userOptions: UserOptions = (users.data ?? []).map((u) => [u.id, u.display_name]);
  return (
    <section className="card section supervisor" aria-labelledby="supervisor-title">
      <h2 id="supervisor-title">{t('cases:supervisor.title')}</h2>
      <div className="grid-2">
        <AssignForm c={c} userOptions={userOptions} />
        <AccessForm c={c} userOptions={userOptions} />
      </div>
      {c.status === 'closed' ? <ReopenForm c={c} /> : <Disclosure label={t('cases:supervisor.close')}>{(done) => <CloseForm c={c} onDone={done} />}</Disclosure>}
    </section>
  );
}

function AssignForm({ c, userOptions }: { c: CaseView; userOptions: UserOptions }) {
  const { t } = useTranslation(['cases']);
  const announce = useAnnounce();
  const assign = useForm({ assigned_to: c.assigned_to?.id ?? '' }, () => ({}));
  return (
    <ValidatedForm
      form={assign}
      onValid={async (v) => {
        await api.patch(`/api/v1/cases/${c.id}`, { assigned_to: v.assigned_to || null });
        announce(t('cases:supervisor.assigned'));
      }}
    >
      <SelectField id="assign-user" label={t('cases:supervisor.assignTo')} placeholder={t('cases:cases.unassigned')} options={userOptions} {...assign.text('assigned_to')} />
      <button type="submit" className="button button--secondary" disabled={assign.busy}>
        {t('cases:supervisor.assign')}
      </button>
    </ValidatedForm>
  );
}

function AccessForm({ c, userOptions }: { c: CaseView; userOptions: UserOptions }) {
  const { t } = useTranslation(['cases']);
  const announce = useAnnounce();
  const access = useForm({ user_id: '' }, (v) => ({ user_id: v.user_id ? undefined : t('validation.required') }));
  return (
    <ValidatedForm
      form={access}
      onValid={async (v) => {
        await api.post(`/api/v1/cases/${c.id}/access`, { user_id: v.user_id });
        announce(t('cases:supervisor.accessGranted'));
        access.reset();
      }}
    >
      <SelectField id="access-user" label={t('cases:supervisor.grantAccess')} hint={t('cases:supervisor.grantAccessHint')} placeholder={t('common.choose')} options={userOptions} {...access.text('user_id')} />
      <button type="submit" className="button button--secondary" disabled={access.busy}>
        {t('cases:supervisor.grant')}
      </button>
    </ValidatedForm>
  );
}

function ReopenForm({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const announce = useAnnounce();
  const status = useForm({}, () => ({}));
  return (
    <ValidatedForm
      form={status}
      onValid={async () => {
        await api.patch(`/api/v1/cases/${c.id}`, { status: 'reopened' });
        announce(t('cases:supervisor.reopened'));
      }}
    >
      <button type="submit" className="button button--secondary" disabled={status.busy}>
        {t('cases:supervisor.reopen')}
      </button>
    </ValidatedForm>
  );
}

function CloseForm({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const announce = useAnnounce();
  const close = useForm({ closure_reason: '', closed_on: today() }, (v) => ({
    closure_reason: v.closure_reason ? undefined : t('validation.required'),
    closed_on: !v.closed_on ? t('validation.required') : v.closed_on > today() ? t('validation.dateInFuture') : v.closed_on < c.opened_on ? t('validation.beforeOpening') : undefined,
  }));
  return (
    <ValidatedForm
      form={close}
      onValid={async (v) => {
        await api.patch(`/api/v1/cases/${c.id}`, { status: 'closed', closure_reason: v.closure_reason, closed_on: v.closed_on });
        announce(t('cases:supervisor.closed'));
        onDone();
      }}
    >
      <div className="grid-2">
        <SelectField id="close-reason" label={t('cases:supervisor.closureReason')} required placeholder={t('common.choose')} options={options('closureReasons', lang)} {...close.text('closure_reason')} />
        <TextField id="close-date" type="date" label={t('cases:supervisor.closedOn')} required max={today()} min={c.opened_on} {...close.text('closed_on')} />
      </div>
      <button type="submit" className="button button--danger" disabled={close.busy}>
        {t('cases:supervisor.confirmClose')}
      </button>
    </ValidatedForm>
  );
}
