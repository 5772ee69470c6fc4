import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler, type Session } from '../api/client.ts';
import { queryClient } from '../api/queries.ts';
import { SignIn } from '../account/SignIn.tsx';
import { AnnouncerProvider, LoadError, Loading } from '../ui/index.tsx';
import { setTimeZone } from '../ui/format.ts';
import { navigate, paths } from './router.tsx';
import { SessionContext } from './session.tsx';
import { Shell } from './Shell.tsx';

const OfflineMode = lazy(() => import('../offline/OfflineMode.tsx').then((m) => ({ default: m.OfflineMode })));
const ResetPassword = lazy(() => import('../account/ResetPassword.tsx').then((m) => ({ default: m.ResetPassword })));
const Invitation = lazy(() => import('../account/Invitation.tsx').then((m) => ({ default: m.Invitation })));
/** Pages reached by a one-time link, outside the signed-in shell. */
const linkPages: Record<string, typeof ResetPassword> = { '/cuenta/restablecer': ResetPassword, '/cuenta/invitacion': Invitation };

type Boot = { kind: 'loading' } | { kind: 'signed-out'; pending?: Session['state'] } | { kind: 'signed-in'; session: Session } | { kind: 'offline' } | { kind: 'error'; error: unknown };

/** Asks the server who is signed in, then shows the sign-in or the shell (or the page of a password-reset or invitation link). */
export function App() {
  const LinkPage = linkPages[window.location.pathname];
  if (LinkPage) {
    return (
      <QueryClientProvider client={queryClient}>
        <AnnouncerProvider>
          <Suspense fallback={<Loading />}>
            <LinkPage />
          </Suspense>
        </AnnouncerProvider>
      </QueryClientProvider>
    );
  }
  return <SessionApp />;
}

function SessionApp() {
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });

  const refresh = useCallback(async () => {
    // Another user or institution must never see the previous one's cached records.
    queryClient.clear();
    try {
      const session = await api.get<Session>('/api/v1/auth/session');
      setCsrfToken(session.csrf_token);
      setTimeZone(session.time_zone);
      setBoot(session.state === 'active' ? { kind: 'signed-in', session } : { kind: 'signed-out', pending: session.state });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        setCsrfToken('');
        setBoot({ kind: 'signed-out' });
      } else if (error instanceof ApiError && error.status === 0 && (await import('../offline/device.ts').then((d) => d.expireStores().then(() => d.hasUsableStore())))) {
        // No connection, and someone signed in on this device recently: work offline (docs/offline.md).
        setBoot({ kind: 'offline' });
      } else setBoot({ kind: 'error', error });
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => {
      queryClient.clear();
      setBoot({ kind: 'signed-out' });
    });
    return () => {
      setUnauthenticatedHandler(null);
    };
  }, [refresh]);

  const signOut = useCallback(async () => {
    try {
      await import('../offline/device.ts').then((d) => d.signOutDevice(boot.kind === 'signed-in' ? boot.session.user.id : null));
      await api.post('/api/v1/auth/logout');
    } finally {
      queryClient.clear();
      setCsrfToken('');
      setBoot({ kind: 'signed-out' });
      navigate(paths.home, { replace: true });
    }
  }, [boot]);

  return (
    <QueryClientProvider client={queryClient}>
      <AnnouncerProvider>
        {boot.kind === 'loading' && (
          <main className="boot">
            <Loading />
          </main>
        )}
        {boot.kind === 'error' && (
          <main className="boot">
            <LoadError error={boot.error} retry={() => void refresh()} />
          </main>
        )}
        {boot.kind === 'offline' && (
          <Suspense fallback={<Loading />}>
            <OfflineMode />
          </Suspense>
        )}
        {boot.kind === 'signed-out' && <SignIn pending={boot.pending} onSignedIn={refresh} onCancel={signOut} />}
        {boot.kind === 'signed-in' && (
          <SessionContext.Provider value={{ session: boot.session, refresh, signOut }}>
            <Shell />
          </SessionContext.Provider>
        )}
      </AnnouncerProvider>
    </QueryClientProvider>
  );
}
