import { api, ApiError, hasCsrfToken, setCsrfToken, type Session } from '../api/client.ts';
import { deviceState, entries, entrySent, keepSnapshot, setEntryState, setState, touchOnline, whileOpen, type Conflict, type Snapshot } from './device.ts';

/**
 * Sends the outbox, oldest first, each write with its idempotency key. Starts by itself when the
 * connection returns, when the store is opened and after each new write; one tab at a time sends
 * (Web Locks), and a write whose answer was lost (a cut connection, a closed tab) is sent again with
 * the same key: the server answers the first result and writes nothing twice.
 */
let running = false;
/** A write queued while a sync runs (it may already be past its outbox read): one more round follows. */
let again = false;

async function ensureSession(): Promise<boolean> {
  if (hasCsrfToken()) return true;
  try {
    const session = await api.get<Session>('/api/v1/auth/session');
    if (session.state !== 'active') return false;
    setCsrfToken(session.csrf_token);
    return true;
  } catch {
    return false;
  }
}

async function sendAll(): Promise<void> {
  const queue = (await entries()).filter((e) => e.state === 'waiting' || e.state === 'sending');
  if (!queue.length) return;
  if (!(await ensureSession())) {
    setState({ sync: { ...deviceState().sync, needsSignIn: navigator.onLine } });
    return;
  }
  let done = 0;
  setState({ sync: { running: true, done, total: queue.length, needsSignIn: false } });
  for (const entry of queue) {
    await setEntryState(entry.key, 'sending');
    try {
      const result = await api.postWithHeaders<{ id: string; folio?: string; version?: string }>('/api/v1/offline/writes', entry.write, { 'idempotency-key': entry.key });
      await entrySent(entry, result);
      await touchOnline();
    } catch (error) {
      const signedOut = error instanceof ApiError && (error.status === 401 || error.code === 'csrf_failed');
      if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500 || signedOut) {
        // No answer, or none worth keeping: the write waits for the next attempt, with the same key.
        await setEntryState(entry.key, 'waiting');
        if (signedOut) {
          setCsrfToken('');
          setState({ sync: { ...deviceState().sync, needsSignIn: true } });
        }
        break;
      }
      if (error.code === 'offline_conflict') await setEntryState(entry.key, 'conflict', { message: error.message, conflict: error.details as Conflict });
      else await setEntryState(entry.key, 'failed', { message: error.message });
    }
    done += 1;
    setState({ sync: { ...deviceState().sync, done } });
  }
}

export async function syncNow(): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  if (deviceState().status !== 'open' || !navigator.onLine) return;
  running = true;
  again = false;
  try {
    // Signing out while this runs closes the store: the sync stops there.
    const work = () =>
      whileOpen(async () => {
        await sendAll();
        const left = deviceState().counts;
        if (left.waiting + left.sending === 0 && hasCsrfToken()) await refreshKept();
      });
    if ('locks' in navigator) await navigator.locks.request('amparo-offline-sync', { ifAvailable: true }, async (lock) => (lock ? work() : undefined));
    else await work();
  } finally {
    running = false;
    setState({ sync: { ...deviceState().sync, running: false } });
  }
  if (again) {
    again = false;
    await syncNow();
  }
}

/** Brings the kept cases and people up to date from the server. */
export async function refreshKept(): Promise<void> {
  try {
    const snapshot = await api.get<Snapshot>('/api/v1/offline/snapshot');
    await keepSnapshot(snapshot);
    await touchOnline();
  } catch {
    // Offline again, or signed out: what is kept stays as it was.
  }
}

let started = false;
/** Listens for the connection once per page. */
export function startSyncing() {
  if (started) return;
  started = true;
  const onChange = () => {
    setState({ online: navigator.onLine });
    if (navigator.onLine) void syncNow();
  };
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  // An `online` event can be missed (a sleeping laptop): look again now and then.
  window.setInterval(() => void syncNow(), 30_000);
}
