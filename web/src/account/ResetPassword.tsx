import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { Alert, PageTitle, SubmitButton, TextField, useForm, ValidatedForm } from '../ui/index.tsx';
import { SignInFrame } from './SignInFrame.tsx';

/**
 * The page behind an administrator's one-time link (/cuenta/restablecer#token): the user chooses a new
 * password. The token travels in the fragment, which the browser never sends in a request line or logs.
 */
export function ResetPassword() {
  const { t } = useTranslation(['account', 'app']);
  const [token] = useState(() => window.location.hash.slice(1));
  const [done, setDone] = useState(false);
  useEffect(() => {
    document.title = `${t('account:reset.title')} · Amparo`;
  }, [t]);
  const form = useForm({ password: '', confirm: '' }, (v) => ({
    password: v.password.length < 12 ? t('account:reset.tooShort') : undefined,
    confirm: v.confirm !== v.password ? t('account:reset.mismatch') : undefined,
  }));
  return (
    <SignInFrame>
      <PageTitle lead={t('account:reset.lead')}>{t('account:reset.title')}</PageTitle>
      {done ? (
        <Alert kind="success" role="status">
          {t('account:reset.done')} <a href="/personal">{t('account:reset.signIn')}</a>
        </Alert>
      ) : !token ? (
        <Alert kind="error" role="alert">
          {t('account:reset.noToken')}
        </Alert>
      ) : (
        <ValidatedForm
          form={form}
          onValid={async (v) => {
            await api.post('/api/v1/account/password-reset', { token, new_password: v.password });
            window.history.replaceState(null, '', window.location.pathname);
            setDone(true);
          }}
        >
          <TextField id="reset-password" label={t('account:reset.password')} hint={t('account:reset.hint')} type="password" autoComplete="new-password" required {...form.text('password')} />
          <TextField id="reset-confirm" label={t('account:reset.confirm')} type="password" autoComplete="new-password" required {...form.text('confirm')} />
          <SubmitButton block busy={form.busy}>
            {t('account:reset.submit')}
          </SubmitButton>
        </ValidatedForm>
      )}
    </SignInFrame>
  );
}
