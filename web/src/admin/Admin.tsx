import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type Institution, type UserItem } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { Alert, FormError, LoadError, Loading, PageTitle, SelectField, TextField, useAnnounce, useForm } from '../ui/index.tsx';

const roles = ['caseworker', 'supervisor', 'analyst', 'auditor', 'administrator', 'complaint_handler', 'search_officer', 'child_protection_officer'] as const;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Administrators: accounts of the institution and its second-factor requirement. No case content. */
export function Admin() {
  const { t } = useTranslation(['admin']);
  const { session } = useSession();
  const announce = useAnnounce();
  const users = useApi<{ items: UserItem[] }, UserItem[]>('/api/v1/users', undefined, { select: (r) => r.items });
  const institution = useApi<{ items: Institution[] }, Institution | null>('/api/v1/institutions', undefined, { select: (r) => r.items.find((i) => i.id === session.institution.id) ?? null });
  const [secret, setSecret] = useState<{ who: string; password: string } | null>(null);
  const [link, setLink] = useState<{ who: string; url: string; expires: string } | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  // The switch moves at once; it goes back if the server refuses.
  const [mfaChoice, setMfaChoice] = useState<boolean | null>(null);

  const form = useForm({ email: '', display_name: '', role: '', preferred_language: 'es' }, (v) => ({
    email: !v.email.trim() ? t('validation.required') : !emailPattern.test(v.email.trim()) ? t('validation.email') : undefined,
    display_name: !v.display_name.trim() ? t('validation.required') : v.display_name.length > 120 ? t('validation.maxLength', { max: 120 }) : undefined,
    role: v.role ? undefined : t('validation.required'),
  }));

  const resetPassword = async (u: UserItem) => {
    setRowError(null);
    try {
      const r = await api.post<{ reset_path: string; expires_at: string }>(`/api/v1/users/${u.id}/reset-password`);
      setSecret(null);
      setLink({ who: u.display_name, url: `${window.location.origin}${r.reset_path}`, expires: new Date(r.expires_at).toLocaleString(session.user.preferred_language === 'en' ? 'en-GB' : 'es-MX', { dateStyle: 'long', timeStyle: 'short' }) });
      announce(t('admin:resetLinkAnnounced', { name: u.display_name }));
    } catch (e) {
      setRowError(errorMessage(e));
    }
  };
  const toggleDisabled = async (u: UserItem) => {
    setRowError(null);
    try {
      await api.post(`/api/v1/users/${u.id}/disable`, { disabled: !u.disabled });
      announce(u.disabled ? t('admin:enabled', { name: u.display_name }) : t('admin:disabled', { name: u.display_name }));
    } catch (e) {
      setRowError(errorMessage(e));
    }
  };
  const toggleMfa = async (on: boolean) => {
    setRowError(null);
    setMfaChoice(on);
    try {
      await api.patch(`/api/v1/institutions/${session.institution.id}`, { require_mfa: on });
      announce(on ? t('admin:mfaOn') : t('admin:mfaOff'));
    } catch (e) {
      setMfaChoice(null);
      setRowError(errorMessage(e));
    }
  };

  return (
    <>
      <PageTitle lead={t('admin:lead', { institution: session.institution.name })}>{t('admin:title')}</PageTitle>
      {secret && (
        <div className="alert alert--warning secret-box" role="alert">
          <p>{t('admin:passwordOnce', { name: secret.who })}</p>
          <p>
            <code className="password" data-testid="new-password">
              {secret.password}
            </code>
          </p>
          <button type="button" className="button button--secondary button--small" onClick={() => setSecret(null)}>
            {t('admin:hidePassword')}
          </button>
        </div>
      )}
      {link && (
        <div className="alert alert--warning secret-box" role="alert">
          <p>{t('admin:resetLink', { name: link.who, expires: link.expires })}</p>
          <p>
            <code className="password" data-testid="reset-link">
              {link.url}
            </code>
          </p>
          <button type="button" className="button button--secondary button--small" onClick={() => setLink(null)}>
            {t('admin:hidePassword')}
          </button>
        </div>
      )}
      {rowError && (
        <Alert kind="error" role="alert">
          {rowError}
        </Alert>
      )}

      <section className="card section" aria-labelledby="mfa-title">
        <h2 id="mfa-title">{t('admin:security')}</h2>
        {institution.isPending && <Loading />}
        {institution.data && (
          <label className="switch">
            <input type="checkbox" checked={mfaChoice ?? institution.data.require_mfa} onChange={(e) => void toggleMfa(e.target.checked)} />
            <span>{t('admin:requireMfa')}</span>
          </label>
        )}
        <p className="hint">{t('admin:requireMfaHint')}</p>
      </section>

      <section className="card section" aria-labelledby="users-title">
        <h2 id="users-title">{t('admin:users')}</h2>
        {users.isPending && !users.data && <Loading />}
        {!!users.error && <LoadError error={users.error} retry={() => void users.refetch()} />}
        {users.data && (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{t('admin:users')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin:name')}</th>
                  <th scope="col">{t('admin:email')}</th>
                  <th scope="col">{t('admin:role')}</th>
                  <th scope="col">{t('admin:state')}</th>
                  <th scope="col">{t('admin:actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id}>
                    <th scope="row" data-label={t('admin:name')}>
                      {u.display_name}
                    </th>
                    <td data-label={t('admin:email')}>{u.email}</td>
                    <td data-label={t('admin:role')}>{t(`roles.${u.role}`, { defaultValue: u.role })}</td>
                    <td data-label={t('admin:state')}>{u.disabled ? t('admin:stateDisabled') : u.locked ? t('admin:stateLocked') : t('admin:stateActive')}</td>
                    <td data-label={t('admin:actions')} className="actions">
                      <button type="button" className="button button--secondary button--small" onClick={() => void resetPassword(u)}>
                        {t('admin:resetPassword')}
                        <span className="visually-hidden"> ({u.display_name})</span>
                      </button>
                      {u.id !== session.user.id && (
                        <button type="button" className="button button--ghost button--small" onClick={() => void toggleDisabled(u)}>
                          {u.disabled ? t('admin:enable') : t('admin:disable')}
                          <span className="visually-hidden"> ({u.display_name})</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card section" aria-labelledby="new-user-title">
        <h2 id="new-user-title">{t('admin:newUser')}</h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void form.submit(async (v) => {
              const r = await api.post<{ id: string; password: string }>('/api/v1/users', { email: v.email.trim(), display_name: v.display_name.trim(), role: v.role, preferred_language: v.preferred_language });
              setSecret({ who: v.display_name.trim(), password: r.password });
              form.reset();
              window.scrollTo(0, 0);
            });
          }}
        >
          <FormError message={form.formError} errors={form.shown} />
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
          <button type="submit" className="button button--primary" disabled={form.busy}>
            {t('admin:create')}
          </button>
        </form>
      </section>
    </>
  );
}
