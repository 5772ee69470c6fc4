import type { paths } from '../api/openapi.d.ts';
import type { ApiAnswer } from '../api/client.ts';
import { deriveKey, newKey, open, randomBytes, seal, sha256Hex, type Sealed } from './device-crypto.ts';
import * as idb from './idb.ts';

/**
 * The device's own store for offline work (docs/offline.md): one encrypted IndexedDB database per user
 * who signed in here, opened with her password. Holds the profile (salt, a check value, when she last
 * signed in and last reached the server), the outbox of writes waiting for the server, and the cases
 * and people kept for offline work. The key exists only in this page's memory.
 */

export type OfflineWrite = paths['/api/v1/offline/writes']['post']['requestBody']['content']['application/json'];
export type Snapshot = ApiAnswer<'/api/v1/offline/snapshot'>;
export type SnapshotCase = Snapshot['cases'][number];
export type SnapshotPerson = Snapshot['people'][number];
export type Conflict = { server_version: string; fields: { field: string; base: unknown; server: unknown; yours: unknown }[] };

/** A case as the device shows it: the server's copy plus what was added here and not yet sent. */
export type DeviceCase = SnapshotCase & { pending: boolean; pending_notes: string[]; pending_photos: string[] };
export type DevicePerson = SnapshotPerson & { pending: boolean };

type Profile = {
  user_id: string;
  email_sha: string;
  salt: Uint8Array;
  check: Sealed;
  who: Sealed;
  signed_in_at: number;
  online_at: number;
  offline_days: number;
};
export type Who = { user_id: string; display_name: string; institution: string };

type StoredEntry = { key: string; seq: number; state: EntryState; made_at: number; body: Sealed; problem?: Sealed };
export type EntryState = 'waiting' | 'sending' | 'conflict' | 'failed';
export type Entry = { key: string; seq: number; state: EntryState; made_at: number; write: OfflineWrite; label: string; problem?: { message: string; conflict?: Conflict } };
type StoredRecord = { id: string; kind: 'case' | 'person'; data: Sealed };

const DAY_MS = 86_400_000;
const CHECK = 'amparo-offline';
const USERS_KEY = 'amparo.offline.users';
const dbName = (userId: string) => `amparo-offline-${userId}`;

export type DeviceState = {
  status: 'none' | 'locked' | 'open';
  who: Who | null;
  counts: Record<EntryState, number>;
  sync: { running: boolean; done: number; total: number; needsSignIn: boolean };
  online: boolean;
  /** Bumped whenever the outbox or the records change: screens re-read. */
  revision: number;
};

let key: CryptoKey | null = null;
let db: IDBDatabase | null = null;
let profile: Profile | null = null;
let who: Who | null = null;
let state: DeviceState = {
  status: 'none',
  who: null,
  counts: { waiting: 0, sending: 0, conflict: 0, failed: 0 },
  sync: { running: false, done: 0, total: 0, needsSignIn: false },
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  revision: 0,
};
const listeners = new Set<() => void>();

export const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
export const deviceState = () => state;
export function setState(change: Partial<DeviceState>) {
  state = { ...state, ...change };
  listeners.forEach((l) => l());
}

function knownUsers(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(USERS_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string' && /^[0-9a-f-]{36}$/.test(x)) : [];
  } catch {
    return [];
  }
}
function setKnownUsers(ids: string[]) {
  localStorage.setItem(USERS_KEY, JSON.stringify([...new Set(ids)]));
}

async function openFor(userId: string): Promise<IDBDatabase> {
  const opened = await idb.openDatabase(dbName(userId));
  // Another tab deleting this store (a sign-out there): let it go.
  opened.onversionchange = () => {
    opened.close();
    if (db === opened) forget();
  };
  return opened;
}

/** Bumped whenever the store opens or closes: work begun under one opening must not go on under another. */
let opening = 0;

