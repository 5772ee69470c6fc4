import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import type { Actor } from '../platform/auth/policy.ts';
import type { Db, Role } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { translate } from '../platform/i18n/messages.ts';
import { CsvEncodingError, CsvSyntaxError, detectDelimiter, parseCsv, parseCsvStream, toCsvLine, unprotectFormula } from '../platform/csv.ts';
import { FOUND_HEADER, PEOPLE_HEADER, REPORT_HEADER, csv, foundRow, largePeopleFile, largeReportsFile, personRow, reportRow } from './testing/import-files.ts';
import { commandLineInFreshDatabase } from '../cli/testing/command-line.ts';
import { exportCsv, importCsv, type ImportKind, type ImportReport } from './import.ts';

/**
 * Bulk CSV import and export (docs/missing-import.md): whole files or nothing, a per-row report in the
 * caller's language, the services' own inserts (name keys, matching queue), one audit entry.
 */

let server: TestServer;
let db: Db;
let institutionA: { id: string; code: string };
let institutionB: { id: string; code: string };
let officerA: Actor;
let officerB: Actor;
let supervisorA: Actor;
let caseworkerA: Actor;
let analystA: Actor;
let officerClient: ApiClient;
let caseworkerClient: ApiClient;

async function actor(institutionId: string, role: Role): Promise<Actor & { email: string }> {
  const user = await makeUser(db, institutionId, role);
  return { userId: user.id, email: user.email, institutionId, role, isPlatformAdmin: false, ip: null };
}

beforeAll(async () => {
  server = await startTestServer({ matchingWorker: false });
  db = server.db;
  institutionA = await makeInstitution(db, { name: 'Comisión de Búsqueda A', type: 'state_agency' });
  institutionB = await makeInstitution(db, { name: 'Comisión de Búsqueda B', type: 'state_agency' });
  const officer = await actor(institutionA.id, 'search_officer');
  officerA = officer;
  officerB = await actor(institutionB.id, 'search_officer');
  supervisorA = await actor(institutionA.id, 'supervisor');
  const caseworker = await actor(institutionA.id, 'caseworker');
  caseworkerA = caseworker;
  analystA = await actor(institutionA.id, 'analyst');
  officerClient = await ApiClient.signIn(server.baseUrl, officer.email, undefined, 'en');
  caseworkerClient = await ApiClient.signIn(server.baseUrl, caseworker.email);
});
afterAll(async () => server?.close());

let serial = 0;
const uid = (prefix: string) => `${prefix}-${++serial}-${Math.random().toString(36).slice(2, 8)}`;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

