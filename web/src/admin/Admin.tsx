import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type Institution, type UserItem } from '../api/client.ts';
import { useCan, useSession } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { formatDateTime } from '../ui/format.ts';
import { Alert, FormError, LoadError, Loading, PageTitle, SelectField, TextField, useAnnounce, useForm, useLang, ValidatedForm, SubmitButton } from '../ui/index.tsx';
import { AdminTabs } from './AdminTabs.tsx';
import { DataTable } from '../ui/DataTable.tsx';

const roles = ['caseworker', 'supervisor', 'analyst', 'auditor', 'administrator', 'complaint_handler', 'search_officer', 'child_protection_officer', 'directory_editor'] as const;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Administrators: the accounts of their institution (platform administrators: of any institution), with
 * role, last sign-in and lock-out, and the institution's second-factor requirement. No case content.
 */
export function Admin() {
  const { t } = useTranslation(['admin']);
  const { session } = useSession();
  const can = useCan();
  const lang = useLang();
  const announce = useAnnounce();
  const anyInstitution = can('users.manage_any');
  const [institutionId, setInstitutionId] = useState(session.institution.id);
  const institutions = useApi<{ items: Institution[] }, Institution[]>('/api/v1/institutions', undefined, { select: (r) => r.items });
  const users = useApi<{ items: UserItem[] }, UserItem[]>('/api/v1/users', { institution_id: institutionId === session.institution.id ? undefined : institutionId }, { select: (r) => r.items });
  const institution = institutions.data?.find((i) => i.id === institutionId) ?? null;
  const institutionName = institution?.name ?? session.institution.name;
  const [link, setLink] = useState<{ who: string; url: string; expires: string; created: boolean } | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);

  const showLink = (who: string, path: string, expiresAt: string, created: boolean) => {
    setLink({ who, url: `${window.location.origin}${path}`, expires: formatDateTime(expiresAt, lang), created });
    window.scrollTo(0, 0);
  };
  /** Runs a row's action; its refusal shows above the table. */
  const act = async (action: () => Promise<void>) => {
    setRowError(null);
    try {
      await action();
    } catch (e) {
      setRowError(errorMessage(e));
    }
  };
  const resetPassword = (u: UserItem) =>
    act(async () => {
      const r = await api.post<{ reset_path: string; expires_at: string }>(`/api/v1/users/${u.id}/reset-password`);
      showLink(u.display_name, r.reset_path, r.expires_at, false);
      announce(t('admin:resetLinkAnnounced', { name: u.display_name }));
    });
  const toggleDisabled = (u: UserItem) =>
    act(async () => {
      await api.post(`/api/v1/users/${u.id}/disable`, { disabled: !u.disabled });
      announce(u.disabled ? t('admin:enabled', { name: u.display_name }) : t('admin:disabled', { name: u.display_name }));
    });
  const unlock = (u: UserItem) =>
    act(async () => {
      await api.post(`/api/v1/users/${u.id}/unlock`);
      announce(t('admin:unlocked', { name: u.display_name }));
    });
  const changeRole = (u: UserItem, role: string) =>
    act(async () => {
      await api.put(`/api/v1/users/${u.id}/membership`, { institution_id: institutionId, role: role || null });
      announce(role ? t('admin:roleChanged', { name: u.display_name, role: t(`roles.${role}`) }) : t('admin:removed', { name: u.display_name, institution: institutionName }));
    });

  return (
    <>
      <PageTitle lead={t('admin:lead', { institution: institutionName })}>{t('admin:title')}</PageTitle>
      <AdminTabs />
      {link && <OneTimeLink link={link} hide={() => setLink(null)} />}
      {rowError && (
        <Alert kind="error" role="alert">
          {rowError}
        </Alert>
      )}

      {anyInstitution && (
        <section className="card section" aria-labelledby="which-title">
          <h2 id="which-title">{t('admin:whichInstitution')}</h2>
          <SelectField
            id="admin-institution"
            label={t('admin:institution')}
            value={institutionId}
            onChange={(id) => {
              setInstitutionId(id);
              setLink(null);
              setRowError(null);
            }}
            options={[[session.institution.id, session.institution.name], ...(institutions.data ?? []).filter((i) => i.id !== session.institution.id).map((i): [string, string] => [i.id, i.name])]}
          />
        </section>
      )}

      <SecondFactorSetting institution={institution} pending={institutions.isPending} act={act} />

      <section className="card section" aria-labelledby="users-title">
        <h2 id="users-title">{t('admin:users')}</h2>
        {users.isPending && !users.data && <Loading />}
        {!!users.error && <LoadError error={users.error} retry={() => void users.refetch()} />}
        {users.data && (
          <UsersTable users={users.data} institutionName={institutionName} actions={{ unlock, resetPassword, toggleDisabled, changeRole }} />
        )}
      </section>

      <NewUserForm institutionId={institutionId} institutionName={institutionName} onCreated={(who, r) => showLink(who, r.invitation_path, r.expires_at, true)} />
    </>
  );
}

