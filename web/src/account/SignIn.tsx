import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken, type Session } from '../api/client.ts';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { Alert, FormError, PageTitle, TextField, useForm } from '../ui/index.tsx';

// The QR drawing is fetched only by those who must set up the second factor: sign-in stays small.
const QrCode = lazy(() => import('./QrCode.tsx').then((m) => ({ default: m.QrCode })));

type Step = 'password' | 'mfa_required' | 'mfa_enrolment_required';
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Sign-in: email and password, then a TOTP code, or a first enrolment when the institution requires it. */
export function SignIn({ pending, onSignedIn, onCancel }: { pending?: Session['state'] | undefined; onSignedIn: () => Promise<void>; onCancel: () => Promise<void> }) {
  const { t } = useTranslation(['account', 'app']);
  const [step, setStep] = useState<Step>(pending && pending !== 'active' ? pending : 'password');

  useEffect(() => {
    document.title = `${t('account:signIn.title')} · Amparo`;
  }, [t]);

  const afterPassword = async (state: Session['state']) => {
    // The CSRF token comes with the (possibly pending) session.
    const session = await api.get<Session>('/api/v1/auth/session');
    setCsrfToken(session.csrf_token);
    if (state === 'active') await onSignedIn();
    else setStep(state);
  };

  return (
    <div className="signin">
      <a className="skip-link" href="#main">
        {t('app:shell.skip')}
      </a>
      <header className="signin__header">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            A
          </span>
          <span className="brand__name">Amparo</span>
        </div>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1} className="signin__main">
        <div className="card signin__card">
          {step === 'password' && <PasswordStep onDone={afterPassword} />}
          {step === 'mfa_required' && <TotpStep onDone={onSignedIn} onCancel={onCancel} />}
          {step === 'mfa_enrolment_required' && <EnrolStep onDone={onSignedIn} onCancel={onCancel} />}
        </div>
        <p className="signin__about">{t('account:signIn.about')}</p>
      </main>
    </div>
  );
}

function PasswordStep({ onDone }: { onDone: (state: Session['state']) => Promise<void> }) {
  const { t } = useTranslation(['account', 'app']);
  const form = useForm({ email: '', password: '' }, (v) => ({
    email: !v.email.trim() ? t('validation.required') : !emailPattern.test(v.email.trim()) ? t('validation.email') : undefined,
    password: !v.password ? t('validation.required') : undefined,
  }));
  return (
    <>
      <PageTitle lead={t('account:signIn.lead')}>{t('account:signIn.title')}</PageTitle>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            const result = await api.post<{ state: Session['state'] }>('/api/v1/auth/login', { email: v.email.trim(), password: v.password });
            await onDone(result.state);
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <TextField id="signin-email" label={t('account:signIn.email')} type="email" autoComplete="username" required {...form.text('email')} />
        <TextField id="signin-password" label={t('account:signIn.password')} type="password" autoComplete="current-password" required {...form.text('password')} />
        <button type="submit" className="button button--primary button--block" disabled={form.busy}>
          {form.busy ? t('common.working') : t('account:signIn.submit')}
        </button>
      </form>
    </>
  );
}

const codeRule = (t: (k: string) => string) => (v: { code: string }) => ({ code: !/^\d{6}$/.test(v.code.trim()) ? t('validation.totp') : undefined });

function TotpStep({ onDone, onCancel }: { onDone: () => Promise<void>; onCancel: () => Promise<void> }) {
  const { t } = useTranslation(['account', 'app']);
  const form = useForm({ code: '' }, codeRule(t));
  const [withRecovery, setWithRecovery] = useState(false);
  if (withRecovery) return <RecoveryStep onDone={onDone} onBack={() => setWithRecovery(false)} />;
  return (
    <>
      <PageTitle lead={t('account:signIn.totpLead')}>{t('account:signIn.totpTitle')}</PageTitle>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            await api.post('/api/v1/auth/totp', { code: v.code.trim() });
            await onDone();
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <TextField id="totp-code" label={t('account:signIn.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
        <button type="submit" className="button button--primary button--block" disabled={form.busy}>
          {t('account:signIn.verify')}
        </button>
        <button type="button" className="button button--link" onClick={() => setWithRecovery(true)}>
          {t('account:signIn.useRecovery')}
        </button>
        <button type="button" className="button button--link" onClick={() => void onCancel()}>
          {t('account:signIn.cancel')}
        </button>
      </form>
    </>
  );
}

/** When the authenticator is lost: one of the recovery codes printed at set-up, used once. */
function RecoveryStep({ onDone, onBack }: { onDone: () => Promise<void>; onBack: () => void }) {
  const { t } = useTranslation(['account', 'app']);
  const form = useForm({ code: '' }, (v) => ({ code: v.code.replace(/[^A-Za-z0-9]/g, '').length !== 10 ? t('account:signIn.recoveryFormat') : undefined }));
  return (
    <>
      <PageTitle lead={t('account:signIn.recoveryLead')}>{t('account:signIn.recoveryTitle')}</PageTitle>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            await api.post('/api/v1/account/recovery', { code: v.code.trim() });
            await onDone();
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <TextField id="recovery-code" label={t('account:signIn.recoveryCode')} hint={t('account:signIn.recoveryHint')} autoComplete="off" spellCheck={false} maxLength={20} required {...form.text('code')} />
        <button type="submit" className="button button--primary button--block" disabled={form.busy}>
          {t('account:signIn.verify')}
        </button>
        <button type="button" className="button button--link" onClick={onBack}>
          {t('account:signIn.backToCode')}
        </button>
      </form>
    </>
  );
}

function EnrolStep({ onDone, onCancel }: { onDone: () => Promise<void>; onCancel: () => Promise<void> }) {
  const { t } = useTranslation(['account', 'app']);
  const [setup, setSetup] = useState<{ secret: string; otpauth_url: string } | null>(null);
  const [setupError, setSetupError] = useState<string | null>(null);
  const form = useForm({ code: '' }, codeRule(t));

  useEffect(() => {
    api.post<{ secret: string; otpauth_url: string }>('/api/v1/auth/totp/setup').then(setSetup, (e: Error) => setSetupError(e.message));
  }, []);

  const grouped = setup?.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <>
      <PageTitle lead={t('account:signIn.enrolLead')}>{t('account:signIn.enrolTitle')}</PageTitle>
      {setupError && <Alert kind="error" role="alert">{setupError}</Alert>}
      {setup && (
        <ol className="steps">
          <li>{t('account:signIn.enrolStep1')}</li>
          <li>
            {t('account:signIn.enrolStep2')}
            <Suspense fallback={null}>
              <QrCode text={setup.otpauth_url} label={t('account:signIn.qrLabel')} />
            </Suspense>
            <span className="secret">
              <span className="secret__label">{t('account:signIn.secret')}</span>
              <code data-testid="totp-secret">{grouped}</code>
            </span>
          </li>
          <li>{t('account:signIn.enrolStep3')}</li>
        </ol>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            await api.post('/api/v1/auth/totp/enable', { code: v.code.trim() });
            await onDone();
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <TextField id="enrol-code" label={t('account:signIn.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
        <button type="submit" className="button button--primary button--block" disabled={form.busy || !setup}>
          {t('account:signIn.enable')}
        </button>
        <button type="button" className="button button--link" onClick={() => void onCancel()}>
          {t('account:signIn.cancel')}
        </button>
      </form>
    </>
  );
}