function forget() {
  opening += 1;
  key = null;
  db = null;
  profile = null;
  who = null;
  setState({ status: 'none', who: null, counts: { waiting: 0, sending: 0, conflict: 0, failed: 0 } });
}

/**
 * At start: wipes the store of every user who has not reached the server for longer than the offline
 * window allows, whatever it holds (docs/offline.md says so). Answers whether any store is left.
 */
export async function expireStores(now = Date.now()): Promise<boolean> {
  const kept: string[] = [];
  for (const userId of knownUsers()) {
    const opened = await openFor(userId);
    const p = await idb.get<Profile>(opened, 'meta', 'profile');
    opened.close();
    if (p && now - p.online_at <= p.offline_days * DAY_MS) kept.push(userId);
    else await idb.deleteDatabase(dbName(userId));
  }
  setKnownUsers(kept);
  return kept.length > 0;
}

async function refreshCounts() {
  if (!db) return;
  const entries = await idb.getAll<StoredEntry>(db, 'outbox');
  const counts: Record<EntryState, number> = { waiting: 0, sending: 0, conflict: 0, failed: 0 };
  for (const e of entries) counts[e.state] += 1;
  setState({ counts, revision: state.revision + 1 });
}

async function becomeOpen(opened: IDBDatabase, p: Profile, k: CryptoKey) {
  opening += 1;
  db = opened;
  profile = p;
  key = k;
  who = await open<Who>(k, p.who);
  setState({ status: 'open', who });
  await refreshCounts();
}

/**
 * After an online sign-in (the password is at hand only then): opens or creates this user's store with
 * a key derived from the password. A store made with an older password cannot be opened with the new
 * one; when it holds nothing waiting it is replaced, otherwise it stays for the old password.
 */
export async function prepareAfterSignIn(input: { userId: string; email: string; password: string; displayName: string; institution: string; offlineDays: number }): Promise<boolean> {
  const opened = await openFor(input.userId);
  const emailSha = await sha256Hex(input.email.trim().toLowerCase());
  const now = Date.now();
  let p = await idb.get<Profile>(opened, 'meta', 'profile');
  if (p) {
    const k = await deriveKey(input.password, p.salt);
    const fits = await open<string>(k, p.check).then((v) => v === CHECK, () => false);
    if (fits) {
      p = { ...p, email_sha: emailSha, signed_in_at: now, online_at: now, offline_days: input.offlineDays, who: await seal(k, { user_id: input.userId, display_name: input.displayName, institution: input.institution }) };
      await idb.write(opened, [{ store: 'meta', key: 'profile', put: p }]);
      await becomeOpen(opened, p, k);
      return true;
    }
    if ((await idb.count(opened, 'outbox')) > 0) {
      opened.close();
      setState({ status: 'locked' });
      return false;
    }
    await Promise.all([idb.clearStore(opened, 'records'), idb.clearStore(opened, 'outbox')]);
  }
  const salt = randomBytes(16);
  const k = await deriveKey(input.password, salt);
  p = { user_id: input.userId, email_sha: emailSha, salt, check: await seal(k, CHECK), who: await seal(k, { user_id: input.userId, display_name: input.displayName, institution: input.institution }), signed_in_at: now, online_at: now, offline_days: input.offlineDays };
  await idb.write(opened, [{ store: 'meta', key: 'profile', put: p }]);
  setKnownUsers([...knownUsers(), input.userId]);
  await becomeOpen(opened, p, k);
  return true;
}

/** Whether some user may open a store here without the server (signed in within the window). */
export async function hasUsableStore(now = Date.now()): Promise<boolean> {
  for (const userId of knownUsers()) {
    const opened = await openFor(userId);
    const p = await idb.get<Profile>(opened, 'meta', 'profile');
    opened.close();
    if (p && now - p.signed_in_at <= p.offline_days * DAY_MS) return true;
  }
  return false;
}

