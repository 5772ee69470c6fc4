import { useTranslation } from 'react-i18next';
import { api, type CaseView, type UserItem } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { options, today } from '../ui/format.ts';
import { FormError, SelectField, TextField, useAnnounce, useForm, useLang } from '../ui/index.tsx';
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
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void assign.submit(async (v) => {
          await api.patch(`/api/v1/cases/${c.id}`, { assigned_to: v.assigned_to || null });
          announce(t('cases:supervisor.assigned'));
        });
      }}
    >
      <FormError message={assign.formError} errors={assign.shown} />
      <SelectField id="assign-user" label={t('cases:supervisor.assignTo')} placeholder={t('cases:cases.unassigned')} options={userOptions} {...assign.text('assigned_to')} />
      <button type="submit" className="button button--secondary" disabled={assign.busy}>
        {t('cases:supervisor.assign')}
      </button>
    </form>
  );
}

function AccessForm({ c, userOptions }: { c: CaseView; userOptions: UserOptions }) {
  const { t } = useTranslation(['cases']);
  const announce = useAnnounce();
  const access = useForm({ user_id: '' }, (v) => ({ user_id: v.user_id ? undefined : t('validation.required') }));
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void access.submit(async (v) => {
          await api.post(`/api/v1/cases/${c.id}/access`, { user_id: v.user_id });
          announce(t('cases:supervisor.accessGranted'));
          access.reset();
        });
      }}
    >
      <FormError message={access.formError} errors={access.shown} />
      <SelectField id="access-user" label={t('cases:supervisor.grantAccess')} hint={t('cases:supervisor.grantAccessHint')} placeholder={t('common.choose')} options={userOptions} {...access.text('user_id')} />
      <button type="submit" className="button button--secondary" disabled={access.busy}>
        {t('cases:supervisor.grant')}
      </button>
    </form>
  );
}

function ReopenForm({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const announce = useAnnounce();
  const status = useForm({}, () => ({}));
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void status.submit(async () => {
          await api.patch(`/api/v1/cases/${c.id}`, { status: 'reopened' });
          announce(t('cases:supervisor.reopened'));
        });
      }}
    >
      <FormError message={status.formError} errors={status.shown} />
      <button type="submit" className="button button--secondary" disabled={status.busy}>
        {t('cases:supervisor.reopen')}
      </button>
    </form>
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
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void close.submit(async (v) => {
          await api.patch(`/api/v1/cases/${c.id}`, { status: 'closed', closure_reason: v.closure_reason, closed_on: v.closed_on });
          announce(t('cases:supervisor.closed'));
          onDone();
        });
      }}
    >
      <FormError message={close.formError} errors={close.shown} />
      <div className="grid-2">
        <SelectField id="close-reason" label={t('cases:supervisor.closureReason')} required placeholder={t('common.choose')} options={options('closureReasons', lang)} {...close.text('closure_reason')} />
        <TextField id="close-date" type="date" label={t('cases:supervisor.closedOn')} required max={today()} min={c.opened_on} {...close.text('closed_on')} />
      </div>
      <button type="submit" className="button button--danger" disabled={close.busy}>
        {t('cases:supervisor.confirmClose')}
      </button>
    </form>
  );
}