const count = async (table: 'people' | 'missing_reports' | 'found_records', institutionId: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where institution_id = ${institutionId}`.execute(db)).rows[0]!.n);

describe('the CSV reader', () => {
  const read = (text: string, delimiter: ',' | ';' = ',') => [...parseCsv(text, delimiter)].map((r) => [r.line, ...r.fields]);
  it('follows RFC 4180: quotes, doubled quotes, line breaks inside quotes, CRLF, LF or CR, empty fields', () => {
    expect(read('a,"b,1","c ""d""\r\ne"\r\n,,\n"x"\ry,')).toEqual([
      [1, 'a', 'b,1', 'c "d"\r\ne'],
      [3, '', '', ''],
      [4, 'x'],
      [5, 'y', ''],
    ]);
    expect(read('a;"b;c";d\n', ';')).toEqual([[1, 'a', 'b;c', 'd']]);
    expect(detectDelimiter('nombre;"apellido, paterno";sexo\n1,2,3,4')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
    expect(() => read('a,"b"c\n')).toThrow(CsvSyntaxError);
    expect(() => read('a\n"b\n\nc')).toThrow(expect.objectContaining({ reason: 'unclosed_quote', line: 2 }));
    // A quote inside an unquoted field is a character.
    expect(read('5\'11",x')).toEqual([[1, '5\'11"', 'x']]);
  });
});

describe('importing a valid file', () => {
  it('imports people whole, with their name keys, one audit entry and no personal data in it', async () => {
    const ids = [uid('P'), uid('P'), uid('P')];
    // Audit entries other tests' imports wrote come before this one.
    const lastAudit = (await db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0;
    const file = csv([PEOPLE_HEADER, personRow(ids[0]!), personRow(ids[1]!, { given_names: 'Ana Lucía', surname1: "D'Angelo", sex: 'FEMALE', nationality: 'gtm' }), personRow(ids[2]!, { surname2: '', date_of_birth: '', documents: '' })]);
    const result = await importCsv(db, server.cipher, supervisorA, 'people', file);
    expect(result).toMatchObject({ kind: 'people', dry_run: false, rows: 3 });
    expect(result.created.map((c) => [c.row, c.external_id])).toEqual([
      [2, ids[0]],
      [3, ids[1]],
      [4, ids[2]],
    ]);
    const rows = await db.selectFrom('people').select(['id', 'external_id', 'given_names', 'surname1', 'surname2', 'sex', 'nationalities', 'created_by', 'documents_enc', 'contact_enc']).where('external_id', 'in', ids).orderBy('external_id').execute();
    expect(rows).toHaveLength(3);
    const ana = rows.find((r) => r.external_id === ids[1])!;
    expect(ana).toMatchObject({ given_names: 'Ana Lucía', surname1: "D'Angelo", sex: 'female', created_by: supervisorA.userId });
    expect(ana.nationalities.map((n) => n.trim())).toEqual(['GTM']);
    const jose = rows.find((r) => r.external_id === ids[0])!;
    expect(server.cipher.decryptJson(jose.documents_enc!)).toEqual([{ type: 'passport', number: 'P123456', issuer: 'HND' }]);
    expect(server.cipher.decryptJson(jose.contact_enc!)).toEqual({ phone: '+504 9999 0000' });
    // Name keys, as createPerson writes them; nothing left pending.
    const keys = await sql<{ person_id: string; n: number }>`select person_id, count(*)::int as n from person_name_keys where person_id = any(${rows.map((r) => r.id)}::uuid[]) group by 1`.execute(db);
    expect(keys.rows).toHaveLength(3);
    const pending = await sql`select 1 from person_name_keys_pending where person_id = any(${rows.map((r) => r.id)}::uuid[])`.execute(db);
    expect(pending.rows).toHaveLength(0);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'person.imported').where('institution_id', '=', institutionA.id).where('id', '>', Number(lastAudit)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ rows: 3, via: 'api' });
    expect(JSON.stringify(audit)).not.toMatch(/Núñez|Ana Lucía|P123456|9999/);
  });

  it('imports reports (channel import, no access code) and found records, indexed and queued for matching', async () => {
    const lastAudit = (await db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0;
    const reportIds = [uid('R'), uid('R')];
    const reports = await importCsv(db, server.cipher, officerA, 'reports', csv([REPORT_HEADER, ...reportIds.map((id) => reportRow(id))]));
    expect(reports.rows).toBe(2);
    expect(reports.created.every((c) => c.folio?.startsWith('B-'))).toBe(true);
    const reportRows = await db.selectFrom('missing_reports').select(['id', 'channel', 'receipt_hash', 'created_by', 'dna_reference_taken', 'marks']).where('external_id', 'in', reportIds).execute();
    expect(reportRows).toHaveLength(2);
    for (const r of reportRows) expect(r).toMatchObject({ channel: 'import', receipt_hash: null, created_by: officerA.userId, dna_reference_taken: true, marks: 'Tatuaje de una golondrina, y la palabra "Esperanza"\nen el antebrazo derecho' });

    const foundIds = [uid('F'), uid('F'), uid('F')];
    const found = await importCsv(db, server.cipher, officerA, 'found', csv([FOUND_HEADER, ...foundIds.map((id) => foundRow(id, { given_names: 'Guadalupe', surname1: 'Hernández', sex: 'female' }))]));
    expect(found.rows).toBe(3);
    const foundRows = await db.selectFrom('found_records').select(['id', 'condition', 'found_country', 'found_state']).where('external_id', 'in', foundIds).execute();
    expect(foundRows).toHaveLength(3);
    expect(foundRows[0]).toMatchObject({ condition: 'deceased', found_state: '26' });

    const recordIds = [...reportRows.map((r) => r.id), ...foundRows.map((r) => r.id)];
    const queued = await sql<{ record_id: string }>`select record_id from missing_match_queue where record_id = any(${recordIds}::uuid[])`.execute(db);
    expect(queued.rows).toHaveLength(5);
    const keyed = await sql<{ record_id: string }>`select distinct record_id from missing_name_keys where record_id = any(${recordIds}::uuid[])`.execute(db);
    expect(keyed.rows).toHaveLength(5);
    const events = await sql<{ kind: string }>`select kind from missing_events where report_id = any(${recordIds}::uuid[]) or found_id = any(${recordIds}::uuid[])`.execute(db);
    expect(events.rows.map((e) => e.kind).sort()).toEqual(['found.created', 'found.created', 'found.created', 'report.created', 'report.created']);
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('institution_id', '=', institutionA.id).where('action', 'in', ['missing_report.imported', 'found_record.imported']).where('id', '>', Number(lastAudit)).execute();
    expect(audit.map((a) => [a.action, (a.detail as { rows: number }).rows]).sort()).toEqual([
      ['found_record.imported', 3],
      ['missing_report.imported', 2],
    ]);
  });

  it('reads quoted fields with commas, line breaks, doubled quotes and accents, a semicolon delimiter and a byte-order mark', async () => {
    const id = uid('Q');
    const marks = 'Cicatriz "en forma de luna"; lunar, brazo izq.\r\nOtra línea: ñandú, pingüino';
    const text = csv([REPORT_HEADER, reportRow(id, { marks, given_names: 'Ñusta Ángela', surname1: 'Pérez-Güémez' })], ';');
    expect(text.split('\r\n')[0]).toContain(';');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    await importCsv(db, server.cipher, officerA, 'reports', bytes);
    const row = await db.selectFrom('missing_reports').select(['given_names', 'surname1', 'marks']).where('external_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ given_names: 'Ñusta Ángela', surname1: 'Pérez-Güémez', marks });
  });

  it('restores the leading zero of a state code a spreadsheet dropped, and reads yes/no', async () => {
    const id = uid('Z');
    await importCsv(db, server.cipher, officerA, 'reports', csv([REPORT_HEADER, reportRow(id, { last_seen_state: '7', dna_reference_taken: 'no', dna_custodian: '' })]));
    const row = await db.selectFrom('missing_reports').select(['last_seen_state', 'dna_reference_taken']).where('external_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ last_seen_state: '07', dna_reference_taken: false });
  });
});

describe('a file with errors', () => {
  it('writes nothing when one row among many fails, and names that row and column in the caller’s language', async () => {
    const before = await count('people', institutionA.id);
    const rows = Array.from({ length: 300 }, (_, i) => personRow(uid('M'), i === 136 ? { sex: 'x' } : {}));
    const file = csv([PEOPLE_HEADER, ...rows]);
    const error = await rejection(importCsv(db, server.cipher, supervisorA, 'people', file, { language: 'es' }));
    expect(error.code).toBe('import_rejected');
    expect(error.statusCode).toBe(422);
    const report = error.details as ImportReport;
    expect(report).toMatchObject({ kind: 'people', total_rows: 300, rows_with_errors: 1, report_truncated: false });
    expect(report.rows).toHaveLength(1);
    // Row 138: the header is row 1, the 137th data row is row 138 (as a spreadsheet numbers it).
    expect(report.rows[0]).toMatchObject({ row: 138, line: 138, external_id: rows[136]![0], errors: [{ column: 'sex', code: 'invalid_value' }] });
    expect(report.rows[0]!.errors[0]!.message).toMatch(/inválid/i);
    expect(await count('people', institutionA.id)).toBe(before);

    const english = await rejection(importCsv(db, server.cipher, supervisorA, 'people', file, { language: 'en' }));
    expect((english.details as ImportReport).rows[0]!.errors[0]!.message).toMatch(/invalid/i);
    expect(translate('en', 'import_rejected', english.params)).toContain('1 row(s)');
  });

  it('reports every failing cell of every row: unreadable numbers, dates, codes, documents, schema rules', async () => {
    const file = csv([
      REPORT_HEADER,
      reportRow(uid('E'), { age_min: 'treinta' }),
      reportRow(uid('E'), { last_seen_on: '01/03/2026', nationalities: 'Honduras' }),
      reportRow(uid('E'), { documents: 'passport' }),
      reportRow(uid('E'), { given_names: '', surname1: '', surname2: '' }),
      reportRow(uid('E'), { age_min: '40', age_max: '30', dna_reference_taken: 'quizá' }),
      reportRow(uid('E'), { reporter_name: '', reporter_relationship: '' }),
      reportRow(uid('E')),
    ]);
    const report = (await rejection(importCsv(db, server.cipher, officerA, 'reports', file, { language: 'en' }))).details as ImportReport;
    const byRow = Object.fromEntries(report.rows.map((r) => [r.row, r.errors.map((e) => `${e.column}:${e.code}`)]));
    expect(byRow).toEqual({
      2: ['age_min:not_integer'],
      3: ['nationalities:invalid_format', 'last_seen_on:invalid_format'],
      4: ['documents:bad_document'],
      5: ['given_names:custom'],
      6: ['dna_reference_taken:not_boolean', 'age_max:custom'],
      7: ['reporter_name:required', 'reporter_relationship:required'],
    });
    const messages = report.rows.flatMap((r) => r.errors.map((e) => e.message));
    expect(messages).toContain('A report needs at least one name of the missing person.');
    expect(messages).toContain('The minimum is greater than the maximum.');
  });

  it('refuses an external_id repeated in the file or already in the institution, and a row with the wrong number of fields', async () => {
    const id = uid('D');
    const twice = await rejection(importCsv(db, server.cipher, officerA, 'found', csv([FOUND_HEADER, foundRow(id), foundRow(uid('D')), foundRow(id)]), { language: 'en' }));
    expect((twice.details as ImportReport).rows).toEqual([{ row: 4, line: 4, external_id: id, errors: [{ column: 'external_id', code: 'duplicate_in_file', message: translate('en', 'import_row_duplicate_in_file', { row: 2 }) }] }]);

    await importCsv(db, server.cipher, officerA, 'found', csv([FOUND_HEADER, foundRow(id)]));
    const again = await rejection(importCsv(db, server.cipher, officerA, 'found', csv([FOUND_HEADER, foundRow(uid('D')), foundRow(id)])));
    expect((again.details as ImportReport).rows).toMatchObject([{ row: 3, external_id: id, errors: [{ column: 'external_id', code: 'already_exists' }] }]);
    // The same identifier in another institution is another record.
    await importCsv(db, server.cipher, officerB, 'found', csv([FOUND_HEADER, foundRow(id)]));

    const missingId = await rejection(importCsv(db, server.cipher, officerA, 'found', csv([FOUND_HEADER, foundRow('')])));
    expect((missingId.details as ImportReport).rows[0]!.errors).toMatchObject([{ column: 'external_id', code: 'required' }]);

    const short = await rejection(importCsv(db, server.cipher, officerA, 'found', csv([FOUND_HEADER, foundRow(uid('D')).slice(0, 5)]), { language: 'en' }));
    expect((short.details as ImportReport).rows[0]!.errors).toEqual([{ column: null, code: 'field_count', message: translate('en', 'import_row_field_count', { found: 5, expected: FOUND_HEADER.length }) }]);
  });

  it('refuses files it cannot read as a whole, naming the column', async () => {
    const refused = async (kind: ImportKind, file: string | Uint8Array) => {
      const error = await rejection(importCsv(db, server.cipher, supervisorA, kind, file, { language: 'en' }));
      return { code: error.code, status: error.statusCode, params: error.params };
    };
    expect(await refused('found', '')).toMatchObject({ code: 'import_empty', status: 400 });
    expect(await refused('found', '\uFEFF\r\n')).toMatchObject({ code: 'import_empty', status: 400 });
    expect(await refused('found', csv([FOUND_HEADER]))).toMatchObject({ code: 'import_empty', status: 400 });
    expect(await refused('found', csv([[...FOUND_HEADER, 'Shoe_Size'], [...foundRow(uid('H')), '42']]))).toEqual({ code: 'import_unknown_column', status: 400, params: { column: 'Shoe_Size' } });
    expect(await refused('found', csv([FOUND_HEADER.filter((h) => h !== 'found_on'), foundRow(uid('H')).slice(1)]))).toEqual({ code: 'import_missing_column', status: 400, params: { column: 'found_on' } });
    expect(await refused('people', csv([PEOPLE_HEADER.filter((h) => h !== 'nationality'), personRow(uid('H')).slice(1)]))).toEqual({ code: 'import_missing_column', status: 400, params: { column: 'nationalities' } });
    expect(await refused('found', csv([[...FOUND_HEADER, 'sex'], [...foundRow(uid('H')), 'male']]))).toEqual({ code: 'import_duplicate_column', status: 400, params: { column: 'sex' } });
    expect(await refused('found', `${FOUND_HEADER.join(',')}\r\n"abc,def\r\n`)).toMatchObject({ code: 'import_malformed_csv', status: 400, params: { line: 2 } });
    expect(await refused('found', Buffer.from([0x65, 0x78, 0x74, 0xff, 0xfe, 0x0a]))).toMatchObject({ code: 'import_invalid_encoding', status: 400 });
  });

  it('refuses more than 50,000 rows and more than 20 MB', async () => {
    const line = toCsvLine(foundRow('X'));
    const many = `${FOUND_HEADER.join(',')}\n${`${line}\n`.repeat(50_001)}`;
    expect(many.length).toBeLessThan(20 * 1024 * 1024);
    const rows = await rejection(importCsv(db, server.cipher, officerA, 'found', many));
    expect([rows.code, rows.statusCode, rows.params]).toEqual(['import_too_many_rows', 413, { max: 50_000 }]);
    const big = `${FOUND_HEADER.join(',')}\n${'x'.repeat(20 * 1024 * 1024)}`;
    const size = await rejection(importCsv(db, server.cipher, officerA, 'found', big));
    expect([size.code, size.statusCode, size.params]).toEqual(['import_too_large', 413, { max: 20 }]);
  });

  it('writes nothing on a dry run', async () => {
    const ids = [uid('Y'), uid('Y')];
    const result = await importCsv(db, server.cipher, officerA, 'reports', csv([REPORT_HEADER, ...ids.map((id) => reportRow(id))]), { dryRun: true });
    expect(result).toEqual({ kind: 'reports', dry_run: true, rows: 2, created: [] });
    expect(await db.selectFrom('missing_reports').select('id').where('external_id', 'in', ids).execute()).toEqual([]);
    const invalid = await rejection(importCsv(db, server.cipher, officerA, 'reports', csv([REPORT_HEADER, reportRow(ids[0]!, { sex: '' })]), { dryRun: true }));
    expect(invalid.code).toBe('import_rejected');
  });

  it('lets only the roles that may write such records import them', async () => {
    const people = csv([PEOPLE_HEADER, personRow(uid('W'))]);
    const reports = csv([REPORT_HEADER, reportRow(uid('W'))]);
    expect((await rejection(importCsv(db, server.cipher, officerA, 'people', people))).statusCode).toBe(403);
    expect((await rejection(importCsv(db, server.cipher, analystA, 'people', people))).statusCode).toBe(403);
    expect((await rejection(importCsv(db, server.cipher, caseworkerA, 'reports', reports))).statusCode).toBe(403);
    expect((await importCsv(db, server.cipher, caseworkerA, 'people', people)).rows).toBe(1);
    expect((await importCsv(db, server.cipher, supervisorA, 'reports', reports)).rows).toBe(1);
  });
});

