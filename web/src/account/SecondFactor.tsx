import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Alert, LoadError, Loading, SaveOrCancel, TextField, useAnnounce, useForm, ValidatedForm } from '../ui/index.tsx';
import { QrCode } from './QrCode.tsx';
import { TotpSetupSteps } from './TotpSetupSteps.tsx';

type Status = ApiAnswer<'/api/v1/account/second-factor'>;
type Setup = { secret: string; otpauth_url: string };

const codeRule = (t: (k: string) => string) => (code: string) => (!/^\d{6}$/.test(code.trim()) ? t('validation.totp') : undefined);

/**
 * The second factor: set up with a QR code (or the key typed in), confirmed with a first code, then
 * ten recovery codes shown once; new codes, or turning it off with the password and a code.
 */
export function SecondFactor() {
  const { t } = useTranslation(['account']);
  const { data: status, error, refetch } = useApi<Status>('/api/v1/account/second-factor');
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const [codesFailed, setCodesFailed] = useState(false);

  const start = async () => {
    setStarting(null);
    try {
      setSetup(await api.post<Setup>('/api/v1/auth/totp/setup'));
    } catch (e) {
      setStarting(errorMessage(e));
    }
  };

  return (
    <section aria-labelledby="mfa-title" className="section card account-section">
      <h2 id="mfa-title">{t('account:mfa.title')}</h2>
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {!status && !error && <Loading />}
      {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
      {status && !codes && setup && (
        <Enrol
          setup={setup}
          onCancel={() => setSetup(null)}
          onEnabled={(first) => {
            setSetup(null);
            setCodes(first);
            setCodesFailed(first === null);
          }}
        />
      )}
      {status && !codes && !setup && !status.enabled && (
        <>
          <p>
            <strong>{t('account:mfa.off')}</strong> {status.required_by_institution ? t('account:mfa.requiredHint') : t('account:mfa.offHint')}
          </p>
          {starting && <Alert kind="error" role="alert">{starting}</Alert>}
          <button type="button" className="button button--primary" onClick={() => void start()}>
            {t('account:mfa.setUp')}
          </button>
        </>
      )}
      {codesFailed && <Alert kind="warning">{t('account:mfa.codesFailed')}</Alert>}
      {status && !codes && !setup && status.enabled && <Enabled status={status} onCodes={setCodes} />}
    </section>
  );
}

function Enrol({ setup, onCancel, onEnabled }: { setup: Setup; onCancel: () => void; onEnabled: (codes: string[] | null) => void }) {
  const { t } = useTranslation(['account']);
  const announce = useAnnounce();
  const form = useForm({ code: '' }, (v) => ({ code: codeRule(t)(v.code) }));
  return (
    <>
      <TotpSetupSteps
        secret={setup.secret}
        qr={<QrCode text={setup.otpauth_url} label={t('account:mfa.qrLabel')} />}
        secretLabel={t('account:mfa.orType')}
        steps={[t('account:mfa.step1'), t('account:mfa.step2'), t('account:mfa.step3')]}
      />
      <ValidatedForm
        form={form}
        onValid={async (v) => {
          await api.post('/api/v1/auth/totp/enable', { code: v.code.trim() });
          announce(t('account:mfa.enabled'));
          // The recovery codes come with the set-up: without them, a lost phone locks the account.
          onEnabled(await api.post<{ codes: string[] }>('/api/v1/account/recovery-codes').then((r) => r.codes, () => null));
        }}
      >
        <TextField id="mfa-enrol-code" className="field--code" label={t('account:mfa.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
        <SaveOrCancel busy={form.busy} showWorking={false} saveLabel={t('account:mfa.enable')} onCancel={onCancel} />
      </ValidatedForm>
    </>
  );
}

function Enabled({ status, onCodes }: { status: Status; onCodes: (codes: string[]) => void }) {
  const { t } = useTranslation(['account']);
  const announce = useAnnounce();
  const [failure, setFailure] = useState<string | null>(null);
  const [disabling, setDisabling] = useState(false);
  const form = useForm({ password: '', code: '' }, (v) => ({ password: !v.password ? t('validation.required') : undefined, code: codeRule(t)(v.code) }));

  const newCodes = async () => {
    setFailure(null);
    try {
      onCodes((await api.post<{ codes: string[] }>('/api/v1/account/recovery-codes')).codes);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  return (
    <>
      <p>
        <strong>{t('account:mfa.on')}</strong> {t('account:mfa.codesLeft', { count: status.recovery_codes_remaining })}
      </p>
      {failure && <Alert kind="error" role="alert">{failure}</Alert>}
      <p className="hint">{t('account:mfa.newCodesHint')}</p>
      <button type="button" className="button button--secondary" onClick={() => void newCodes()}>
        {t('account:mfa.newCodes')}
      </button>
      {status.required_by_institution ? (
        <p className="hint">{t('account:mfa.cannotDisable')}</p>
      ) : !disabling ? (
        <p>
          <button type="button" className="button button--link" onClick={() => setDisabling(true)}>
            {t('account:mfa.disable')}
          </button>
        </p>
      ) : (
        <ValidatedForm
          form={form}
          className="inline-panel"
          title={<h3 className="h3">{t('account:mfa.disableTitle')}</h3>}
          onValid={async (v) => {
            await api.post('/api/v1/auth/totp/disable', { password: v.password, code: v.code.trim() });
            announce(t('account:mfa.disabled'));
          }}
        >
          <TextField id="mfa-disable-password" label={t('account:password.current')} type="password" autoComplete="current-password" required {...form.text('password')} />
          <TextField id="mfa-disable-code" className="field--code" label={t('account:mfa.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
          <SaveOrCancel busy={form.busy} showWorking={false} danger saveLabel={t('account:mfa.disableConfirm')} onCancel={() => setDisabling(false)} />
        </ValidatedForm>
      )}
    </>
  );
}

/** Shown once: printed (only this panel goes to paper) or copied, then put away. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation(['account']);
  const announce = useAnnounce();
  useEffect(() => {
    const after = () => delete document.body.dataset.printing;
    window.addEventListener('afterprint', after);
    return () => window.removeEventListener('afterprint', after);
  }, []);
  const print = () => {
    document.body.dataset.printing = 'recovery-codes';
    window.print();
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      announce(t('account:mfa.copied'));
    } catch {
      announce(t('account:mfa.copyFailed'));
    }
  };
  return (
    <div className="recovery-codes alert alert--warning">
      <h3 className="h3">{t('account:mfa.codesTitle')}</h3>
      <p>{t('account:mfa.codesLead')}</p>
      <ol className="recovery-codes__list" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="form-actions no-print">
        <button type="button" className="button button--secondary" onClick={print}>
          {t('account:mfa.print')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          {t('account:mfa.copy')}
        </button>
        <button type="button" className="button button--primary" onClick={onDone}>
          {t('account:mfa.saved')}
        </button>
      </div>
    </div>
  );
}