/** The one-time link for a new account's first password, or a reset: shown once, to be passed on. */
function OneTimeLink({ link, hide }: { link: { who: string; url: string; expires: string; created: boolean }; hide: () => void }) {
  const { t } = useTranslation(['admin']);
  return (
    <div className="alert alert--warning secret-box" role="alert">
      <p>{t(link.created ? 'admin:welcomeLink' : 'admin:resetLink', { name: link.who, expires: link.expires })}</p>
      <p>
        <code className="password" data-testid="reset-link">
          {link.url}
        </code>
      </p>
      <button type="button" className="button button--secondary button--small" onClick={hide}>
        {t('admin:hideLink')}
      </button>
    </div>
  );
}

/** Whether the institution requires a second factor of everyone; `act` shows a refusal above the table. */
function SecondFactorSetting({ institution, pending, act }: { institution: Institution | null; pending: boolean; act: (action: () => Promise<void>) => Promise<void> }) {
  const { t } = useTranslation(['admin']);
  const announce = useAnnounce();
  // The switch moves at once; it goes back if the server refuses.
  const [choice, setChoice] = useState<boolean | null>(null);
  const toggle = async (id: string, on: boolean) => {
    setChoice(on);
    await act(async () => {
      try {
        await api.patch(`/api/v1/institutions/${id}`, { require_mfa: on });
        announce(on ? t('admin:mfaOn') : t('admin:mfaOff'));
      } finally {
        setChoice(null);
      }
    });
  };
  return (
    <section className="card section" aria-labelledby="mfa-title">
      <h2 id="mfa-title">{t('admin:security')}</h2>
      {pending && <Loading />}
      {institution && (
        <label className="switch">
          <input type="checkbox" checked={choice ?? institution.require_mfa} onChange={(e) => void toggle(institution.id, e.target.checked)} />
          <span>{t('admin:requireMfa')}</span>
        </label>
      )}
      <p className="hint">{t('admin:requireMfaHint')}</p>
    </section>
  );
}

type UserActions = { unlock: (u: UserItem) => unknown; resetPassword: (u: UserItem) => unknown; toggleDisabled: (u: UserItem) => unknown; changeRole: (u: UserItem, role: string) => unknown };

