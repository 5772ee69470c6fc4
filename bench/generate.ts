import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { createDb, migrateToLatest } from '../src/platform/db/database.ts';
import { FieldCipher, newKeyRing, type KeyRingFile } from '../src/platform/crypto/field-encryption.ts';
import { hashPassword } from '../src/platform/auth/passwords.ts';
import { closureReasons, crimeTypes, programmes, rightsViolations } from '../src/cases/vocabularies.ts';
import { formatName, loadNameLists, token32, type NameLists } from './names.ts';
import { Random } from '../src/platform/random.ts';
import { GENESIS, entryHash } from '../src/platform/audit/audit.ts';
import { ensureDatabase, numberFlags, parseArgs, seconds, now, startBenchPostgres, databaseExists, withClient } from './support.ts';

/**
 * A large synthetic data set for the benchmarks: institutions, supervisors and caseworkers, people
 * and cases with participants, the "case.opened" timeline event of every case, and the audit entries
 * that creating those people and cases would have written, as valid per-institution hash chains.
 *
 * Rows are made in Node in chronological order (as a real system appends them: institutions
 * interleaved) and sent in batches of 10,000 as `INSERT ... SELECT FROM unnest($1::uuid[], ...)`,
 * one statement per table and batch, with synchronous_commit off. Secondary indexes and the foreign
 * keys of the bulk tables are dropped before the load and rebuilt (and validated) after it; other
 * triggers fire as in production. Then the app's own maintenance for bulk-written rows (see
 * postLoadMaintenance), VACUUM ANALYZE and a checkpoint.
 *
 * Encrypted columns hold real ciphertexts of realistic size, made once with the FieldCipher of the
 * data set's key ring and reused for every row (decrypting any row works; rows do not differ).
 * The key ring is kept in the table bench_meta of the database (benchmark data only).
 */

const here = path.dirname(fileURLToPath(import.meta.url));

export const BENCH_PASSWORD = 'correct horse battery staple';

export type DatasetOptions = { people: number; cases: number; institutions: number; caseworkers: number; seed: number };
export const DEFAULT_DATASET: DatasetOptions = { people: 1_000_000, cases: 1_000_000, institutions: 20, caseworkers: 200, seed: 20261128 };

export type DatasetInfo = DatasetOptions & {
  generatedAt: string;
  loadSeconds: number;
  /** Migrations applied when it was generated. */
  migrations: string[];
  keyRing: KeyRingFile;
  institutionList: { id: string; code: string; cases: number; people: number; supervisor: string; caseworkers: string[] }[];
};

export function datasetName(o: DatasetOptions): string {
  const short = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
  return `amparo_bench_p${short(o.people)}_c${short(o.cases)}`;
}

export async function readDatasetInfo(url: string): Promise<DatasetInfo | null> {
  return withClient(url, async (c) => {
    const exists = await c.query(`select 1 from pg_tables where tablename = 'bench_meta'`);
    if (!exists.rowCount) return null;
    const row = await c.query(`select value from bench_meta where key = 'dataset'`);
    return (row.rows[0]?.value as DatasetInfo | undefined) ?? null;
  });
}

// ---------------------------------------------------------------------------------------------
// Reference data

