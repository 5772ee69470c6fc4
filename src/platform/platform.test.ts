import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { FieldCipher, addKeyToRing, newKeyRing } from './crypto/field-encryption.ts';
import { totpCode, verifyTotp, newTotpSecret } from './auth/totp.ts';
import { negotiateLanguage, translate } from './i18n/messages.ts';
import { appendAudit, verifyAuditChains } from './audit/audit.ts';
import { AnonymousLimiter } from './limits/anonymous.ts';
import { freshDatabase, makeInstitution } from '../../test/helpers.ts';

describe('field encryption', () => {
  it('round-trips text, JSON and bytes, and never stores the plain text', async () => {
    const cipher = await FieldCipher.fromRing(await newKeyRing());
    const sealed = cipher.encryptText('Pasaporte F1234567');
    expect(sealed).not.toContain('F1234567');
    expect(sealed.startsWith('k1:')).toBe(true);
    expect(cipher.decryptText(sealed)).toBe('Pasaporte F1234567');
    expect(cipher.encryptText('same')).not.toBe(cipher.encryptText('same'));
    expect(cipher.decryptJson(cipher.encryptJson({ phone: '+52 55' }))).toEqual({ phone: '+52 55' });
    const bytes = Buffer.from([0, 1, 2, 255]);
    expect(cipher.decryptBytes(cipher.encryptBytes(bytes)).equals(bytes)).toBe(true);
  });

  it('refuses a tampered ciphertext and a ciphertext from an unknown key', async () => {
    const cipher = await FieldCipher.fromRing(await newKeyRing());
    const sealed = cipher.encryptText('secreto');
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(() => cipher.decryptText(flipped)).toThrow();
    const other = await FieldCipher.fromRing(await newKeyRing());
    expect(() => other.decryptText(sealed)).toThrow();
  });

  it('keeps decrypting old ciphertexts after rotation and seals new ones with the new key', async () => {
    const ring = await newKeyRing();
    const before = await FieldCipher.fromRing(ring);
    const old = before.encryptText('antes');
    const rotated = await FieldCipher.fromRing(await addKeyToRing(ring));
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.decryptText(old)).toBe('antes');
    expect(rotated.keyIdOf(rotated.encryptText('después'))).toBe('k2');
    expect(rotated.blindIndex('passport:F1')).toBe(before.blindIndex('passport:F1'));
  });
});

describe('TOTP', () => {
  it('matches the RFC 6238 test vector and tolerates one step of clock drift', () => {
    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890" in base32.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode(secret, 59_000)).toBe('287082');
    expect(totpCode(secret, 1_111_111_109_000)).toBe('081804');
    const fresh = newTotpSecret();
    const now = Date.now();
    expect(verifyTotp(fresh, totpCode(fresh, now - 30_000), now)).toBe(true);
    expect(verifyTotp(fresh, totpCode(fresh, now - 90_000), now)).toBe(false);
    expect(verifyTotp(fresh, 'abcdef', now)).toBe(false);
  });
});

describe('language', () => {
  it('prefers ?lang, then Accept-Language by weight, and falls back to Spanish', () => {
    expect(negotiateLanguage('en', 'es')).toBe('en');
    expect(negotiateLanguage(undefined, 'fr-FR,en;q=0.8,es;q=0.5')).toBe('en');
    expect(negotiateLanguage(undefined, 'de')).toBe('es');
    expect(negotiateLanguage(undefined, undefined)).toBe('es');
    expect(translate('en', 'invalid_status_transition', { from: 'closed', to: 'open' })).toBe('The case cannot go from status “closed” to “open”.');
  });
});

describe('rate limiter', () => {
  it('allows the limit within a window and again after it', () => {
    const limiter = new AnonymousLimiter();
    const now = Date.now();
    expect([limiter.take('x', 'a', 2, 1000, now), limiter.take('x', 'a', 2, 1000, now + 10), limiter.take('x', 'a', 2, 1000, now + 20)]).toEqual([true, true, false]);
    expect(limiter.take('x', 'b', 2, 1000, now + 20)).toBe(true);
    expect(limiter.take('y', 'a', 2, 1000, now + 20)).toBe(true);
    expect(limiter.take('x', 'a', 2, 1000, now + 1001)).toBe(true);
  });
});

