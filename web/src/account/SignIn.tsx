import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken, type Session } from '../api/client.ts';
import { holdCredentials } from '../offline/credentials.ts';
import { Alert, PageTitle, SubmitButton, TextField, useForm, ValidatedForm } from '../ui/index.tsx';
import { SignInFrame } from './SignInFrame.tsx';
import { TotpSetupSteps } from './TotpSetupSteps.tsx';

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
    <SignInFrame skipLink after={<p className="signin__about">{t('account:signIn.about')}</p>}>
      {step === 'password' && <PasswordStep onDone={afterPassword} />}
      {step === 'mfa_required' && <TotpStep onDone={onSignedIn} onCancel={onCancel} />}
      {step === 'mfa_enrolment_required' && <EnrolStep onDone={onSignedIn} onCancel={onCancel} />}
    </SignInFrame>
  );
}

/** One step of signing in: its title, a form of one or two fields, the button, and the ways out (links). */
function Step<T extends Record<string, unknown>>({
  title,
  lead,
  intro,
  form,
  onValid,
  submitLabel,
  ready = true,
  ways = [],
  children,
}: {
  title: string;
  lead: string;
  /** What comes between the title and the form. */
  intro?: ReactNode;
  form: ReturnType<typeof useForm<T>>;
  onValid: (values: T) => Promise<void>;
  submitLabel: string;
  /** False until what the step needs has arrived. */
  ready?: boolean;
  ways?: [label: string, go: () => void][];
  children: ReactNode;
}) {
  return (
    <>
      <PageTitle lead={lead}>{title}</PageTitle>
      {intro}
      <ValidatedForm form={form} onValid={onValid}>
        {children}
        <SubmitButton block busy={form.busy} disabled={!ready}>
          {submitLabel}
        </SubmitButton>
        {ways.map(([text, go]) => (
          <button key={text} type="button" className="button button--link" onClick={go}>
            {text}
          </button>
        ))}
      </ValidatedForm>
    </>
  );
}

function PasswordStep({ onDone }: { onDone: (state: Session['state']) => Promise<void> }) {
  const { t } = useTranslation(['account', 'app']);
  const form = useForm({ email: '', password: '' }, (v) => ({
    email: !v.email.trim() ? t('validation.required') : !emailPattern.test(v.email.trim()) ? t('validation.email') : undefined,
    password: !v.password ? t('validation.required') : undefined,
  }));
  return (
    <Step
      title={t('account:signIn.title')}
      lead={t('account:signIn.lead')}
      form={form}
      submitLabel={form.busy ? t('common.working') : t('account:signIn.submit')}
      onValid={async (v) => {
        const result = await api.post<{ state: Session['state'] }>('/api/v1/auth/login', { email: v.email.trim(), password: v.password });
        // The device's offline store is opened with a key from this password (web/src/offline).
        holdCredentials(v.email.trim(), v.password);
        await onDone(result.state);
      }}
    >
      <TextField id="signin-email" label={t('account:signIn.email')} type="email" autoComplete="username" required {...form.text('email')} />
      <TextField id="signin-password" label={t('account:signIn.password')} type="password" autoComplete="current-password" required {...form.text('password')} />
    </Step>
  );
}

const codeRule = (t: (k: string) => string) => (v: { code: string }) => ({ code: !/^\d{6}$/.test(v.code.trim()) ? t('validation.totp') : undefined });

function TotpStep({ onDone, onCancel }: { onDone: () => Promise<void>; onCancel: () => Promise<void> }) {
  const { t } = useTranslation(['account', 'app']);
  const form = useForm({ code: '' }, codeRule(t));
  const [withRecovery, setWithRecovery] = useState(false);
  if (withRecovery) return <RecoveryStep onDone={onDone} onBack={() => setWithRecovery(false)} />;
  return (
    <Step
      title={t('account:signIn.totpTitle')}
      lead={t('account:signIn.totpLead')}
      form={form}
      submitLabel={t('account:signIn.verify')}
      ways={[
        [t('account:signIn.useRecovery'), () => setWithRecovery(true)],
        [t('account:signIn.cancel'), () => void onCancel()],
      ]}
      onValid={async (v) => {
        await api.post('/api/v1/auth/totp', { code: v.code.trim() });
        await onDone();
      }}
    >
      <TextField id="totp-code" label={t('account:signIn.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
    </Step>
  );
}

/** When the authenticator is lost: one of the recovery codes printed at set-up, used once. */
function RecoveryStep({ onDone, onBack }: { onDone: () => Promise<void>; onBack: () => void }) {
  const { t } = useTranslation(['account', 'app']);
  const form = useForm({ code: '' }, (v) => ({ code: v.code.replace(/[^A-Za-z0-9]/g, '').length !== 10 ? t('account:signIn.recoveryFormat') : undefined }));
  return (
    <Step
      title={t('account:signIn.recoveryTitle')}
      lead={t('account:signIn.recoveryLead')}
      form={form}
      submitLabel={t('account:signIn.verify')}
      ways={[[t('account:signIn.backToCode'), onBack]]}
      onValid={async (v) => {
        await api.post('/api/v1/account/recovery', { code: v.code.trim() });
        await onDone();
      }}
    >
      <TextField id="recovery-code" label={t('account:signIn.recoveryCode')} hint={t('account:signIn.recoveryHint')} autoComplete="off" spellCheck={false} maxLength={20} required {...form.text('code')} />
    </Step>
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

  return (
    <Step
      title={t('account:signIn.enrolTitle')}
      lead={t('account:signIn.enrolLead')}
      intro={
        <>
          {setupError && <Alert kind="error" role="alert">{setupError}</Alert>}
          {setup && (
            <TotpSetupSteps
              secret={setup.secret}
              qr={
                <Suspense fallback={null}>
                  <QrCode text={setup.otpauth_url} label={t('account:signIn.qrLabel')} />
                </Suspense>
              }
              secretLabel={t('account:signIn.secret')}
              steps={[t('account:signIn.enrolStep1'), t('account:signIn.enrolStep2'), t('account:signIn.enrolStep3')]}
            />
          )}
        </>
      }
      form={form}
      submitLabel={t('account:signIn.enable')}
      ready={!!setup}
      ways={[[t('account:signIn.cancel'), () => void onCancel()]]}
      onValid={async (v) => {
        await api.post('/api/v1/auth/totp/enable', { code: v.code.trim() });
        await onDone();
      }}
    >
      <TextField id="enrol-code" label={t('account:signIn.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
    </Step>
  );
}
