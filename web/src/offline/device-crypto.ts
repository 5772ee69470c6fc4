/**
 * The device store's encryption (WebCrypto): a key derived from the user's password with PBKDF2
 * (SHA-256, a random salt per user and device) for AES-GCM with a fresh 96-bit IV per value. The key
 * is created non-extractable and lives only in this page's memory: a closed tab, a locked device or a
 * sign-out leaves ciphertext that only the password opens again.
 */
export const PBKDF2_ITERATIONS = 310_000;

export type Sealed = { iv: Uint8Array; data: ArrayBuffer };

export const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export async function deriveKey(password: string, salt: Uint8Array): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: PBKDF2_ITERATIONS }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, value: unknown): Promise<Sealed> {
  const iv = randomBytes(12);
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, new TextEncoder().encode(JSON.stringify(value)));
  return { iv, data };
}

/** Throws when the key is not the one the value was sealed with (AES-GCM checks its tag). */
export async function open<T>(key: CryptoKey, sealed: Sealed): Promise<T> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv as BufferSource }, key, sealed.data);
  return JSON.parse(new TextDecoder().decode(plain)) as T;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A random idempotency key: 128 bits, URL-safe. */
export const newKey = () => `k${[...randomBytes(16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
