import type { ColumnType, Generated } from 'kysely';

// Offline writes' idempotency keys (migration 0048, src/offline). `Database` extends this interface.

export interface OfflineWriteTable {
  user_id: string;
  idempotency_key: string;
  institution_id: string;
  operation: string;
  request_sha256: string;
  record_id: string;
  /** The first answer, repeated to every retry: ids and folios, never personal data. */
  response: ColumnType<Record<string, unknown>, string, string>;
  /** When the device says the write was made (bounded on arrival: src/offline/offline.service.ts). */
  made_at: Date;
  received_at: Generated<Date>;
}

export interface OfflineTables {
  offline_writes: OfflineWriteTable;
}