/** Whether this signed-in user has a store here that is not open (a reloaded page): the password opens it. */
export async function lockedStoreOf(userId: string): Promise<boolean> {
  if (state.status === 'open' && who?.user_id === userId) return false;
  if (!knownUsers().includes(userId)) return false;
  // The outbox's states are not encrypted: what waits can be counted before the store is opened.
  const opened = await openFor(userId);
  const stored = await idb.getAll<StoredEntry>(opened, 'outbox');
  opened.close();
  const counts: Record<EntryState, number> = { waiting: 0, sending: 0, conflict: 0, failed: 0 };
  for (const e of stored) counts[e.state] += 1;
  setState({ status: 'locked', counts });
  return true;
}

/** Opens a store with email and password, on or off line (signed in here within the window). */
export async function unlock(email: string, password: string, now = Date.now()): Promise<boolean> {
  const emailSha = await sha256Hex(email.trim().toLowerCase());
  for (const userId of knownUsers()) {
    const opened = await openFor(userId);
    const p = await idb.get<Profile>(opened, 'meta', 'profile');
    if (!p || p.email_sha !== emailSha || now - p.signed_in_at > p.offline_days * DAY_MS) {
      opened.close();
      continue;
    }
    const k = await deriveKey(password, p.salt);
    if (await open<string>(k, p.check).then((v) => v === CHECK, () => false)) {
      await becomeOpen(opened, p, k);
      return true;
    }
    opened.close();
  }
  return false;
}

/** The key leaves memory; the store stays, unreadable without the password. */
export function lock() {
  db?.close();
  forget();
  if (knownUsers().length) setState({ status: 'locked' });
}

/**
 * Sign-out: the key leaves memory and the kept cases and people are deleted. A store with nothing
 * waiting is deleted whole; writes still waiting stay, encrypted, until their author signs in again.
 */
export async function signOutDevice(signedInUserId: string | null): Promise<void> {
  const userId = who?.user_id ?? signedInUserId;
  const wasOpen = db;
  forget();
  if (!userId || !knownUsers().includes(userId)) return;
  // A closed store (a reloaded page) is emptied too: no key is needed to delete.
  const current = wasOpen ?? (await openFor(userId));
  await idb.clearStore(current, 'records');
  const waiting = await idb.count(current, 'outbox');
  current.close();
  if (waiting === 0) {
    await idb.deleteDatabase(dbName(userId));
    setKnownUsers(knownUsers().filter((id) => id !== userId));
  }
}

/** The server answered: the offline window starts again from now. */
export async function touchOnline(): Promise<void> {
  if (!db || !profile) return;
  profile = { ...profile, online_at: Date.now() };
  await idb.write(db, [{ store: 'meta', key: 'profile', put: profile }]);
}

export class StoreClosed extends Error {
  constructor() {
    super('the offline store is locked');
  }
}

function need(): { db: IDBDatabase; key: CryptoKey } {
  if (!db || !key) throw new StoreClosed();
  return { db, key };
}

/**
 * Runs work that uses the open store in the background (after sign-in, a sync, a screen's re-read).
 * Signing out closes the store under it; the work then stops quietly, whatever the store's calls
 * threw, instead of failing in front of the next user. Errors while the same opening lasts still fail.
 */
export async function whileOpen(work: () => Promise<void>): Promise<void> {
  const begun = opening;
  try {
    await work();
  } catch (error) {
    if (error instanceof StoreClosed || opening !== begun) return;
    throw error;
  }
}

// ---- The outbox ----

let lastSeq = 0;
const nextSeq = () => (lastSeq = Math.max(Date.now() * 1000, lastSeq + 1));

/**
 * Queues a write, and shows its effect in the kept records at once. The key of a create is made from
 * the record's id, which a form chooses once: submitting the same form twice queues one write.
 */
