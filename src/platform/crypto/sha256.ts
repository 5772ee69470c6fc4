import { createHash } from 'node:crypto';

/** SHA-256 in hex: stored token hashes (sessions, reset links), custody records, file fingerprints. */
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
