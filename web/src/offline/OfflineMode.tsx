import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, PageTitle, SubmitButton, TextField, useForm, ValidatedForm } from '../ui/index.tsx';
import { lock, unlock } from './device.ts';
import { startSyncing, syncNow } from './sync.ts';
import { useDevice } from './useDevice.ts';
import { OfflineWork } from './OfflineWork.tsx';
import './offline.css';

/**
 * The app opened without a connection (the service worker served it): the user opens her device store
 * with her email and password, as she signed in here within the offline window, and works on what it
 * holds; the outbox goes out when the connection returns, with the session she still has.
 */
export function OfflineMode() {
  const { t } = useTranslation(['offline', 'ui']);
  const device = useDevice();
  useEffect(() => {
    startSyncing();
  }, []);
  return (
    <>
      <header className="offline-frame__header">
        <span className="offline-frame__brand">Amparo</span>
        <span>{device.online ? t('offline:sync.online') : t('offline:sync.offline')}</span>
        {device.status === 'open' && (
          <span>
            {device.who?.display_name} ·{' '}
            <button type="button" className="button button--ghost button--small" onClick={lock}>
              {t('offline:frame.lock')}
            </button>
          </span>
        )}
        {device.online && <a href="/personal">{t('offline:frame.goOnline')}</a>}
      </header>
      <main id="main" tabIndex={-1} className="content">
        {device.status === 'open' ? <OfflineWork /> : <Unlock />}
      </main>
    </>
  );
}

function Unlock() {
  const { t } = useTranslation(['offline', 'ui']);
  const [wrong, setWrong] = useState(false);
  const form = useForm({ email: '', password: '' }, (v) => ({
    email: v.email.trim() ? undefined : t('ui:validation.required'),
    password: v.password ? undefined : t('ui:validation.required'),
  }));
  return (
    <>
      <PageTitle lead={t('offline:unlock.lead')}>{t('offline:unlock.title')}</PageTitle>
      {wrong && (
        <Alert kind="error" role="alert">
          {t('offline:unlock.wrong')}
        </Alert>
      )}
      <ValidatedForm
        form={form}
        className="form"
        onValid={async (v) => {
          const ok = await unlock(v.email, v.password);
          setWrong(!ok);
          if (ok) void syncNow();
        }}
      >
        <TextField id="unlock-email" label={t('offline:unlock.email')} type="email" autoComplete="username" required {...form.text('email')} />
        <TextField id="unlock-password" label={t('offline:unlock.password')} type="password" autoComplete="current-password" required {...form.text('password')} />
        <SubmitButton busy={form.busy} working>
          {t('offline:unlock.submit')}
        </SubmitButton>
      </ValidatedForm>
    </>
  );
}
