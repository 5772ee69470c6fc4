import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api/client.ts';
import { SignInFrame } from './SignInFrame.tsx';
import { Alert, FormError, Loading, PageTitle, TextField, useForm } from '../ui/index.tsx';

type Offer = { institution: string; role: string; display_name: string; email: string; account: 'new' | 'existing'; signed_in_as_invitee: boolean };

/**
 * The page behind an invitation link (/cuenta/invitacion#token). A new person chooses her password;
 * the holder of an existing account signs in (in another tab: the session cookie is shared) and
 * accepts. The token travels in the fragment, which the browser never sends in a request line.
 */
export function Invitation() {
  const { t } = useTranslation(['account', 'ui']);
  const [token] = useState(() => window.location.hash.slice(1));
  const [offer, setOffer] = useState<Offer | null>(null);
  const [error, setError] = useState<string | null>(token ? null : t('account:reset.noToken'));
  const [done, setDone] = useState<'new' | 'existing' | null>(null);
  useEffect(() => {
    document.title = `${t('account:invitation.title')} · Amparo`;
  }, [t]);
  const load = async () => {
    try {
      setOffer(await api.post<Offer>('/api/v1/account/invitation', { token }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    if (token) void load();
    // Read once per link; "accept" reads it again after a sign-in in another tab.
  }, [token]);
  const finish = (account: 'new' | 'existing') => {
    window.history.replaceState(null, '', window.location.pathname);
    setDone(account);
  };
  const form = useForm({ password: '', confirm: '' }, (v) => ({
    password: v.password.length < 12 ? t('account:reset.tooShort') : undefined,
    confirm: v.confirm !== v.password ? t('account:reset.mismatch') : undefined,
  }));
  const accept = async () => {
    try {
      finish((await api.post<{ account: 'new' | 'existing' }>('/api/v1/account/invitation/accept', { token })).account);
    } catch (e) {
      setError(errorMessage(e));
      await load();
    }
  };
  return (
    <SignInFrame>
      <PageTitle lead={offer ? t('account:invitation.lead', { name: offer.display_name, institution: offer.institution, role: t(`ui:roles.${offer.role}`) }) : undefined}>{t('account:invitation.title')}</PageTitle>
      {done ? (
        <Alert kind="success" role="status">
          {done === 'new' ? t('account:invitation.doneNew') : t('account:invitation.done', { institution: offer?.institution ?? '' })} <a href="/personal">{t('account:reset.signIn')}</a>
        </Alert>
      ) : (
        <>
          {error && (
            <Alert kind="error" role="alert">
              {error}
            </Alert>
          )}
          {!offer && !error && <Loading />}
          {offer?.account === 'new' && (
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void form.submit(async (v) => {
                  finish((await api.post<{ account: 'new' | 'existing' }>('/api/v1/account/invitation/accept', { token, new_password: v.password })).account);
                });
              }}
            >
              <p>{t('account:invitation.newLead', { email: offer.email })}</p>
              <FormError message={form.formError} errors={form.shown} />
              <TextField id="invitation-password" label={t('account:reset.password')} hint={t('account:reset.hint')} type="password" autoComplete="new-password" required {...form.text('password')} />
              <TextField id="invitation-confirm" label={t('account:reset.confirm')} type="password" autoComplete="new-password" required {...form.text('confirm')} />
              <button type="submit" className="button button--primary button--block" disabled={form.busy}>
                {t('account:reset.submit')}
              </button>
            </form>
          )}
          {offer?.account === 'existing' && (
            <>
              <p>{t('account:invitation.existingLead', { email: offer.email })}</p>
              {!offer.signed_in_as_invitee && (
                <p>
                  {t('account:invitation.signInFirst')}{' '}
                  <a href="/personal" target="_blank" rel="noopener">
                    {t('account:invitation.openSignIn')}
                  </a>
                </p>
              )}
              <button type="button" className="button button--primary button--block" onClick={() => void accept()}>
                {t('account:invitation.accept')}
              </button>
            </>
          )}
        </>
      )}
    </SignInFrame>
  );
}