const INSTITUTIONS: { code: string; name: string; type: string; state: string | null; weight: number }[] = [
  { code: 'CEAV', name: 'Comisión Ejecutiva de Atención a Víctimas', type: 'federal_agency', state: '09', weight: 3.0 },
  { code: 'COMAR', name: 'Comisión Mexicana de Ayuda a Refugiados', type: 'federal_agency', state: '09', weight: 2.0 },
  { code: 'CEAVCHIS', name: 'Comisión Estatal de Atención a Víctimas de Chiapas', type: 'state_agency', state: '07', weight: 1.6 },
  { code: 'DIFCHIS', name: 'Sistema DIF Chiapas, Procuraduría de Protección de NNA', type: 'state_agency', state: '07', weight: 1.4 },
  { code: 'CEAVBC', name: 'Comisión Ejecutiva Estatal de Atención a Víctimas de Baja California', type: 'state_agency', state: '02', weight: 1.2 },
  { code: 'CONSHND', name: 'Consulado General de Honduras en Tapachula', type: 'consulate', state: '07', weight: 1.1 },
  { code: 'CONSGTM', name: 'Consulado de Guatemala en Tapachula', type: 'consulate', state: '07', weight: 1.0 },
  { code: 'ALBTAP', name: 'Albergue Belén, Tapachula', type: 'shelter', state: '07', weight: 1.0 },
  { code: 'ALBTIJ', name: 'Casa del Migrante en Tijuana', type: 'shelter', state: '02', weight: 0.9 },
  { code: 'ALBSAL', name: 'Casa del Migrante de Saltillo', type: 'shelter', state: '05', weight: 0.9 },
  { code: 'FM4', name: 'FM4 Paso Libre', type: 'civil_society', state: '14', weight: 0.8 },
  { code: 'CDHFMC', name: 'Centro de Derechos Humanos Fray Matías de Córdova', type: 'civil_society', state: '07', weight: 0.8 },
  { code: 'IMUMI', name: 'Instituto para las Mujeres en la Migración', type: 'civil_society', state: '09', weight: 0.7 },
  { code: 'SJM', name: 'Servicio Jesuita a Migrantes', type: 'civil_society', state: '09', weight: 0.7 },
  { code: 'OIMMX', name: 'OIM México', type: 'international_organisation', state: '09', weight: 0.6 },
  { code: 'ACNURTAP', name: 'ACNUR, oficina de Tapachula', type: 'international_organisation', state: '07', weight: 0.6 },
  { code: 'CEAVVER', name: 'Comisión Ejecutiva Estatal de Atención Integral a Víctimas de Veracruz', type: 'state_agency', state: '30', weight: 0.5 },
  { code: 'CONSSLV', name: 'Consulado General de El Salvador en Tapachula', type: 'consulate', state: '07', weight: 0.5 },
  { code: 'ALBOAX', name: 'Albergue Hermanos en el Camino, Ixtepec', type: 'shelter', state: '20', weight: 0.4 },
  { code: 'CEAVCOAH', name: 'Comisión Ejecutiva Estatal de Atención a Víctimas de Coahuila', type: 'state_agency', state: '05', weight: 0.3 },
];

const NATIONALITIES: [string, number][] = [
  ['HND', 28], ['GTM', 22], ['VEN', 12], ['SLV', 10], ['MEX', 8], ['HTI', 7], ['CUB', 5], ['NIC', 4], ['COL', 2], ['ECU', 2],
];
const STATES: [string, number][] = [['07', 30], ['02', 10], ['14', 6], ['05', 6], ['08', 6], ['19', 6], ['26', 5], ['28', 5], ['09', 8], ['30', 6], ['20', 6], ['27', 6]];
const HAITIAN_GIVEN_F = ['Marie', 'Rose', 'Nadège', 'Mirlande', 'Guerline', 'Fabiola', 'Wideline', 'Sandra', 'Junie', 'Lovely', 'Esther', 'Roseline'];
const HAITIAN_GIVEN_M = ['Jean', 'Pierre', 'Jean Baptiste', 'Wilson', 'Jacques', 'Emmanuel', 'Reginald', 'Fritz', 'Wisly', 'Junior', 'Stevenson', 'Louis'];
const HAITIAN_SURNAMES = ['Joseph', 'Jean', 'Pierre', 'Louis', 'Charles', 'Jean-Baptiste', 'Saint-Fleur', 'Desir', 'Celestin', 'Francois', 'Michel', 'Augustin', 'Dorvil', 'Exantus', 'Paul', 'Etienne'];
const VULNERABILITIES_ADULT: [string, number][] = [['crime_victim', 40], ['asylum_seeker', 22], ['lgbti', 3], ['disability', 3], ['indigenous', 6], ['chronic_illness', 4], ['older_person', 2]];
const PROGRAMMES = Object.keys(programmes);
const PROGRAMME_WEIGHTS: [string, number][] = PROGRAMMES.map((p) => [p, p === 'victim_assistance' ? 30 : p === 'legal_aid' ? 14 : p === 'shelter' ? 14 : p === 'consular_protection' ? 10 : 5]);
const CRIMES = Object.keys(crimeTypes);
const RIGHTS = Object.keys(rightsViolations);
const CLOSURES = Object.keys(closureReasons).filter((c) => c !== 'duplicate');

const SUMMARY =
  'La persona refiere haber salido de su país de origen por amenazas de un grupo delictivo que exigía el pago de una cuota. ' +
  'Durante el tránsito por el sur de México fue retenida varios días y se le exigió dinero a sus familiares para liberarla. ' +
  'Llega a la institución acompañada de sus dos hijos menores, con lesiones leves y sin documentos. Se brinda primera ' +
  'atención psicológica, se canaliza a servicios médicos y se informa sobre su derecho a solicitar la condición de refugiada.';
const DOCUMENTS = [{ type: 'passport', number: 'F123456789', issuer: 'HND' }];
const CONTACT = { phone: '+52 962 123 4567', address: 'Albergue, calle 4a Sur 12, Tapachula, Chiapas' };

// ---------------------------------------------------------------------------------------------
// Audit entries are written in bulk with the chain's hashes computed here, by the app's own entryHash.