describe('export', () => {
  it('round-trips: an export imports into another institution and exports the same file again', async () => {
    const ids = [uid('T'), uid('T'), uid('T')];
    await importCsv(
      db,
      server.cipher,
      officerA,
      'reports',
      csv([
        REPORT_HEADER,
        reportRow(ids[0]!),
        reportRow(ids[1]!, { marks: '=HYPERLINK("x")', reporter_phone: '+52 55 1234 5678', documents: '' }),
        reportRow(ids[2]!, { surname2: '', dna_reference_taken: 'false', dna_custodian: '' }),
      ]),
    );
    await importCsv(db, server.cipher, officerA, 'found', csv([FOUND_HEADER, foundRow(uid('T')), foundRow(uid('T'), { condition: 'alive', situation: 'shelter', given_names: 'Óscar', surname1: 'Ruíz', sex: 'male', notes: '' })]));
    // A record entered through the form (no external_id) is exported with its folio in that column.
    const form = await officerClient.post('/api/v1/missing/found', { condition: 'alive', situation: 'hospital', sex: 'female', found_on: '2026-01-05', given_names: 'Rosa' });
    expect(form.status).toBe(201);

    for (const kind of ['reports', 'found'] as const) {
      const fromA = await exportCsv(db, server.cipher, officerA, kind);
      expect(fromA.csv.startsWith('\uFEFFexternal_id,')).toBe(true);
      const fresh = await makeInstitution(db, { type: 'state_agency' });
      const officer = await actor(fresh.id, 'search_officer');
      const imported = await importCsv(db, server.cipher, officer, kind, fromA.csv);
      expect(imported.rows).toBe(fromA.rows);
      const fromFresh = await exportCsv(db, server.cipher, officer, kind);
      expect(fromFresh.csv).toBe(fromA.csv);
    }
    const reportsCsv = (await exportCsv(db, server.cipher, officerA, 'reports')).csv;
    // Formula-like cells are defused, and come back unchanged (checked by the round trip above).
    expect(reportsCsv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(reportsCsv).toContain("'+52 55 1234 5678");
    const header = [...parseCsv(reportsCsv.slice(1), ',')][0]!.fields;
    expect(header).toContain('reporter_name');
    expect((await exportCsv(db, server.cipher, officerA, 'found')).csv).toContain(`${form.body.folio},alive,hospital,Rosa`);
    // Only this officer's exports: other tests in the file (in any order) export too.
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('institution_id', '=', institutionA.id)
      .where('actor_user_id', '=', officerA.userId)
      .where('action', 'like', '%.exported')
      .orderBy('id')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(4);
    expect(audit[0]!.detail).toMatchObject({ via: 'api', scope: 'institution' });
  });

  it('gives a caseworker only the records they recorded, and analysts nothing', async () => {
    const mine = await caseworkerClient.post('/api/v1/missing/reports', { channel: 'in_person', given_names: 'Elvia', surname1: 'Caseworker', sex: 'female', reporter: { name: 'Hermana', relationship: 'sibling' } });
    expect(mine.status).toBe(201);
    const exported = await exportCsv(db, server.cipher, caseworkerA, 'reports');
    expect(exported.rows).toBe(1);
    expect(exported.csv).toContain(mine.body.folio);
    expect((await rejection(exportCsv(db, server.cipher, analystA, 'reports'))).statusCode).toBe(403);
  });
});

describe('over HTTP', () => {
  it('imports text/csv, answers 422 with the report, 415 for other bodies, and serves the export', async () => {
    const id = uid('H');
    const body = csv([FOUND_HEADER, foundRow(id)]);
    const dry = await officerClient.request('POST', '/api/v1/missing/import/found?dry_run=true', body, { 'content-type': 'text/csv; charset=utf-8' });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toEqual({ kind: 'found', dry_run: true, rows: 1, created: [] });
    const done = await officerClient.request('POST', '/api/v1/missing/import/found', body, { 'content-type': 'text/csv' });
    expect(done.status).toBe(201);
    expect(done.body.created).toMatchObject([{ row: 2, external_id: id }]);

    const again = await officerClient.request('POST', '/api/v1/missing/import/found', body, { 'content-type': 'text/csv' });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: 'import_rejected', message: translate('en', 'import_rejected', { count: 1 }), details: { rows_with_errors: 1, rows: [{ row: 2, external_id: id, errors: [{ column: 'external_id', code: 'already_exists' }] }] } });

    const json = await officerClient.post('/api/v1/missing/import/found', { rows: [] });
    expect(json.status).toBe(415);
    const unknown = await officerClient.request('POST', '/api/v1/missing/import/found', 'external_id,colour\r\nx,red\r\n', { 'content-type': 'text/csv' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'import_unknown_column', message: translate('en', 'import_unknown_column', { column: 'colour' }) });
    const latin1 = await officerClient.request('POST', '/api/v1/missing/import/found', Buffer.from('external_id,given_names\r\nx,Jos\xe9\r\n', 'latin1'), { 'content-type': 'text/csv' });
    expect([latin1.status, latin1.body.code]).toEqual([400, 'import_invalid_encoding']);
    const huge = await officerClient.request('POST', '/api/v1/missing/import/found', 'x'.repeat(20 * 1024 * 1024 + 1), { 'content-type': 'text/csv' });
    expect([huge.status, huge.body.code]).toEqual([413, 'import_too_large']);

    const caseworkerTry = await caseworkerClient.request('POST', '/api/v1/missing/import/found', body, { 'content-type': 'text/csv' });
    expect(caseworkerTry.status).toBe(403);

    const exported = await officerClient.get('/api/v1/missing/export/found.csv');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="amparo-found-\d{4}-\d\d-\d\d\.csv"/);
    expect(exported.body as string).toContain(id);
  });

  it('documents the routes with their content types in the API reference', async () => {
    const spec = (await officerClient.get('/api/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> }>> };
    expect(Object.keys(spec.paths['/api/v1/missing/import/people']!.post!.requestBody!.content)).toEqual(['text/csv']);
    expect(Object.keys(spec.paths['/api/v1/missing/export/reports.csv']!.get!.responses['200']!.content!)).toEqual(['text/csv']);
  });
});

