/**
 * The few IndexedDB calls the device store needs, as promises. One database per user who worked
 * offline on this device (`amparo-offline-<user id>`), with three stores: `meta` (the profile),
 * `outbox` (queued writes, keyed by their idempotency key) and `records` (cases and people kept for
 * offline work). Every value but the outbox's order and state is encrypted (device-crypto.ts).
 */
export const STORES = ['meta', 'outbox', 'records'] as const;
export type StoreName = (typeof STORES)[number];

const VERSION = 1;

export function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'key' }).createIndex('seq', 'seq', { unique: true });
      if (!db.objectStoreNames.contains('records')) db.createObjectStore('records', { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
    request.onblocked = () => reject(new Error('indexedDB.open blocked'));
  });
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('indexedDB.deleteDatabase failed'));
    // Another tab still holds it open: it closes on `versionchange` (device.ts), then this succeeds.
    request.onblocked = () => undefined;
  });
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export const get = <T>(db: IDBDatabase, store: StoreName, key: IDBValidKey) => done(db.transaction(store).objectStore(store).get(key)) as Promise<T | undefined>;
export const getAll = <T>(db: IDBDatabase, store: StoreName) => done(db.transaction(store).objectStore(store).getAll()) as Promise<T[]>;
export const getAllBySeq = <T>(db: IDBDatabase) => done(db.transaction('outbox').objectStore('outbox').index('seq').getAll()) as Promise<T[]>;
export const count = (db: IDBDatabase, store: StoreName) => done(db.transaction(store).objectStore(store).count());

/** Puts and deletes in one transaction: all land or none. */
export function write(db: IDBDatabase, changes: { store: StoreName; put?: unknown; key?: IDBValidKey; delete?: IDBValidKey }[]): Promise<void> {
  if (!changes.length) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const tx = db.transaction([...new Set(changes.map((c) => c.store))], 'readwrite');
    for (const change of changes) {
      const store = tx.objectStore(change.store);
      if (change.delete !== undefined) store.delete(change.delete);
      else if (change.key !== undefined) store.put(change.put, change.key);
      else store.put(change.put);
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export const clearStore = (db: IDBDatabase, store: StoreName) => done(db.transaction(store, 'readwrite').objectStore(store).clear()).then(() => undefined);