// ---------------------------------------------------------------------------------------------
// Column batches sent with unnest

type Column = { name: string; type: string; cast?: string; values: unknown[] };

class Batch {
  readonly columns: Column[];
  constructor(
    readonly table: string,
    spec: [name: string, type: string, cast?: string][],
    private readonly constants: Record<string, unknown> = {},
  ) {
    this.columns = spec.map(([name, type, cast]) => ({ name, type, ...(cast ? { cast } : {}), values: [] }));
  }
  get size(): number {
    return this.columns[0]!.values.length;
  }
  push(...values: unknown[]): void {
    for (let i = 0; i < this.columns.length; i++) this.columns[i]!.values.push(values[i]);
  }
  /** The statement and its parameters; resets the batch. */
  take(): { text: string; values: unknown[] } | null {
    if (!this.size) return null;
    const params: unknown[] = this.columns.map((c) => c.values);
    const names: string[] = [];
    const exprs: string[] = [];
    this.columns.forEach((c, i) => {
      const constant = /^const:(\w+)$/.exec(c.cast ?? '');
      if (constant) {
        // A flag column: the constant (a long ciphertext) is sent once, not once per row.
        params.push(this.constants[constant[1]!]);
        exprs.push(`case when c${i} then $${params.length}::text end`);
      } else exprs.push(c.cast ? `c${i}::${c.cast}` : `c${i}`);
      names.push(c.name);
    });
    const unnest = this.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    const aliases = this.columns.map((_, i) => `c${i}`).join(', ');
    const text = `insert into ${this.table} (${names.join(', ')}) select ${exprs.join(', ')} from unnest(${unnest}) as t(${aliases})`;
    for (const c of this.columns) c.values = [];
    return { text, values: params };
  }
}

const pgArray = (items: readonly string[]) => `{${items.join(',')}}`;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
type Log = (line: string) => void;
type Names = Record<'mx' | 'es', NameLists>;

/** An institution while its rows are made: its staff (and their addresses, for the audit entries), its people, the head of its audit chain. */
type Inst = { id: string; code: string; weight: number; supervisor: string; caseworkers: string[]; ips: Map<string, string>; people: string[]; prevHash: string; cases: number };

/** The load in progress: the random source, the batches of each bulk table, and what has been made so far. */
type Load = {
  rng: Random;
  lists: Names;
  options: DatasetOptions;
  people: Batch;
  cases: Batch;
  participants: Batch;
  events: Batch;
  audit: Batch;
  folioCounters: Map<string, number>;
  peopleMade: number;
  participantRows: number;
  /** The last day of the timeline (yesterday). */
  endMs: number;
};

const START_MS = Date.UTC(2020, 0, 1);
const BATCH = 10_000;

export async function generateDataset(url: string, options: DatasetOptions, log: Log): Promise<DatasetInfo> {
  const started = now();
  const rng = new Random(options.seed);
  const db = createDb(url, { max: 2 });
  await migrateToLatest(db);
  await db.destroy();

  const pool = new pg.Pool({ connectionString: url, max: 4, options: '-c synchronous_commit=off -c maintenance_work_mem=1GB' });
  pool.on('error', () => undefined); // an idle client when the server stops
  const q: Query = (text, values) => pool.query(text, values);
  const existing = await q('select count(*)::int as n from institutions');
  if (existing.rows[0].n > 0) throw new Error('The database already has institutions: generate into an empty, migrated database.');

  // A bigger WAL allowance while loading (fewer checkpoints); reset to the default at the end.
  await q(`alter system set max_wal_size = '8GB'`);
  await q(`alter system set checkpoint_timeout = '30min'`);
  await q('select pg_reload_conf()');

  const keyRing = await newKeyRing();
  const cipher = await FieldCipher.fromRing(keyRing);
  const constants = { summary: cipher.encryptText(SUMMARY), documents: cipher.encryptJson(DOCUMENTS), contact: cipher.encryptJson(CONTACT) };
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const deferred = await dropForLoad(q);

  const lists: Names = { mx: loadNameLists('mx'), es: loadNameLists('es') };
  const institutions = await createInstitutions(q, rng, lists, options, passwordHash, log);
  const endMs = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - DAY;
  const load: Load = { rng, lists, options, ...bulkBatches(constants), folioCounters: new Map(), peopleMade: 0, participantRows: 0, endMs };
  await writeRows(q, load, institutions, log);
  await restoreAfterLoad(q, url, deferred, log);

  const info: DatasetInfo = {
    ...options,
    migrations: await appliedMigrations(url),
    generatedAt: new Date().toISOString(),
    loadSeconds: seconds(started),
    keyRing,
    institutionList: institutions.map((inst) => ({ id: inst.id, code: inst.code, cases: inst.cases, people: inst.people.length, supervisor: inst.supervisor, caseworkers: inst.caseworkers })),
  };
  await q(`insert into bench_meta values ('dataset', $1)`, [JSON.stringify(info)]);
  await pool.end();
  return info;
}