/** The institution's accounts: role (changed in place), state, last sign-in, and what can be done to each. */
function UsersTable({ users, institutionName, actions: { unlock, resetPassword, toggleDisabled, changeRole } }: { users: UserItem[]; institutionName: string; actions: UserActions }) {
  const { t } = useTranslation(['admin']);
  const lang = useLang();
  const { session } = useSession();
  const isSelf = (u: UserItem) => u.id === session.user.id;
  return (
    <DataTable
      rows={users}
      rowKey={(u) => u.id}
      caption={t('admin:usersOf', { institution: institutionName })}
      region="users-title"
      columns={[
        {
          header: t('admin:name'),
          rowHeader: true,
          cell: (u) => (
            <>
              {u.display_name}
              <span className="hint user-email">{u.email}</span>
            </>
          ),
        },
        {
          header: t('admin:role'),
          cell: (u) => (
            <>
              {isSelf(u) ? (
                t(`roles.${u.role}`, { defaultValue: u.role })
              ) : (
                <select aria-label={t('admin:roleOf', { name: u.display_name })} value={u.role} onChange={(e) => void changeRole(u, e.target.value)}>
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {t(`roles.${r}`)}
                    </option>
                  ))}
                  <option value="">{t('admin:noRole', { institution: institutionName })}</option>
                </select>
              )}
              {u.other_institutions > 0 && <span className="hint">{t('admin:otherInstitutions', { count: u.other_institutions })}</span>}
            </>
          ),
        },
        { header: t('admin:state'), cell: (u) => (u.disabled ? t('admin:stateDisabled') : u.locked ? t('admin:stateLocked') : t('admin:stateActive')) },
        { header: t('admin:lastSignIn'), cell: (u) => (u.last_sign_in_at ? formatDateTime(u.last_sign_in_at, lang) : t('admin:never')) },
        {
          header: t('admin:actions'),
          className: 'actions',
          cell: (u) => (
            <>
              {u.locked && (
                <button type="button" className="button button--primary button--small" onClick={() => void unlock(u)}>
                  {t('admin:unlock')}
                  <span className="visually-hidden"> ({u.display_name})</span>
                </button>
              )}
              <button type="button" className="button button--secondary button--small" onClick={() => void resetPassword(u)}>
                {t('admin:resetPassword')}
                <span className="visually-hidden"> ({u.display_name})</span>
              </button>
              {!isSelf(u) && (
                <button type="button" className="button button--ghost button--small" onClick={() => void toggleDisabled(u)}>
                  {u.disabled ? t('admin:enable') : t('admin:disable')}
                  <span className="visually-hidden"> ({u.display_name})</span>
                </button>
              )}
            </>
          ),
        },
      ]}
    />
  );
}

/** A new account: the server answers with a one-time link for its first password, shown by the page. */
function NewUserForm({ institutionId, institutionName, onCreated }: { institutionId: string; institutionName: string; onCreated: (who: string, r: { invitation_path: string; expires_at: string }) => void }) {
  const { t } = useTranslation(['admin']);
  const form = useForm({ email: '', display_name: '', role: '', preferred_language: 'es' }, (v) => ({
    email: !v.email.trim() ? t('validation.required') : !emailPattern.test(v.email.trim()) ? t('validation.email') : undefined,
    display_name: !v.display_name.trim() ? t('validation.required') : v.display_name.length > 120 ? t('validation.maxLength', { max: 120 }) : undefined,
    role: v.role ? undefined : t('validation.required'),
  }));

  return (
    <section className="card section" aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t('admin:newUser')}</h2>
      <p className="hint">{t('admin:newUserHint', { institution: institutionName })}</p>
      <ValidatedForm
        form={form}
        onValid={async (v) => {
          // The same answer whether or not the email has an account elsewhere: an invitation link.
          const r = await api.post<{ invitation_path: string; expires_at: string }>('/api/v1/users', { email: v.email.trim(), display_name: v.display_name.trim(), role: v.role, preferred_language: v.preferred_language, institution_id: institutionId });
          onCreated(v.display_name.trim(), r);
          form.reset();
        }}
      >
        <div className="grid-2">
          <TextField id="user-name" label={t('admin:name')} required autoComplete="off" {...form.text('display_name')} />
          <TextField id="user-email" type="email" label={t('admin:email')} required autoComplete="off" {...form.text('email')} />
          <SelectField id="user-role" label={t('admin:role')} required placeholder={t('common.choose')} options={roles.map((r) => [r, t(`roles.${r}`)])} {...form.text('role')} />
          <SelectField
            id="user-language"
            label={t('admin:language')}
            options={[
              ['es', 'Español'],
              ['en', 'English'],
            ]}
            {...form.text('preferred_language')}
          />
        </div>
        <SubmitButton busy={form.busy}>{t('admin:create')}</SubmitButton>
      </ValidatedForm>
    </section>
  );
}