export async function enqueue(write: OfflineWrite, label: string): Promise<string> {
  const { db: d, key: k } = need();
  const entryKey = write.operation.endsWith('.create') ? `${write.operation.replace('.', '_')}-${write.id}` : newKey();
  if (await idb.get<StoredEntry>(d, 'outbox', entryKey)) return entryKey;
  const entry: StoredEntry = { key: entryKey, seq: nextSeq(), state: 'waiting', made_at: Date.parse(write.made_at), body: await seal(k, { write, label }) };
  const effects = await localEffect(write);
  await idb.write(d, [{ store: 'outbox', put: entry }, ...effects.map((r) => ({ store: 'records' as const, put: r }))]);
  await refreshCounts();
  return entryKey;
}

export async function entries(): Promise<Entry[]> {
  const { db: d, key: k } = need();
  const stored = await idb.getAllBySeq<StoredEntry>(d);
  return Promise.all(
    stored.map(async (e) => {
      const body = await open<{ write: OfflineWrite; label: string }>(k, e.body);
      const problem = e.problem ? await open<{ message: string; conflict?: Conflict }>(k, e.problem) : undefined;
      return { key: e.key, seq: e.seq, state: e.state, made_at: e.made_at, write: body.write, label: body.label, ...(problem ? { problem } : {}) };
    }),
  );
}

export async function setEntryState(entryKey: string, next: EntryState, problem?: { message: string; conflict?: Conflict }) {
  const { db: d, key: k } = need();
  const e = await idb.get<StoredEntry>(d, 'outbox', entryKey);
  if (!e) return;
  const { problem: _old, ...rest } = e;
  await idb.write(d, [{ store: 'outbox', put: { ...rest, state: next, ...(problem ? { problem: await seal(k, problem) } : {}) } }]);
  await refreshCounts();
}

/** A write the server accepted leaves the outbox; the kept record learns its folio and version. */
export async function entrySent(entry: Entry, result: { id: string; folio?: string | undefined; version?: string | undefined }) {
  const { db: d, key: k } = need();
  const changes: Parameters<typeof idb.write>[1] = [{ store: 'outbox', delete: entry.key }];
  const recordId = entry.write.operation.startsWith('person.') || entry.write.operation.startsWith('case.') ? entry.write.id : null;
  if (recordId) {
    const stored = await idb.get<StoredRecord>(d, 'records', recordId);
    if (stored) {
      const data = await open<DeviceCase | DevicePerson>(k, stored.data);
      const updated = { ...data, pending: false, ...(result.folio ? { folio: result.folio } : {}), ...(result.version ? { version: result.version } : {}) };
      changes.push({ store: 'records', put: { ...stored, data: await seal(k, updated) } });
    }
  }
  await idb.write(d, changes);
  await refreshCounts();
}

/** A conflict decided field by field: a new write against the server's version; the old one leaves. */
export async function resolveConflict(entry: Entry, chosen: Record<string, unknown>) {
  const conflict = entry.problem?.conflict;
  if (!conflict || (entry.write.operation !== 'person.update' && entry.write.operation !== 'case.update')) return;
  const base = { ...entry.write.base, ...Object.fromEntries(conflict.fields.map((f) => [f.field, f.server])) };
  const data = { ...entry.write.data, ...chosen };
  const { db: d, key: k } = need();
  const write = { ...entry.write, base_version: conflict.server_version, base, data, made_at: new Date().toISOString() } as OfflineWrite;
  const next: StoredEntry = { key: newKey(), seq: entry.seq, state: 'waiting', made_at: Date.now(), body: await seal(k, { write, label: entry.label }) };
  await idb.write(d, [{ store: 'outbox', delete: entry.key }, { store: 'outbox', put: next }]);
  await refreshCounts();
}

// ---- Kept records ----

export async function records(): Promise<{ cases: DeviceCase[]; people: DevicePerson[] }> {
  const { db: d, key: k } = need();
  const stored = await idb.getAll<StoredRecord>(d, 'records');
  const cases: DeviceCase[] = [];
  const people: DevicePerson[] = [];
  for (const r of stored) {
    const data = await open<DeviceCase | DevicePerson>(k, r.data);
    if (r.kind === 'case') cases.push(data as DeviceCase);
    else people.push(data as DevicePerson);
  }
  return { cases, people };
}