// ---------------------------------------------------------------------------------------------
// Before and after the load

const BULK_TABLES = ['people', 'cases', 'case_participants', 'case_events', 'audit_log'];

type Deferred = { indexes: { indexname: string; indexdef: string }[]; foreignKeys: { tablename: string; conname: string; def: string }[] };

/**
 * Drops the secondary indexes of the bulk tables (constraint indexes stay) and their foreign keys, to
 * be rebuilt and validated in bulk after the load (the rows are consistent by construction); every
 * other trigger fires as in production. What was dropped is noted in bench_meta first.
 */
async function dropForLoad(q: Query): Promise<Deferred> {
  const indexes = (
    await q(
      `select i.indexname, i.indexdef from pg_indexes i
        where i.schemaname = 'public' and i.tablename = any($1)
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [BULK_TABLES],
    )
  ).rows as Deferred['indexes'];
  await q(`create table if not exists bench_meta (key text primary key, value jsonb not null)`);
  await q(`insert into bench_meta values ('pending_indexes', $1) on conflict (key) do update set value = excluded.value`, [JSON.stringify(indexes)]);
  for (const ix of indexes) await q(`drop index ${ix.indexname}`);
  const foreignKeys = (
    await q(
      `select c.conrelid::regclass::text as tablename, c.conname, pg_get_constraintdef(c.oid) as def from pg_constraint c
        where c.contype = 'f' and c.conrelid::regclass::text = any($1)`,
      [BULK_TABLES],
    )
  ).rows as Deferred['foreignKeys'];
  await q(`insert into bench_meta values ('pending_foreign_keys', $1) on conflict (key) do update set value = excluded.value`, [JSON.stringify(foreignKeys)]);
  for (const fk of foreignKeys) await q(`alter table ${fk.tablename} drop constraint ${fk.conname}`);
  return { indexes, foreignKeys };
}

/** The indexes and foreign keys back, the app's own maintenance, VACUUM ANALYZE, the default WAL settings and a checkpoint. */
async function restoreAfterLoad(q: Query, url: string, { indexes, foreignKeys }: Deferred, log: Log): Promise<void> {
  // Two at a time (each may use a parallel worker).
  const indexStarted = now();
  const queue = [...indexes].sort((a, b) => (b.indexdef.includes('gin') ? 1 : 0) - (a.indexdef.includes('gin') ? 1 : 0));
  await Promise.all(
    [0, 1].map(async () => {
      for (let ix = queue.shift(); ix; ix = queue.shift()) await q(ix.indexdef);
    }),
  );
  await q(`delete from bench_meta where key = 'pending_indexes'`);
  log(`  ${indexes.length} secondary indexes rebuilt in ${seconds(indexStarted).toFixed(1)} s`);
  const fkStarted = now();
  for (const fk of foreignKeys) await q(`alter table ${fk.tablename} add constraint ${fk.conname} ${fk.def}`);
  await q(`delete from bench_meta where key = 'pending_foreign_keys'`);
  log(`  ${foreignKeys.length} foreign keys added back and validated in ${seconds(fkStarted).toFixed(1)} s`);
  await postLoadMaintenance(url, log);
  const vacuumStarted = now();
  await q('vacuum (analyze)');
  log(`  vacuum analyze in ${seconds(vacuumStarted).toFixed(1)} s`);
  await q(`alter system reset max_wal_size`);
  await q(`alter system reset checkpoint_timeout`);
  await q('select pg_reload_conf()');
  await q('checkpoint');
}

// ---------------------------------------------------------------------------------------------
// Rows

const personName = (rng: Random, lists: Names, sex: string): string => {
  const l = lists[rng.chance(0.8) ? 'mx' : 'es'];
  return `${formatName((sex === 'female' ? l.female : l.male).sample(rng))} ${formatName(l.surname1.sample(rng))}`;
};

/** The institutions, each with a supervisor and caseworkers in proportion to its weight. */
async function createInstitutions(q: Query, rng: Random, lists: Names, options: DatasetOptions, passwordHash: string, log: Log): Promise<Inst[]> {
  const chosen = INSTITUTIONS.slice(0, options.institutions);
  const weightSum = chosen.reduce((s, i) => s + i.weight, 0);
  const institutions: Inst[] = [];
  const usersBatch = new Batch('users', [['id', 'uuid'], ['email', 'text'], ['display_name', 'text'], ['password_hash', 'text'], ['created_at', 'timestamptz']]);
  const membershipsBatch = new Batch('memberships', [['user_id', 'uuid'], ['institution_id', 'uuid'], ['role', 'text'], ['created_at', 'timestamptz']]);
  let userCount = 0;
  for (const [index, spec] of chosen.entries()) {
    const id = rng.uuid();
    await q(`insert into institutions (id, code, name, type, state_code, created_at) values ($1, $2, $3, $4, $5, $6)`, [id, spec.code, spec.name, spec.type, spec.state, new Date(START_MS - 30 * DAY)]);
    const inst: Inst = { id, code: spec.code, weight: spec.weight, supervisor: '', caseworkers: [], ips: new Map(), people: [], prevHash: GENESIS, cases: 0 };
    const workers = Math.max(2, Math.round((options.caseworkers * spec.weight) / weightSum));
    for (let n = 0; n <= workers; n++) {
      const userId = rng.uuid();
      const role = n === 0 ? 'supervisor' : 'caseworker';
      const email = n === 0 ? `supervisor.${spec.code.toLowerCase()}@bench.amparo` : `cw${n}.${spec.code.toLowerCase()}@bench.amparo`;
      usersBatch.push(userId, email, personName(rng, lists, rng.chance(0.6) ? 'female' : 'male'), passwordHash, new Date(START_MS - 20 * DAY).toISOString());
      membershipsBatch.push(userId, id, role, new Date(START_MS - 20 * DAY).toISOString());
      if (n === 0) inst.supervisor = userId;
      else inst.caseworkers.push(userId);
      inst.ips.set(userId, `10.${20 + index}.${Math.floor(n / 250)}.${(n % 250) + 1}`);
      userCount++;
    }
    institutions.push(inst);
  }
  for (const b of [usersBatch, membershipsBatch]) {
    const s = b.take();
    if (s) await q(s.text, s.values);
  }
  log(`  ${institutions.length} institutions, ${userCount} users (password "${BENCH_PASSWORD}")`);
  return institutions;
}

function bulkBatches(constants: Record<string, unknown>): Pick<Load, 'people' | 'cases' | 'participants' | 'events' | 'audit'> {
  return {
    people: new Batch('people', [
      ['id', 'uuid'], ['institution_id', 'uuid'], ['given_names', 'text'], ['surname1', 'text'], ['surname2', 'text'], ['other_names', 'text', 'text[]'],
      ['sex', 'text'], ['date_of_birth', 'date'], ['estimated_age', 'int2'], ['age_estimated_on', 'date'], ['nationalities', 'text', 'char(3)[]'],
      ['country_of_birth', 'text'], ['languages', 'text', 'text[]'], ['vulnerabilities', 'text', 'text[]'], ['documents_enc', 'bool', 'const:documents'],
      ['document_keys', 'text', 'text[]'], ['contact_enc', 'bool', 'const:contact'], ['location_country', 'text'], ['location_state', 'text'],
      ['location_municipality', 'text'], ['created_by', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
    ], constants),
    cases: new Batch('cases', [
      ['id', 'uuid'], ['institution_id', 'uuid'], ['folio', 'text'], ['programme', 'text'], ['status', 'text'], ['closure_reason', 'text'],
      ['opened_on', 'date'], ['closed_on', 'date'], ['assigned_to', 'uuid'], ['summary_enc', 'bool', 'const:summary'], ['crime_types', 'text', 'text[]'],
      ['rights_violations', 'text', 'text[]'], ['created_by', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
    ], constants),
    participants: new Batch('case_participants', [['id', 'uuid'], ['institution_id', 'uuid'], ['case_id', 'uuid'], ['person_id', 'uuid'], ['role', 'text'], ['relationship', 'text'], ['created_at', 'timestamptz']]),
    events: new Batch('case_events', [['institution_id', 'uuid'], ['case_id', 'uuid'], ['at', 'timestamptz'], ['actor_user_id', 'uuid'], ['kind', 'text'], ['data', 'text', 'jsonb']]),
    audit: new Batch('audit_log', [['institution_id', 'uuid'], ['at', 'timestamptz'], ['actor_user_id', 'uuid'], ['action', 'text'], ['record_type', 'text'], ['record_id', 'text'], ['ip', 'inet'], ['detail', 'text', 'jsonb'], ['prev_hash', 'text'], ['hash', 'text']]),
  };
}

/**
 * The cases in time order (institutions interleaved, as a real system appends them), their people
 * and the audit entries, sent in batches while the next are made; then the people still missing and
 * the folio counters.
 */
async function writeRows(q: Query, load: Load, institutions: Inst[], log: Log): Promise<void> {
  const { rng, options, endMs } = load;
  // The timeline of cases: sorted random instants between 2020-01-01 and yesterday.
  const instants = new Float64Array(options.cases);
  for (let i = 0; i < options.cases; i++) instants[i] = START_MS + rng.next() * (endMs + DAY - 1 - START_MS);
  instants.sort();
  const instWeights = institutions.map((inst) => [inst, inst.weight] as const);

  // Each table's batches go in order on their own connection; Node makes the next batch meanwhile.
  const inflight = new Map<string, Promise<unknown>>();
  const flush = async (batch: Batch) => {
    await inflight.get(batch.table);
    const statement = batch.take();
    if (statement) inflight.set(batch.table, q(statement.text, statement.values));
  };
  const flushAll = async () => {
    for (const b of [load.people, load.cases, load.participants, load.events, load.audit]) await flush(b);
  };

  const loadStarted = now();
  let lastReport = now();
  for (let i = 0; i < options.cases; i++) {
    makeCase(load, rng.weighted(instWeights), instants[i]!, i);
    if (load.cases.size >= BATCH) await flushAll();
    if (seconds(lastReport) > 15) {
      lastReport = now();
      log(`  ${i + 1} cases, ${load.peopleMade} people, ${seconds(loadStarted).toFixed(0)} s`);
    }
  }
  // People registered without a case yet, if the cases did not reach the number asked for.
  while (load.peopleMade < options.people) {
    const inst = rng.weighted(instWeights);
    makePerson(load, inst, START_MS + rng.next() * (endMs - START_MS), rng.pick(inst.caseworkers));
    if (load.people.size >= BATCH) await flushAll();
  }
  await flushAll();
  await Promise.all(inflight.values());
  const counters = [...load.folioCounters].map(([key, n]) => [...key.split('|'), n] as [string, string, number]);
  await q(`insert into case_folio_counters (institution_id, year, last_number) select * from unnest($1::uuid[], $2::int2[], $3::int[])`, [
    counters.map((c) => c[0]),
    counters.map((c) => c[1]),
    counters.map((c) => c[2]),
  ]);
  log(`  rows: ${options.cases} cases, ${load.peopleMade} people, ${load.participantRows} participants, ${options.cases + load.peopleMade} audit entries in ${seconds(loadStarted).toFixed(1)} s`);
}

/** The next entry of the institution's audit chain, its hash computed by the app's own entryHash. */
function appendAuditRow(load: Load, inst: Inst, at: string, actor: string, action: string, recordType: string, recordId: string, detail: Record<string, string[]>): void {
  const ip = inst.ips.get(actor) ?? null;
  const fields = { institution_id: inst.id, at, actor_user_id: actor, action, record_type: recordType, record_id: recordId, ip, detail };
  const hash = entryHash(inst.prevHash, fields);
  load.audit.push(inst.id, at, actor, action, recordType, recordId, ip, JSON.stringify(detail), inst.prevHash, hash);
  inst.prevHash = hash;
}

/** Case number `i`, opened at `t`: its folio, its participants (new people mostly), its status, its timeline event and audit entry. */
function makeCase(load: Load, inst: Inst, t: number, i: number): void {
  const { rng, options, endMs } = load;
  inst.cases++;
  const assigned = rng.chance(0.95) ? rng.pick(inst.caseworkers) : null;
  const actor = assigned ?? inst.supervisor;
  const programme = rng.weighted(PROGRAMME_WEIGHTS);
  const openedOn = isoDay(t);
  const year = openedOn.slice(0, 4);
  const counterKey = `${inst.id}|${year}`;
  const number = (load.folioCounters.get(counterKey) ?? 0) + 1;
  load.folioCounters.set(counterKey, number);
  const folio = `${inst.code}-${year}-${String(number).padStart(6, '0')}`;

  // Participants: new people mostly, some already known to the institution; exactly options.people in the end.
  const k = rng.chance(0.68) ? 1 : 2;
  const remainingSlots = (options.cases - i) * 1.32;
  const pNew = Math.min(1, Math.max(0, (options.people - load.peopleMade) / remainingSlots));
  const ids: string[] = [];
  for (let j = 0; j < k; j++) {
    const reuse = inst.people.length > 10 && (load.peopleMade >= options.people || !rng.chance(pNew));
    let personId = reuse ? inst.people[Math.floor(rng.next() * inst.people.length)]! : makePerson(load, inst, t - (k - j) * 60_000, actor);
    if (ids.includes(personId)) personId = load.peopleMade < options.people ? makePerson(load, inst, t - 1000, actor) : '';
    if (personId) ids.push(personId);
  }

  const ageDays = (endMs - t) / DAY;
  const roll = rng.next();
  let status = 'open';
  let closureReason: string | null = null;
  let closedOn: string | null = null;
  if (roll < Math.min(0.85, ageDays / 600)) {
    status = rng.chance(0.03) ? 'reopened' : 'closed';
    if (status === 'closed') {
      closureReason = rng.pick(CLOSURES);
      closedOn = isoDay(Math.min(endMs, t + rng.int(1, Math.max(1, Math.floor(ageDays))) * DAY));
    }
  } else if (rng.chance(0.6)) status = 'in_progress';
  const createdAt = new Date(t).toISOString();
  const updatedAt = closedOn ? `${closedOn}T18:00:00.000Z` : createdAt;
  const caseId = rng.uuid();
  const crimes = rng.chance(0.7) ? [rng.pick(CRIMES), ...(rng.chance(0.3) ? [rng.pick(CRIMES)] : [])] : [];
  const rights = rng.chance(0.35) ? [rng.pick(RIGHTS)] : [];
  load.cases.push(caseId, inst.id, folio, programme, status, closureReason, openedOn, closedOn, assigned, rng.chance(0.85), pgArray([...new Set(crimes)]), pgArray(rights), actor, createdAt, updatedAt);
  ids.forEach((personId, j) => {
    const role = j === 0 ? 'direct_victim' : rng.pick(['indirect_victim', 'family_member', 'applicant', 'guardian']);
    load.participants.push(rng.uuid(), inst.id, caseId, personId, role, j === 0 ? null : rng.pick(['hija', 'hijo', 'madre', 'padre', 'pareja', 'hermana', 'hermano']), createdAt);
    load.participantRows++;
  });
  load.events.push(inst.id, caseId, createdAt, actor, 'case.opened', JSON.stringify({ programme, participants: ids.length }));
  appendAuditRow(load, inst, createdAt, actor, 'case.created', 'case', caseId, { participants: ids });
}

/** A person registered by `actor` at `createdMs`, with the audit entry that registering writes; returns the id. */
function makePerson(load: Load, inst: Inst, createdMs: number, actor: string): string {
  const { rng, lists } = load;
  const id = rng.uuid();
  const nationality = rng.weighted(NATIONALITIES);
  const sexRoll = rng.next();
  const sex = sexRoll < 0.46 ? 'female' : sexRoll < 0.985 ? 'male' : sexRoll < 0.995 ? 'unknown' : 'intersex';
  const female = sex === 'female' || (sex !== 'male' && rng.chance(0.5));
  let given: string;
  let s1: string | null;
  let s2: string | null;
  if (nationality === 'HTI') {
    given = rng.pick(female ? HAITIAN_GIVEN_F : HAITIAN_GIVEN_M);
    s1 = rng.pick(HAITIAN_SURNAMES);
    s2 = null;
  } else {
    const l = lists[['VEN', 'COL', 'ECU', 'CUB'].includes(nationality) ? (rng.chance(0.5) ? 'es' : 'mx') : rng.chance(0.85) ? 'mx' : 'es'];
    const accents = rng.chance(0.8); // some records are typed without accents
    given = formatName((female ? l.female : l.male).sample(rng), accents);
    s1 = rng.chance(0.99) ? formatName(l.surname1.sample(rng), accents) : null;
    s2 = rng.chance(0.85) ? formatName(l.surname2.sample(rng), accents) : null;
  }
  const child = rng.chance(0.22);
  const age = child ? rng.int(0, 17) : Math.min(85, 18 + Math.floor(-Math.log(1 - rng.next()) * 12));
  const createdDay = isoDay(createdMs);
  let dob: string | null = null;
  let estimated: number | null = null;
  let estimatedOn: string | null = null;
  const dateRoll = rng.next();
  if (dateRoll < 0.66) dob = isoDay(createdMs - (age * 365.25 + rng.int(0, 364)) * DAY);
  else if (dateRoll < 0.95) {
    estimated = age;
    estimatedOn = createdDay;
  }
  const languages = nationality === 'HTI' ? ['hat', 'fra'] : nationality === 'GTM' && rng.chance(0.15) ? ['spa', rng.pick(['mam', 'quc', 'kek'])] : ['spa'];
  const vulnerabilities: string[] = [];
  if (child) vulnerabilities.push(rng.chance(0.35) ? 'unaccompanied_child' : 'separated_child');
  for (const [v, w] of VULNERABILITIES_ADULT) if (rng.chance(w / 100)) vulnerabilities.push(v);
  if (female && !child && age < 45 && rng.chance(0.06)) vulnerabilities.push('pregnant');
  const docs = rng.chance(0.55) ? (rng.chance(0.15) ? 2 : 1) : 0;
  const documentKeys = Array.from({ length: docs }, () => token32(rng));
  const state = rng.weighted(STATES);
  const createdAt = new Date(createdMs).toISOString();
  load.people.push(
    id, inst.id, given, s1, s2, pgArray(rng.chance(0.03) ? [`"${personName(rng, lists, female ? 'female' : 'male').split(' ')[0]}"`] : []),
    sex, dob, estimated, estimatedOn, pgArray([nationality]), nationality, pgArray(languages), pgArray(vulnerabilities), docs > 0,
    pgArray(documentKeys), rng.chance(0.45), rng.chance(0.97) ? 'MEX' : null, state, `${state}${String(rng.int(1, 120)).padStart(3, '0')}`,
    actor, createdAt, createdAt,
  );
  appendAuditRow(load, inst, createdAt, actor, 'person.created', 'person', id, {});
  inst.people.push(id);
  load.peopleMade++;
  return id;
}

/**
 * What the app itself does for rows written outside its services (a bulk import): today, the
 * name-matching keys of src/search, when that module is present (its trigger marked every person
 * as pending; the keys are computed by the module's own rebuild function).
 */
async function postLoadMaintenance(url: string, log: (line: string) => void): Promise<void> {
  const store = path.join(here, '../src/search/store.ts');
  if (!fs.existsSync(store)) return;
  const module = (await import(pathToFileURL(store).href)) as { rebuildAllNameKeys?: (db: unknown) => Promise<number> };
  if (typeof module.rebuildAllNameKeys !== 'function') return;
  const started = now();
  const db = createDb(url, { max: 2 });
  try {
    const n = await module.rebuildAllNameKeys(db);
    log(`  name-matching keys of ${n} people computed (src/search/store.ts rebuildAllNameKeys) in ${seconds(started).toFixed(1)} s`);
  } finally {
    await db.destroy();
  }
}

/** Migrations the data set has, for the record. */
async function appliedMigrations(url: string): Promise<string[]> {
  return withClient(url, async (c) => (await c.query('select name from kysely_migration order by name')).rows.map((r: { name: string }) => r.name));
}

/**
 * Makes sure the data set exists in its own database of this server (generating it the first time)
 * and returns its name and description.
 */
export async function ensureDataset(adminUrl: (db: string) => string, options: DatasetOptions, log: (line: string) => void): Promise<{ database: string; info: DatasetInfo; generated: boolean }> {
  const database = datasetName(options);
  if (await databaseExists(adminUrl('postgres'), database)) {
    const info = await readDatasetInfo(adminUrl(database));
    if (info) {
      log(`Data set ${database} found (generated ${info.generatedAt} in ${info.loadSeconds.toFixed(0)} s); reusing it.`);
      // The code may have gained migrations since: apply them, as an upgrade would.
      const db = createDb(adminUrl(database), { max: 2 });
      try {
        const applied = await migrateToLatest(db);
        if (applied.length) log(`  applied new migrations to the data set: ${applied.join(', ')}`);
      } finally {
        await db.destroy();
      }
      // A migration may mark every person's name keys for recomputation (a new key version): the
      // running server does that in the background; a benchmark must not measure half-keyed data.
      const pending = await withClient(adminUrl(database), async (c) => Number((await c.query('select count(*) as n from person_name_keys_pending')).rows[0].n));
      if (pending > 0) await postLoadMaintenance(adminUrl(database), log);
      return { database, info, generated: false };
    }
    log(`Database ${database} exists but its generation did not finish: dropping it and starting again.`);
    await withClient(adminUrl('postgres'), (c) => c.query(`drop database ${database} with (force)`));
  }
  log(`Generating data set ${database}: ${options.people} people, ${options.cases} cases, ${options.institutions} institutions, ~${options.caseworkers} caseworkers...`);
  await ensureDatabase(adminUrl('postgres'), database);
  const info = await generateDataset(adminUrl(database), options, log);
  log(`Data set generated in ${info.loadSeconds.toFixed(1)} s.`);
  return { database, info, generated: true };
}

export function datasetOptionsFrom(args: ReturnType<typeof parseArgs>): DatasetOptions {
  const options = numberFlags(args, DEFAULT_DATASET);
  return { ...options, institutions: Math.min(INSTITUTIONS.length, options.institutions) };
}

/** `npm run bench -- generate [--people=N --cases=N]`: only generate (use with BENCH_DATA_DIR to keep it). */
export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const log = (line: string) => console.log(line);
  const postgres = await startBenchPostgres({ keep: args.flags.has('keep'), log });
  try {
    await ensureDataset(postgres.url, datasetOptionsFrom(args), log);
  } finally {
    await postgres.stop();
  }
}
