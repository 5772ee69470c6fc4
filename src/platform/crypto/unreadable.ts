import type { FieldCipher } from './field-encryption.ts';

/**
 * A stored field that the key ring cannot open (a key lost, a corrupted row) must not take the page
 * around it down: the field shows as unreadable, the rest of the record as usual (issue 14). Each
 * such field is reported, by record kind and field name only (never a value or a person's id), to
 * the listeners (the server's log) and to a counter that /metrics exports.
 */
export type UnreadableField = { record: string; field: string; keyId: string };

let unreadableCount = 0;
const listeners = new Set<(event: UnreadableField) => void>();

export function onUnreadableField(listener: (event: UnreadableField) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Fields found unreadable since the process started. */
export function unreadableFieldCount(): number {
  return unreadableCount;
}

function report(event: UnreadableField): void {
  unreadableCount++;
  for (const listener of listeners) listener(event);
}

/**
 * Decrypts the fields of one record for a view, collecting the names of those that fail in
 * `unreadable` (the view's `unreadable_fields`) instead of throwing.
 */
export class FieldReader {
  readonly unreadable: string[] = [];

  constructor(
    private readonly cipher: FieldCipher,
    private readonly record: string,
  ) {}

  text(stored: string | null | undefined, field: string): string | null {
    return stored ? this.attempt(field, () => this.cipher.decryptText(stored), this.cipher.keyIdOf(stored)) : null;
  }

  json<T>(stored: string | null | undefined, field: string): T | null {
    return stored ? this.attempt(field, () => this.cipher.decryptJson<T>(stored), this.cipher.keyIdOf(stored)) : null;
  }

  bytes(stored: Buffer, field: string): Buffer | null {
    return this.attempt(field, () => this.cipher.decryptBytes(stored), this.cipher.keyIdOf(stored));
  }

  private attempt<T>(field: string, open: () => T, keyId: string): T | null {
    try {
      return open();
    } catch {
      this.unreadable.push(field);
      report({ record: this.record, field: field.replace(/\.[0-9a-f-]{36}\./, '.*.'), keyId: /^[a-z0-9]{1,16}$/.test(keyId) ? keyId : '?' });
      return null;
    }
  }
}
