import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helpers.ts';
import type { Db } from '../platform/db/database.ts';
import { FieldCipher, type KeyRingFile } from '../platform/crypto/field-encryption.ts';
import { verifyPassword } from '../platform/auth/passwords.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

let db: Db;
let url: string;
let dir: string;
let keyFile: string;

type Result = { code: number; stdout: string; stderr: string };

function amparo(...args: string[]): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, AMPARO_KEY_FILE: keyFile, AMPARO_DATA_DIR: dir, AMPARO_DEMO_PEOPLE: '40' };
  delete env.AMPARO_KEYS;
  return new Promise((resolve) => {
    execFile(tsx, [path.join(root, 'src', 'cli.ts'), ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Points the commands at a new, empty database for the length of `use`, then back at the walk's. */
async function inAnotherDatabase(use: (other: Db) => Promise<void>): Promise<void> {
  const other = await freshDatabase();
  const previous = url;
  url = other.url;
  try {
    await use(other.db);
  } finally {
    url = previous;
    await other.db.destroy();
  }
}

const readRing = () => JSON.parse(fs.readFileSync(keyFile, 'utf8')) as KeyRingFile;

beforeAll(async () => {
  ({ db, url } = await freshDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amparo-cli-'));
  keyFile = path.join(dir, 'keys.json');
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

// One database walked command by command (the demo loaded first, then verified, tampered with...): a sequence.
describe('amparo command line', { shuffle: false }, () => {
  it('prints help, and fails clearly on unknown commands and missing options', async () => {
    const help = await amparo('--help');
    expect(help.code).toBe(0);
    for (const command of ['institution create', 'user reset-password', 'audit verify', 'keys rotate', 'demo load', 'migrate']) expect(help.stdout).toContain(command);
    const commandHelp = await amparo('user', 'create', '--help');
    expect(commandHelp.stdout).toContain('--institution');
    const unknown = await amparo('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command');
    const missing = await amparo('institution', 'create', '--code', 'X1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name is required');
    const badOption = await amparo('institution', 'list', '--colour');
    expect(badOption.code).toBe(2);
  }, 120_000);

  it('reports migrations', async () => {
    const result = await amparo('migrate');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('up to date');
  }, 120_000);

  it('creates institutions and users, adds roles and resets passwords', async () => {
    const created = await amparo('institution', 'create', '--code', 'CEAV', '--name', 'Comisión Ejecutiva de Atención a Víctimas', '--type', 'federal_agency', '--state', '09');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('CEAV');
    const child = await amparo('institution', 'create', '--code', 'ceavchis', '--name', 'CEAV Chiapas', '--type', 'federal_agency', '--state', '07', '--parent', 'CEAV', '--require-mfa');
    expect(child.code, child.stderr).toBe(0);
    const row = await db.selectFrom('institutions').select(['parent_id', 'require_mfa', 'state_code']).where('code', '=', 'CEAVCHIS').executeTakeFirstOrThrow();
    expect(row.require_mfa).toBe(true);
    expect(row.parent_id).not.toBeNull();
    const duplicate = await amparo('institution', 'create', '--code', 'CEAV', '--name', 'Otra', '--type', 'federal_agency');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
    const badType = await amparo('institution', 'create', '--code', 'ZZ', '--name', 'Otra', '--type', 'ministry');
    expect(badType.code).toBe(2);
    const list = await amparo('institution', 'list');
    expect(list.stdout).toContain('CEAVCHIS');

    const user = await amparo('user', 'create', '--email', 'Laura@example.org', '--name', 'Laura Méndez', '--institution', 'CEAV', '--role', 'caseworker');
    expect(user.code, user.stderr).toBe(0);
    const generated = /Password \(shown only now\): (\S+)/.exec(user.stdout)![1]!;
    let stored = await db.selectFrom('users').select(['id', 'password_hash']).where('email', '=', 'laura@example.org').executeTakeFirstOrThrow();
    expect(await verifyPassword(stored.password_hash, generated)).toBe(true);

    const role = await amparo('user', 'add-role', '--email', 'laura@example.org', '--institution', 'CEAVCHIS', '--role', 'supervisor');
    expect(role.code, role.stderr).toBe(0);
    const memberships = await db.selectFrom('memberships').select('role').where('user_id', '=', stored.id).execute();
    expect(memberships.map((m) => m.role).sort()).toEqual(['caseworker', 'supervisor']);

    // A locked account is unlocked by the reset.
    await db.updateTable('users').set({ failed_logins: 5, locked_until: new Date(Date.now() + 3_600_000) }).where('id', '=', stored.id).execute();
    const reset = await amparo('user', 'reset-password', '--email', 'laura@example.org');
    expect(reset.code, reset.stderr).toBe(0);
    const next = /New password \(shown only now\): (\S+)/.exec(reset.stdout)![1]!;
    expect(next).not.toBe(generated);
    const after = await db.selectFrom('users').select(['password_hash', 'failed_logins', 'locked_until']).where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(after.password_hash, next)).toBe(true);
    expect(after).toMatchObject({ failed_logins: 0, locked_until: null });

    const chosen = await amparo('user', 'reset-password', '--email', 'laura@example.org', '--password', 'a chosen long password');
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).not.toContain('a chosen long password');
    stored = await db.selectFrom('users').select(['id', 'password_hash']).where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(stored.password_hash, 'a chosen long password')).toBe(true);

    const users = await amparo('user', 'list', '--institution', 'CEAVCHIS');
    expect(users.stdout).toContain('laura@example.org');
    expect(users.stdout).toContain('CEAVCHIS:supervisor');
    const nobody = await amparo('user', 'reset-password', '--email', 'nobody@example.org');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No user with email');
  }, 120_000);

  it('verifies the audit chains and detects tampering', async () => {
    const ok = await amparo('audit', 'verify');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('CEAV');
    expect(ok.stdout).toMatch(/All \d+ chain\(s\) OK/);
    const checkpointFile = path.join(dir, 'checkpoint.json');
    const checkpoint = await amparo('audit', 'checkpoint', '--out', checkpointFile);
    expect(checkpoint.code, checkpoint.stderr).toBe(0);
    const against = await amparo('audit', 'verify', '--checkpoint', checkpointFile);
    expect(against.code, against.stderr).toBe(0);
    expect(against.stdout).toContain('consistent with the checkpoint');
    const edited = JSON.parse(fs.readFileSync(checkpointFile, 'utf8'));
    edited.chains[0].entries += 1;
    fs.writeFileSync(checkpointFile, JSON.stringify(edited));
    const forged = await amparo('audit', 'verify', '--checkpoint', checkpointFile);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('MAC does not match');

    const entry = await db.selectFrom('audit_log').innerJoin('institutions', 'institutions.id', 'audit_log.institution_id').select(['audit_log.id', 'audit_log.institution_id']).where('institutions.code', '=', 'CEAV').orderBy('audit_log.id').executeTakeFirstOrThrow();
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    try {
      await sql`update audit_log set action = 'tampered' where institution_id = ${entry.institution_id} and id = ${entry.id}`.execute(db);
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
    }
    const broken = await amparo('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN');
    expect(broken.stderr).toContain(`entry ${entry.id} does not match the chain`);
  }, 120_000);

  it('loads the demo data once', async () => {
    // The demo loads only into a database without institutions: use a second one.
    await inAnotherDatabase(async () => {
      const loaded = await amparo('demo', 'load', '--people', '40');
      expect(loaded.code, loaded.stderr).toBe(0);
      expect(loaded.stdout).toContain('supervisor');
      expect(loaded.stdout).toMatch(/password: \S+/);
      const again = await amparo('demo', 'load');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('not loaded');
    });
  }, 120_000);

  it('exports the directory as an HSDS package (JSON or CSV folder) and imports it elsewhere, all or nothing', async () => {
    // The demo's directory, in a database of its own, is the source; the walk's database receives it.
    const json = path.join(dir, 'directory.json');
    const csv = path.join(dir, 'directory-csv');
    await inAnotherDatabase(async (source) => {
      expect((await amparo('demo', 'load', '--people', '0')).code).toBe(0);
      const services = (await source.selectFrom('directory_services').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
      expect(Number(services)).toBeGreaterThan(0);
      const exported = await amparo('directory', 'export', '--format', 'json', '--out', json);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain(`${services} service(s)`);
      expect(JSON.parse(fs.readFileSync(json, 'utf8')).service).toHaveLength(Number(services));
      expect((await amparo('directory', 'export', '--format', 'csv', '--out', csv)).code).toBe(0);
      expect(fs.readdirSync(csv)).toEqual(expect.arrayContaining(['datapackage.json', 'service.csv', 'organization.csv', 'location.csv']));
      expect((await amparo('directory', 'export', '--format', 'xml', '--out', json)).code).toBe(2);
    });
    const count = async () => Number((await db.selectFrom('directory_services').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    // A package with a bad id is refused whole: nothing written.
    const broken = JSON.parse(fs.readFileSync(json, 'utf8'));
    broken.service[broken.service.length - 1].id = 'not-an-id';
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    const refused = await amparo('directory', 'import', path.join(dir, 'broken.json'));
    expect(refused.code).toBe(1);
    expect(await count()).toBe(before);
    const imported = await amparo('directory', 'import', json);
    expect(imported.code, imported.stderr).toBe(0);
    const added = broken.service.length as number;
    expect(imported.stdout).toContain(`${added} service(s)`);
    expect(await count()).toBe(before + added);
    // The CSV folder holds the same entries: importing it again updates them, adds none.
    const again = await amparo('directory', 'import', csv);
    expect(again.code, again.stderr).toBe(0);
    expect(await count()).toBe(before + added);
    expect((await amparo('directory', 'import')).code).toBe(2);
  }, 120_000);

  it('rotates the key and re-encrypts every encrypted field under it', async () => {
    await inAnotherDatabase(async (second) => {
      const loaded = await amparo('demo', 'load', '--people', '40');
      expect(loaded.code, loaded.stderr).toBe(0);
      const before = readRing();
      const oldCipher = await FieldCipher.fromRing(before);
      // An attachment (bytea) and a TOTP secret, which the demo does not create.
      const someCase = await second.selectFrom('cases').select(['id', 'institution_id']).executeTakeFirstOrThrow();
      await second
        .insertInto('attachments')
        .values({ institution_id: someCase.institution_id, case_id: someCase.id, filename_enc: oldCipher.encryptText('informe.pdf'), media_type: 'application/pdf', size_bytes: 4, sha256: 'a'.repeat(64), content_enc: oldCipher.encryptBytes(Buffer.from('%PDF')), uploaded_by: null })
        .execute();
      await second.updateTable('users').set({ totp_secret_enc: oldCipher.encryptText('JBSWY3DPEHPK3PXP') }).where('email', 'like', 'supervisor%.ceav@demo.amparo').execute();

      const plainBefore = async () => {
        const people = await second.selectFrom('people').select(['id', 'documents_enc', 'contact_enc']).orderBy('id').execute();
        const cases = await second.selectFrom('cases').select(['id', 'summary_enc']).orderBy('id').execute();
        const notes = await second.selectFrom('case_notes').select(['id', 'body_enc']).orderBy('id').execute();
        const services = await second.selectFrom('services').select(['id', 'notes_enc']).where('notes_enc', 'is not', null).orderBy('id').execute();
        const attachment = await second.selectFrom('attachments').select(['filename_enc', 'content_enc']).executeTakeFirstOrThrow();
        const user = await second.selectFrom('users').select('totp_secret_enc').where('totp_secret_enc', 'is not', null).executeTakeFirstOrThrow();
        return { people, cases, notes, services, attachment, user };
      };
      const raw = await plainBefore();
      // 40 from the bulk load, and the child-protection demo's children and the adult it verified.
      expect(raw.people.length).toBeGreaterThan(40);

      const rotated = await amparo('keys', 'rotate');
      expect(rotated.code, rotated.stderr).toBe(0);
      const ring = readRing();
      expect(ring.current).not.toBe(before.current);
      expect(Object.keys(ring.keys)).toEqual(expect.arrayContaining(Object.keys(before.keys)));
      expect(ring.index).toBe(before.index);
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(rotated.stdout).toContain('people.documents_enc');
      expect(rotated.stdout).toContain('older keys can be removed');

      const cipher = await FieldCipher.fromRing(ring);
      const prefix = `${ring.current}:`;
      const after = await plainBefore();
      const same = (a: string | null, b: string | null) => {
        if (a === null) return expect(b).toBeNull();
        expect(b!.startsWith(prefix)).toBe(true);
        expect(cipher.decryptText(b!)).toBe(oldCipher.decryptText(a));
      };
      after.people.forEach((p, i) => {
        same(raw.people[i]!.documents_enc, p.documents_enc);
        same(raw.people[i]!.contact_enc, p.contact_enc);
      });
      after.cases.forEach((c, i) => same(raw.cases[i]!.summary_enc, c.summary_enc));
      after.notes.forEach((n, i) => same(raw.notes[i]!.body_enc, n.body_enc));
      after.services.forEach((s, i) => same(raw.services[i]!.notes_enc, s.notes_enc));
      same(raw.attachment.filename_enc, after.attachment.filename_enc);
      same(raw.user.totp_secret_enc, after.user.totp_secret_enc);
      expect(cipher.keyIdOf(after.attachment.content_enc)).toBe(ring.current);
      expect(cipher.decryptBytes(after.attachment.content_enc).toString()).toBe('%PDF');

      // Running it again finds nothing left to do; the audit chains still hold.
      const again = await amparo('keys', 'reencrypt');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/people\.documents_enc\s+0/);
      const verify = await amparo('audit', 'verify');
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    });
  }, 120_000);

  it('with AMPARO_KEYS, prints the new ring instead of writing it', async () => {
    const ring = readRing();
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, AMPARO_KEYS: JSON.stringify(ring), AMPARO_KEY_FILE: path.join(dir, 'unused.json'), AMPARO_DATA_DIR: dir };
    const result = await new Promise<Result>((resolve) => {
      execFile(tsx, [path.join(root, 'src', 'cli.ts'), 'keys', 'rotate'], { cwd: root, env }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }));
    });
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as KeyRingFile;
    expect(printed.current).not.toBe(ring.current);
    expect(Object.keys(printed.keys)).toEqual(expect.arrayContaining(Object.keys(ring.keys)));
    expect(fs.existsSync(path.join(dir, 'unused.json'))).toBe(false);
    expect(result.stderr).toContain('keys reencrypt');
  }, 120_000);
});