/** Replaces the kept records with the server's snapshot, keeping what is still waiting to be sent. */
export async function keepSnapshot(snapshot: Snapshot) {
  const { db: d, key: k } = need();
  const current = await records();
  const waiting = [...current.cases, ...current.people].filter((r) => r.pending);
  const fresh: StoredRecord[] = [
    ...(await Promise.all(snapshot.cases.map(async (c) => ({ id: c.id, kind: 'case' as const, data: await seal(k, { ...c, pending: false, pending_notes: [], pending_photos: [] }) })))),
    ...(await Promise.all(snapshot.people.map(async (p) => ({ id: p.id, kind: 'person' as const, data: await seal(k, { ...p, pending: false }) })))),
  ];
  const kept = await Promise.all(waiting.filter((r) => !fresh.some((f) => f.id === r.id)).map(async (r) => ({ id: r.id, kind: ('folio' in r ? 'case' : 'person') as 'case' | 'person', data: await seal(k, r) })));
  await idb.clearStore(d, 'records');
  await idb.write(d, [...fresh, ...kept].map((r) => ({ store: 'records' as const, put: r })));
  setState({ revision: state.revision + 1 });
}

async function localEffect(write: OfflineWrite): Promise<StoredRecord[]> {
  const { db: d, key: k } = need();
  const sealRecord = async (id: string, kind: 'case' | 'person', data: unknown) => ({ id, kind, data: await seal(k, data) });
  const readCase = async (id: string) => {
    const stored = await idb.get<StoredRecord>(d, 'records', id);
    return stored ? await open<DeviceCase>(k, stored.data) : null;
  };
  switch (write.operation) {
    case 'person.create': {
      const p = write.data;
      const person: DevicePerson = { id: write.id, given_names: p.given_names, surname1: p.surname1 ?? null, surname2: p.surname2 ?? null, sex: p.sex, date_of_birth: p.date_of_birth ?? null, estimated_age: p.estimated_age ?? null, nationalities: p.nationalities ?? [], version: '', pending: true };
      return [await sealRecord(write.id, 'person', person)];
    }
    case 'case.create': {
      const { people } = await records();
      const c = write.data;
      const participants = c.participants.flatMap((part) => {
        const person = people.find((p) => p.id === part.person_id);
        return person ? [{ role: part.role, person: { id: person.id, given_names: person.given_names, surname1: person.surname1, surname2: person.surname2, sex: person.sex, date_of_birth: person.date_of_birth, estimated_age: person.estimated_age, nationalities: person.nationalities } }] : [];
      });
      const kept: DeviceCase = { id: write.id, folio: '', programme: c.programme, status: 'open', opened_on: c.opened_on, version: '', summary: c.summary ?? null, crime_types: c.crime_types ?? [], rights_violations: c.rights_violations ?? [], participants, services: [], notes: 0, attachments: 0, pending: true, pending_notes: [], pending_photos: [] };
      return [await sealRecord(write.id, 'case', kept)];
    }
    case 'service.create':
    case 'note.create':
    case 'attachment.create': {
      const kept = await readCase(write.case_id);
      if (!kept) return [];
      if (write.operation === 'service.create') kept.services = [...kept.services, { id: write.id, person_id: write.data.person_id, service_type: write.data.service_type, provided_on: write.data.provided_on }];
      if (write.operation === 'note.create') kept.pending_notes = [...kept.pending_notes, write.data.body];
      if (write.operation === 'attachment.create') kept.pending_photos = [...kept.pending_photos, write.data.filename];
      return [await sealRecord(kept.id, 'case', kept)];
    }
    case 'case.update': {
      const kept = await readCase(write.id);
      if (!kept) return [];
      return [await sealRecord(kept.id, 'case', { ...kept, ...write.data })];
    }
    case 'person.update':
      return [];
  }
}
