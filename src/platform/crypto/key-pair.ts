/** An X25519 key pair (libsodium), as a user or a complaint unit holds it. */
export type KeyPair = { publicKey: Uint8Array; secretKey: Uint8Array };