// How fast this goes is measured by `npm run bench -- import` (bench/import.ts), not asserted here:
// a busy machine must not fail the suite.
describe('a large file', () => {
  it('imports 10,000 people and 10,000 reports, every one with its name keys', async () => {
    const institution = await makeInstitution(db, { type: 'state_agency' });
    const supervisor = await actor(institution.id, 'supervisor');
    expect((await importCsv(db, server.cipher, supervisor, 'people', largePeopleFile(10_000))).rows).toBe(10_000);
    expect((await importCsv(db, server.cipher, supervisor, 'reports', largeReportsFile(10_000))).rows).toBe(10_000);
    const keyed = await sql<{ n: number }>`select count(distinct k.person_id)::int as n from person_name_keys k join people p on p.id = k.person_id where p.institution_id = ${institution.id}`.execute(db);
    expect(keyed.rows[0]!.n).toBe(10_000);
    expect(await count('missing_reports', institution.id)).toBe(10_000);
  }, 120_000);
});

describe('the command line', () => {
  const cli = commandLineInFreshDatabase('amparo-import-');

  it('imports, refuses with a report, dry-runs and exports, as the system', async () => {
    const institution = await makeInstitution(cli.db, { type: 'state_agency' });
    const file = path.join(cli.dir, 'people.csv');
    fs.writeFileSync(file, csv([PEOPLE_HEADER, personRow('C-1'), personRow('C-2', { given_names: 'Marta' })]));
    const dry = await cli.amparo('import', 'people', '--institution', institution.code, '--file', file, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run: all 2 rows');
    const done = await cli.amparo('import', 'people', '--institution', institution.code, '--file', file);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe(`Imported 2 people into ${institution.code}.`);
    const people = await cli.db.selectFrom('people').select(['external_id', 'created_by']).where('institution_id', '=', institution.id).orderBy('external_id').execute();
    expect(people).toEqual([
      { external_id: 'C-1', created_by: null },
      { external_id: 'C-2', created_by: null },
    ]);
    const audit = await cli.db.selectFrom('audit_log').select(['actor_user_id', 'detail']).where('action', '=', 'person.imported').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: null, detail: { rows: 2, via: 'cli' } });

    const reportFile = path.join(cli.dir, 'report.json');
    const refused = await cli.amparo('import', 'people', '--institution', institution.code, '--file', file, '--report', reportFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(translate('en', 'import_rejected', { count: 2 }));
    expect(refused.stderr).toContain(`row 2 (line 2, external_id C-1) external_id: ${translate('en', 'import_row_already_exists')}`);
    expect(refused.stderr).not.toContain('Marta');
    expect((JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ImportReport).rows_with_errors).toBe(2);

    const reports = path.join(cli.dir, 'reports.csv');
    fs.writeFileSync(reports, csv([REPORT_HEADER, reportRow('C-R1')]), 'utf8');
    expect((await cli.amparo('import', 'reports', '--institution', institution.code, '--file', reports)).code).toBe(0);
    const out = path.join(cli.dir, 'out.csv');
    const exported = await cli.amparo('export', 'reports', '--institution', institution.code, '--file', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`Exported 1 reports of ${institution.code} to ${out}.`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out, 'utf8')).toContain('C-R1,Ma. Guadalupe,Hernández');

    const missing = await cli.amparo('import', 'found', '--institution', institution.code);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--file is required');
  }, 120_000);

  it('streams a file into one transaction; --skip-invalid loads the valid rows and writes the rejected ones to a CSV that loads again once corrected', async () => {
    const institution = await makeInstitution(cli.db, { type: 'state_agency' });
    const file = path.join(cli.dir, 'mixed.csv');
    const rows = [PEOPLE_HEADER, personRow('S-1'), personRow('S-2', { date_of_birth: '12/04/1990' }), personRow('S-3', { given_names: 'Ana María', surname1: 'Pérez', documents: '' }), personRow('S-4', { sex: 'robot' }), personRow('S-1', { given_names: 'Otra' })];
    fs.writeFileSync(file, csv(rows));
    const count = async () => (await cli.db.selectFrom('people').select(['external_id']).where('institution_id', '=', institution.id).orderBy('external_id').execute()).map((p) => p.external_id);

    // All or nothing stays the default: nothing is written, no rejects file.
    const refused = await cli.amparo('import', 'people', '--institution', institution.code, '--file', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(translate('en', 'import_rejected', { count: 3 }));
    expect(await count()).toEqual([]);
    const rejectsFile = path.join(cli.dir, 'mixed.rejected.csv');
    expect(fs.existsSync(rejectsFile)).toBe(false);

    const skipped = await cli.amparo('import', 'people', '--institution', institution.code, '--file', file, '--skip-invalid');
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain(`Imported 2 people into ${institution.code}.`);
    expect(skipped.stdout).toContain(`3 rows rejected, with their reasons, in ${rejectsFile}`);
    expect(skipped.stderr).toMatch(/\[#{20}\] 100 % 5 rows, [\d,]+ rows\/s, 3 rejected in [\d.]+ s/);
    expect(await count()).toEqual(['S-1', 'S-3']);
    expect(fs.statSync(rejectsFile).mode & 0o777).toBe(0o600);
    const audit = await cli.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'person.imported').where('institution_id', '=', institution.id).executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ rows: 2, rejected: 3, via: 'cli', file_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // The rejected rows, as written, with their reasons in an extra column.
    const rejected = [...parseCsv(fs.readFileSync(rejectsFile, 'utf8').replace(/^\uFEFF/, ''), ',')].map((r) => r.fields.map(unprotectFormula));
    expect(rejected[0]).toEqual([...PEOPLE_HEADER, 'import_errors']);
    expect(rejected.slice(1).map((r) => r[0])).toEqual(['S-2', 'S-4', 'S-1']);
    expect(rejected[1]![5]).toBe('12/04/1990');
    expect(rejected[1]!.at(-1)).toMatch(/^date_of_birth: /);
    expect(rejected[2]!.at(-1)).toMatch(/^sex: /);
    expect(rejected[3]!.at(-1)).toBe(`external_id: ${translate('en', 'import_row_duplicate_in_file', { row: 2 })}`);

    // Corrected in place (the reasons column is ignored on import), the file loads.
    const corrected = rejected.map((r, i) => (i === 0 ? r : r[0] === 'S-2' ? r.map((v, k) => (k === 5 ? '1990-04-12' : v)) : r[0] === 'S-4' ? r.map((v, k) => (k === 4 ? 'female' : v)) : r.map((v, k) => (k === 0 ? 'S-5' : v))));
    fs.writeFileSync(rejectsFile, csv(corrected));
    const again = await cli.amparo('import', 'people', '--institution', institution.code, '--file', rejectsFile);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(await count()).toEqual(['S-1', 'S-2', 'S-3', 'S-4', 'S-5']);
    // The imported people are found by the person search (name keys written with the rows).
    const keys = await cli.db.selectFrom('person_name_keys').select('person_id').where('institution_id', '=', institution.id).execute();
    expect(new Set(keys.map((k) => k.person_id)).size).toBe(5);
  }, 120_000);

  it('reads a CSV stream in chunks exactly as the whole text', async () => {
    const text = '\uFEFFa;b;c\r\n1;"x;\r\ny";"he said ""hi"""\r\n\r\n2;ñandú;"\n"\n3;;';
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 7, 64]) {
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      const streamed: { fields: string[]; line: number }[] = [];
      for await (const record of parseCsvStream(chunks())) streamed.push(record);
      expect(streamed, `chunks of ${size} bytes`).toEqual([...parseCsv(text.slice(1), ';')]);
    }
    async function* latin1() {
      yield Buffer.from([0x61, 0x0a, 0xf1, 0x0a]);
    }
    await expect(async () => {
      for await (const _ of parseCsvStream(latin1())) void _;
    }).rejects.toBeInstanceOf(CsvEncodingError);
  });
});
