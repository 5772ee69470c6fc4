import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { Link, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { TextField } from '../ui/index.tsx';
import { takeCredentials } from './credentials.ts';
import { keepSnapshot, lockedStoreOf, prepareAfterSignIn, unlock, whileOpen, type Snapshot } from './device.ts';
import { startSyncing, syncNow } from './sync.ts';
import { useDevice } from './useDevice.ts';
import { offlinePaths, SyncSummary } from './OfflineWork.tsx';
import './offline.css';

/**
 * In the signed-in shell: prepares this device for offline work right after sign-in (the key from the
 * password just typed, the recent cases), asks for the password when a reloaded page finds the store
 * closed, and says what waits to be sent. Shows nothing when there is nothing to say.
 */
export function OfflineStatus() {
  const { t } = useTranslation(['offline', 'ui']);
  const { session } = useSession();
  const device = useDevice();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const writes = session.capabilities.includes('cases.write');
  const { path } = useLocation();
  const { waiting, sending, conflict, failed } = device.counts;
  const pending = waiting + sending + conflict + failed;

  useEffect(() => {
    if (!writes) return;
    startSyncing();
    const credentials = takeCredentials();
    void (async () => {
      if (!credentials) {
        await lockedStoreOf(session.user.id);
        return;
      }
      const snapshot = await api.get<Snapshot>('/api/v1/offline/snapshot').catch(() => null);
      const opened = await prepareAfterSignIn({ userId: session.user.id, email: credentials.email, password: credentials.password, displayName: session.user.display_name, institution: session.institution.name, offlineDays: snapshot?.offline_days ?? 7 });
      if (!opened) return;
      // She may sign out before the snapshot is kept: then it is not.
      await whileOpen(async () => {
        if (snapshot) await keepSnapshot(snapshot);
      });
      await syncNow();
    })();
  }, [writes, session.user.id, session.user.display_name, session.institution.name]);

  if (!writes) return null;
  // A closed store asks for the password where it matters: something waits, or she opened offline work.
  if (device.status === 'locked' && (pending > 0 || path.startsWith(offlinePaths.home))) {
    return (
      <section className="offline-banner" aria-labelledby="offline-banner-title">
        <h2 id="offline-banner-title" className="visually-hidden">
          {t('offline:banner.title')}
        </h2>
        <p>{t('offline:banner.locked')}</p>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void unlock(session.user.email, password).then((ok) => {
              setPassword('');
              if (!ok) return setError(t('offline:unlock.wrong'));
              setError(undefined);
              void syncNow();
            });
          }}
        >
          <TextField id="offline-banner-password" label={t('offline:unlock.password')} type="password" autoComplete="current-password" value={password} onChange={setPassword} error={error} />
          <button type="submit" className="button button--secondary">
            {t('offline:unlock.submit')}
          </button>
        </form>
      </section>
    );
  }
  if (device.status !== 'open' || (pending === 0 && device.online && !device.sync.running)) return null;
  return (
    <section className="offline-banner" aria-labelledby="offline-banner-title">
      <h2 id="offline-banner-title" className="visually-hidden">
        {t('offline:banner.title')}
      </h2>
      <SyncSummary />
      <p>
        <Link href={offlinePaths.home}>{t('offline:banner.open')}</Link>
      </p>
    </section>
  );
}