describe('audit chain', () => {
  it('detects an altered entry and names it', async () => {
    const { db } = await freshDatabase();
    try {
      const institution = await makeInstitution(db);
      for (let i = 0; i < 5; i++) await appendAudit(db, { institutionId: institution.id, actorUserId: null, action: 'test.event', recordType: 'test', recordId: String(i), detail: { n: i } });
      const clean = (await verifyAuditChains(db, institution.id))[0]!;
      expect(clean).toMatchObject({ ok: true, entries: 6 });
      const third = await db.selectFrom('audit_log').select('id').where('institution_id', '=', institution.id).where('record_id', '=', '2').executeTakeFirstOrThrow();
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
      await sql`update audit_log set detail = '{"n": 99}'::jsonb where id = ${third.id}`.execute(db);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
      const broken = (await verifyAuditChains(db, institution.id))[0]!;
      expect(broken.ok).toBe(false);
      expect(broken.brokenAtId).toBe(third.id);
    } finally {
      await db.destroy();
    }
  });
});

describe('configuration and dates', () => {
  it('reads the proxy setting as a flag, a hop count or addresses, and refuses anything else', async () => {
    const { loadConfig, ConfigError } = await import('./config.ts');
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ AMPARO_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ AMPARO_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ AMPARO_TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('10.0.0.1, 10.0.0.0/8');
    expect(() => loadConfig({ AMPARO_TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
  });

  it('reads the time zone, refusing a name that is not one', async () => {
    const { loadConfig, ConfigError } = await import('./config.ts');
    const { localDate, localDateTime } = await import('./dates.ts');
    expect(loadConfig({}).timeZone).toBe('America/Mexico_City');
    const tijuana = loadConfig({ AMPARO_TIME_ZONE: 'America/Tijuana' }).timeZone;
    expect(tijuana).toBe('America/Tijuana');
    expect(() => loadConfig({ AMPARO_TIME_ZONE: 'Mexico/Nowhere' })).toThrow(ConfigError);
    // 07:30 UTC on 1 January 2025 is 31 December in Tijuana (UTC-8) and 1 January in Madrid.
    const at = new Date('2025-01-01T07:30:00Z');
    expect(localDate(at, tijuana)).toBe('2024-12-31');
    expect(localDate(at, 'Europe/Madrid')).toBe('2025-01-01');
    expect(localDateTime(at, 'en', tijuana)).toMatch(/^December 31, 2024 at 11:30:00 PM \(Pacific Standard Time\) · 2025-01-01T07:30:00.000Z$/);
  });

  it('writes times for people in words in the deployment time zone', async () => {
    const { dateTimeInWords, dateInWords } = await import('./dates.ts');
    const at = new Date('2025-01-01T07:30:00Z');
    expect(dateTimeInWords(at, 'es', 'America/Tijuana')).toMatch(/^31 de diciembre de 2024.*\s11:30\sp\.\s?m\.\s.*Pacífico/);
    expect(dateTimeInWords(at, 'en', 'America/Mexico_City')).toMatch(/^January 1, 2025 at 1:30\sAM Central Standard Time$/);
    expect(dateInWords('2026-12-06', 'es')).toBe('6 de diciembre de 2026');
  });

  it('prints a link with the configured public address, or a trusted Host only, or the path alone', async () => {
    const { loadConfig, ConfigError } = await import('./config.ts');
    const { publicLink } = await import('./http/public-url.ts');
    const request = (host: string) => ({ host, protocol: 'http' as const });
    const configured = loadConfig({ AMPARO_PUBLIC_URL: 'https://amparo.example.org/' });
    expect(publicLink(configured, request('phishing.example'), '/quejas/seguimiento')).toBe('https://amparo.example.org/quejas/seguimiento');
    const local = loadConfig({});
    expect(publicLink(local, request('localhost:3000'), '/quejas/seguimiento')).toBe('http://localhost:3000/quejas/seguimiento');
    expect(publicLink(local, request('phishing.example'), '/quejas/seguimiento')).toBe('/quejas/seguimiento');
    const listed = loadConfig({ AMPARO_TRUSTED_HOSTS: 'amparo.example.org' });
    expect(publicLink(listed, request('AMPARO.example.org:8443'), '/x')).toBe('http://amparo.example.org:8443/x');
    expect(publicLink(listed, request('localhost'), '/x')).toBe('/x');
    expect(() => loadConfig({ AMPARO_PUBLIC_URL: 'ftp://amparo.example.org' })).toThrow(ConfigError);
  });

  it('takes default dates in Mexico City and accepts today anywhere on Earth', async () => {
    const { localDate, latestDateOnEarth } = await import('./dates.ts');
    // 03:00 UTC on 1 January is still 31 December in Mexico City (UTC-6).
    expect(localDate(new Date('2026-01-01T03:00:00Z'))).toBe('2025-12-31');
    // At 11:00 UTC it is already the next day in Kiribati (UTC+14).
    expect(latestDateOnEarth(new Date('2026-01-01T11:00:00Z'))).toBe('2026-01-02');
  });
});
