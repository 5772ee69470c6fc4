import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Alert, FormError, LoadError, Loading, TextField, useAnnounce, useForm } from '../ui/index.tsx';
import { QrCode } from './QrCode.tsx';

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
  const grouped = setup.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <>
      <ol className="steps">
        <li>{t('account:mfa.step1')}</li>
        <li>
          {t('account:mfa.step2')}
          <div className="qr-setup">
            <QrCode text={setup.otpauth_url} label={t('account:mfa.qrLabel')} />
            <span className="secret">
              <span className="secret__label">{t('account:mfa.orType')}</span>
              <code data-testid="totp-secret">{grouped}</code>
            </span>
          </div>
        </li>
        <li>{t('account:mfa.step3')}</li>
      </ol>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            await api.post('/api/v1/auth/totp/enable', { code: v.code.trim() });
            announce(t('account:mfa.enabled'));
            // The recovery codes come with the set-up: without them, a lost phone locks the account.
            onEnabled(await api.post<{ codes: string[] }>('/api/v1/account/recovery-codes').then((r) => r.codes, () => null));
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <TextField id="mfa-enrol-code" className="field--code" label={t('account:mfa.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={form.busy}>
            {t('account:mfa.enable')}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('account:common.cancel')}
          </button>
        </div>
      </form>
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
        <form
          noValidate
          className="inline-panel"
          onSubmit={(e) => {
            e.preventDefault();
            void form.submit(async (v) => {
              await api.post('/api/v1/auth/totp/disable', { password: v.password, code: v.code.trim() });
              announce(t('account:mfa.disabled'));
            });
          }}
        >
          <h3 className="h3">{t('account:mfa.disableTitle')}</h3>
          <FormError message={form.formError} errors={form.shown} />
          <TextField id="mfa-disable-password" label={t('account:password.current')} type="password" autoComplete="current-password" required {...form.text('password')} />
          <TextField id="mfa-disable-code" className="field--code" label={t('account:mfa.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required {...form.text('code')} />
          <div className="form-actions">
            <button type="submit" className="button button--danger" disabled={form.busy}>
              {t('account:mfa.disableConfirm')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setDisabling(false)}>
              {t('account:common.cancel')}
            </button>
          </div>
        </form>
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
