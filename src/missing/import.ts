import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { appendAudit, type AuditDetail } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { seesOnlyOwnRecords } from './missing.policy.ts';
import { translate, type Language, type MessageKey } from '../platform/i18n/messages.ts';
import { describeIssues } from '../platform/http/validation.ts';
import { catalogue } from '../platform/i18n/catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import { CsvEncodingError, CsvSyntaxError, decodeUtf8, detectDelimiter, parseCsv, stripBom, toCsvLine, unprotectFormula, type CsvRecord } from '../platform/csv.ts';
import { newPersonBody, type NewPerson } from '../people/person.schema.ts';
import { personInsertValues } from '../people/person.service.ts';
import { refreshNameKeysOf } from '../search/store.ts';
import { newFoundBody, newReportBody, type NewFound, type NewReport } from './missing.schema.ts';
import { foundRowToView, insertFounds, insertReports, reportRowToView } from './missing.service.ts';

/**
 * Bulk CSV import of people, missing-person reports and found records, and export of reports and found
 * records in the same format (docs/missing-import.md).
 *
 * All or nothing: every row is validated first, against the same zod bodies as the API's forms, and
 * its external_id checked against the file and the institution. If any row fails, nothing is written
 * and the per-row report comes back (HTTP 422 `import_rejected`). Otherwise every row is written in
 * one transaction through the services' own insert functions (batched): people with their name keys,
 * reports (channel `import`, no family access code) and found records indexed and queued for matching,
 * and one audit entry with the counts. The CLI imports as the system (no user), on the same functions.
 */

export type ImportKind = 'people' | 'reports' | 'found';
export type ExportKind = 'reports' | 'found';
export const importKinds = ['people', 'reports', 'found'] as const satisfies readonly ImportKind[];
export const exportKinds = ['reports', 'found'] as const satisfies readonly ExportKind[];

export const IMPORT_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 50_000,
  /** Rows listed in a rejection report (the count of rows with errors is always complete). */
  reportRows: 1000,
  /** Rows per INSERT statement (bounded by PostgreSQL's 65,535 parameters per statement). */
  batch: 500,
};

/** The operator's command line, acting for an institution without a user account. */
export type SystemActor = { system: 'cli'; institutionId: string };
export type ImportActor = Actor | SystemActor;
const isSystem = (actor: ImportActor): actor is SystemActor => 'system' in actor;
const principal = (actor: ImportActor) =>
  isSystem(actor) ? { institutionId: actor.institutionId, userId: null, ip: null, via: 'cli' as const } : { institutionId: actor.institutionId, userId: actor.userId, ip: actor.ip, via: 'api' as const };

// ------------------------------------------------------------------------------------------------
// Formats

type ColumnType = 'text' | 'int' | 'bool' | 'list' | 'documents';
/** `pad`: digits a code has, restored when a spreadsheet dropped its leading zeros (07 read as 7). */
export type Column = { name: string; type: ColumnType; path: readonly string[]; case?: 'upper' | 'lower'; pad?: number };

const c = (name: string, type: ColumnType = 'text', extra: { path?: readonly string[]; case?: 'upper' | 'lower'; pad?: number } = {}): Column => ({
  name,
  type,
  path: extra.path ?? [name],
  ...(extra.case ? { case: extra.case } : {}),
  ...(extra.pad ? { pad: extra.pad } : {}),
});
const state = (name: string) => c(name, 'text', { pad: 2 });
const code = (name: string, letterCase: 'upper' | 'lower', type: ColumnType = 'text') => c(name, type, { case: letterCase });

const names = [c('given_names'), c('surname1'), c('surname2'), c('other_names', 'list')];
const describedBody = [c('age_min', 'int'), c('age_max', 'int')];
const describedLooks = [
  code('nationalities', 'upper', 'list'),
  code('languages', 'lower', 'list'),
  c('height_min_cm', 'int'),
  c('height_max_cm', 'int'),
  c('build'),
  c('hair'),
  c('eyes'),
  c('marks'),
  c('clothing'),
];

type Format = {
  kind: ImportKind;
  columns: Column[];
  /** Columns the header must have (their values may still be optional). */
  required: string[];
  schema: z.ZodType;
  /** Fields every row gets before validation. */
  fixed: Record<string, unknown>;
  table: 'people' | 'missing_reports' | 'found_records';
  recordType: 'person' | 'missing_report' | 'found_record';
};

export const formats: Record<ImportKind, Format> = {
  people: {
    kind: 'people',
    columns: [
      c('external_id'),
      ...names,
      code('sex', 'lower'),
      code('gender_identity', 'lower'),
      c('date_of_birth'),
      c('estimated_age', 'int'),
      c('age_estimated_on'),
      code('nationalities', 'upper', 'list'),
      code('country_of_birth', 'upper'),
      code('languages', 'lower', 'list'),
      code('disabilities', 'lower', 'list'),
      code('vulnerabilities', 'lower', 'list'),
      c('documents', 'documents'),
      c('contact_phone', 'text', { path: ['contact', 'phone'] }),
      c('contact_email', 'text', { path: ['contact', 'email'] }),
      c('contact_address', 'text', { path: ['contact', 'address'] }),
      c('contact_notes', 'text', { path: ['contact', 'notes'] }),
      code('location_country', 'upper'),
      state('location_state'),
      c('location_municipality', 'text', { pad: 5 }),
    ],
    required: ['external_id', 'given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'nationalities'],
    schema: newPersonBody,
    fixed: {},
    table: 'people',
    recordType: 'person',
  },
  reports: {
    kind: 'reports',
    columns: [
      c('external_id'),
      ...names,
      code('sex', 'lower'),
      c('date_of_birth'),
      ...describedBody,
      c('age_on'),
      ...describedLooks,
      c('dental_notes'),
      c('documents', 'documents'),
      c('last_seen_on'),
      code('last_seen_country', 'upper'),
      state('last_seen_state'),
      c('last_seen_place'),
      c('route'),
      c('circumstance'),
      c('reporter_name', 'text', { path: ['reporter', 'name'] }),
      c('reporter_relationship', 'text', { path: ['reporter', 'relationship'], case: 'lower' }),
      c('reporter_phone', 'text', { path: ['reporter', 'contact', 'phone'] }),
      c('reporter_email', 'text', { path: ['reporter', 'contact', 'email'] }),
      c('reporter_address', 'text', { path: ['reporter', 'contact', 'address'] }),
      c('reporter_notes', 'text', { path: ['reporter', 'contact', 'notes'] }),
      c('reporter_country', 'text', { path: ['reporter', 'country'], case: 'upper' }),
      c('dna_reference_taken', 'bool'),
      c('dna_custodian'),
    ],
    required: ['external_id', 'given_names', 'surname1', 'surname2', 'sex', 'reporter_name', 'reporter_relationship'],
    // The body of the form: its channel is checked with a placeholder and recorded as `import`.
    schema: newReportBody,
    fixed: { channel: 'in_person' },
    table: 'missing_reports',
    recordType: 'missing_report',
  },
  found: {
    kind: 'found',
    columns: [
      c('external_id'),
      code('condition', 'lower'),
      code('situation', 'lower'),
      ...names,
      code('sex', 'lower'),
      c('date_of_birth'),
      ...describedBody,
      ...describedLooks,
      c('effects'),
      c('documents', 'documents'),
      c('found_on'),
      code('found_country', 'upper'),
      state('found_state'),
      c('found_place'),
      c('death_from'),
      c('death_to'),
      c('custodian_name'),
      c('custodian_file_number'),
      c('notes'),
    ],
    required: ['external_id', 'condition', 'situation', 'sex', 'found_on'],
    schema: newFoundBody,
    fixed: {},
    table: 'found_records',
    recordType: 'found_record',
  },
};

/** Other header names accepted for a column (the issue's wording). */
const ALIASES: Record<string, string> = { nationality: 'nationalities' };

// ------------------------------------------------------------------------------------------------
// The report

export type RowError = { column: string | null; code: string; message: string };
export type RowReport = { row: number; line: number; external_id: string | null; errors: RowError[] };
export type ImportReport = { kind: ImportKind; total_rows: number; rows_with_errors: number; report_truncated: boolean; rows: RowReport[] };
export type ImportResult = { kind: ImportKind; dry_run: boolean; rows: number; created: { row: number; external_id: string; id: string; folio?: string }[] };

const externalIdSchema = z.string().max(64).regex(/^[^\u0000-\u001F\u007F]*$/, 'control characters are not allowed');
const TRUE = new Set(['true', '1', 'yes', 'y', 'si', 'sí', 's', 'verdadero', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'falso', 'f']);

/**
 * Wording of the schemas' own messages (zod's catalogue words the rest), in `locales/<lang>.json` under
 * `importIssues`, keyed by the message the schema writes. A message missing there falls back to zod's
 * generic wording in Spanish, and is shown as written in English.
 */
const CUSTOM: Record<string, { es: string; en: string }> = catalogue({ es, en }).list('importIssues');

type Issue = z.core.$ZodIssue;

function issueMessage(issue: Issue, language: Language): string {
  const [worded] = describeIssues([issue], language);
  const [english] = describeIssues([issue], 'en');
  const custom = issue.message && issue.message !== english?.message ? issue.message : null;
  if (custom) {
    if (Object.hasOwn(CUSTOM, custom) && CUSTOM[custom]![language]) return CUSTOM[custom]![language]!;
    try {
      return translate(language, custom as MessageKey);
    } catch {
      if (language === 'en') return `${custom.charAt(0).toUpperCase()}${custom.slice(1)}${custom.endsWith('.') ? '' : '.'}`;
    }
  }
  return worded?.message ?? issue.code;
}

/** The column a zod issue is about: the longest column path that starts the issue's path (list indexes ignored). */
function columnOf(format: Format, path: readonly PropertyKey[]): string | null {
  const keys = path.filter((p) => typeof p === 'string') as string[];
  let best: Column | null = null;
  for (const column of format.columns) {
    const p = column.path;
    if (p.length <= keys.length && p.every((k, i) => keys[i] === k) && (!best || p.length > best.path.length)) best = column;
  }
  if (best) return best.name;
  // An object missing as a whole (the reporter): its first column.
  const within = format.columns.find((col) => keys.length > 0 && keys.every((k, i) => col.path[i] === k));
  return within?.name ?? null;
}

// ------------------------------------------------------------------------------------------------
// Reading a file

type Header = { columns: (Column | null)[]; externalIdAt: number };

/** The column a file of rejected rows adds, with each row's reasons; ignored when such a file is imported again. */
export const REJECTS_COLUMN = 'import_errors';

function readHeader(format: Format, fields: string[]): Header {
  const byName = new Map(format.columns.map((col) => [col.name, col]));
  const seen = new Set<string>();
  const columns = fields.map((raw, index) => {
    const label = raw.trim() || `#${index + 1}`;
    const key = label.toLowerCase();
    // The reasons column of a file of rejected rows (importRecords, skipInvalid): corrected and loaded again as it is.
    if (key === REJECTS_COLUMN) return null;
    const name = ALIASES[key] ?? key;
    const column = byName.get(name);
    if (!column) throw new AppError('import_unknown_column', { column: label.slice(0, 64) });
    if (seen.has(name)) throw new AppError('import_duplicate_column', { column: name });
    seen.add(name);
    return column;
  });
  for (const name of format.required) if (!seen.has(name)) throw new AppError('import_missing_column', { column: name });
  return { columns, externalIdAt: columns.findIndex((col) => col?.name === 'external_id') };
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path.at(-1)!] = value;
}

function normaliseCase(value: string, column: Column): string {
  if (column.pad && /^\d+$/.test(value)) return value.padStart(column.pad, '0');
  return column.case === 'upper' ? value.toUpperCase() : column.case === 'lower' ? value.toLowerCase() : value;
}

/** A row's cells as the body the API would receive, or the cells that cannot be read. */
function rowToBody(header: Header, fields: string[], language: Language): { body: Record<string, unknown>; errors: RowError[] } {
  const body: Record<string, unknown> = {};
  const errors: RowError[] = [];
  const fail = (column: Column, key: MessageKey) => errors.push({ column: column.name, code: key.replace(/^import_row_/, ''), message: translate(language, key) });
  header.columns.forEach((column, k) => {
    if (!column || column.name === 'external_id') return;
    const value = unprotectFormula(fields[k] ?? '').trim();
    if (value === '') return;
    switch (column.type) {
      case 'text':
        setPath(body, column.path, normaliseCase(value, column));
        break;
      case 'int':
        if (/^\d{1,9}$/.test(value)) setPath(body, column.path, Number(value));
        else fail(column, 'import_row_not_integer');
        break;
      case 'bool': {
        const v = value.toLowerCase();
        if (TRUE.has(v)) setPath(body, column.path, true);
        else if (FALSE.has(v)) setPath(body, column.path, false);
        else fail(column, 'import_row_not_boolean');
        break;
      }
      case 'list':
        setPath(
          body,
          column.path,
          value
            .split('|')
            .map((item) => normaliseCase(item.trim(), column))
            .filter(Boolean),
        );
        break;
      case 'documents': {
        const documents = [];
        for (const item of value.split('|').map((i) => i.trim()).filter(Boolean)) {
          const parts = item.split(':').map((p) => p.trim());
          if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1] || parts[2] === '') {
            fail(column, 'import_row_bad_document');
            return;
          }
          documents.push({ type: parts[0].toLowerCase(), number: parts[1], ...(parts[2] ? { issuer: parts[2].toUpperCase() } : {}) });
        }
        setPath(body, column.path, documents);
        break;
      }
    }
  });
  return { body, errors };
}

type ValidRow = { row: number; externalId: string; input: unknown };

type Checked = { report: RowReport; externalId: string; input: unknown };

/**
 * One data row against the format: cells readable, the form's schema, an external_id not seen earlier in
 * the file (`firstRowOf`, updated). The institution's own external_ids are checked by batch (alreadyKnown).
 */
function checkRecord(format: Format, header: Header, record: { row: number; line: number; fields: string[] }, language: Language, firstRowOf: Map<string, number>): Checked {
  const externalId = unprotectFormula(record.fields[header.externalIdAt] ?? '').trim();
  const report: RowReport = { row: record.row, line: record.line, external_id: externalId || null, errors: [] };
  const entry = { report, externalId, input: null as unknown };
  if (record.fields.length !== header.columns.length) {
    report.errors.push({ column: null, code: 'field_count', message: translate(language, 'import_row_field_count', { found: record.fields.length, expected: header.columns.length }) });
    return entry;
  }
  const id = externalIdSchema.safeParse(externalId, { reportInput: true });
  if (!externalId) report.errors.push({ column: 'external_id', code: 'required', message: translate(language, 'import_row_required') });
  else if (!id.success) for (const issue of id.error.issues) report.errors.push({ column: 'external_id', code: issue.code, message: issueMessage(issue, language) });
  else if (firstRowOf.has(externalId)) report.errors.push({ column: 'external_id', code: 'duplicate_in_file', message: translate(language, 'import_row_duplicate_in_file', { row: firstRowOf.get(externalId)! }) });
  else firstRowOf.set(externalId, record.row);

  const { body, errors } = rowToBody(header, record.fields, language);
  report.errors.push(...errors);
  const parsed = format.schema.safeParse({ ...format.fixed, ...body }, { reportInput: true });
  if (parsed.success) entry.input = parsed.data;
  else {
    // One error per cell: the first thing wrong with it (a cell that could not be read already says so).
    const reported = new Set(errors.map((e) => e.column));
    for (const issue of parsed.error.issues) {
      const column = columnOf(format, issue.path);
      if (column && reported.has(column)) continue;
      if (column) reported.add(column);
      if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) report.errors.push({ column, code: 'required', message: translate(language, 'import_row_required') });
      else report.errors.push({ column, code: issue.code, message: issueMessage(issue, language) });
    }
  }
  return entry;
}

/** Marks the rows whose external_id the institution already has (each first occurrence; repeats already failed). */
async function alreadyKnown(db: Db, institutionId: string, format: Format, entries: Checked[], language: Language): Promise<void> {
  const byId = new Map(entries.filter((e) => e.externalId && !e.report.errors.some((x) => x.column === 'external_id')).map((e) => [e.externalId, e]));
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += 10_000) {
    const { rows } = await sql<{ external_id: string }>`select external_id from ${sql.table(format.table)}
      where institution_id = ${institutionId} and external_id = any(${ids.slice(i, i + 10_000)}::text[])`.execute(db);
    for (const r of rows) byId.get(r.external_id)?.report.errors.push({ column: 'external_id', code: 'already_exists', message: translate(language, 'import_row_already_exists') });
  }
}

/**
 * Reads and checks a whole file. Throws AppError for a file that cannot be read at all (size, encoding,
 * header); returns the valid rows, or the per-row report when any row fails.
 */
export async function checkFile(db: Db, institutionId: string, format: Format, file: string | Uint8Array, language: Language, limits: typeof IMPORT_LIMITS) {
  const bytes = typeof file === 'string' ? Buffer.byteLength(file) : file.byteLength;
  if (bytes > limits.maxBytes) throw new AppError('import_too_large', { max: Math.floor(limits.maxBytes / (1024 * 1024)) });
  const decoded = typeof file === 'string' ? file : decodeUtf8(file);
  if (decoded === null) throw new AppError('import_invalid_encoding');
  const text = stripBom(decoded);
  if (text.trim() === '') throw new AppError('import_empty');
  const delimiter = detectDelimiter(text);

  let header: Header | null = null;
  const records: { row: number; line: number; fields: string[] }[] = [];
  let row = 0;
  try {
    for (const record of parseCsv(text, delimiter)) {
      row++;
      if (!header) {
        if (record.fields.every((f) => f.trim() === '')) continue;
        header = readHeader(format, record.fields);
        continue;
      }
      if (record.fields.every((f) => f.trim() === '')) continue;
      if (records.length >= limits.maxRows) throw new AppError('import_too_many_rows', { max: limits.maxRows });
      records.push({ row, line: record.line, fields: record.fields });
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new AppError('import_malformed_csv', { line: error.line, reason: translate(language, error.reason === 'unclosed_quote' ? 'import_csv_unclosed_quote' : 'import_csv_text_after_quote') });
    }
    throw error;
  }
  if (!header || !records.length) throw new AppError('import_empty');

  const entries: Checked[] = [];
  const firstRowOf = new Map<string, number>();
  for (const record of records) entries.push(checkRecord(format, header, record, language, firstRowOf));

  await alreadyKnown(db, institutionId, format, entries, language);
  const reports = entries.filter((e) => e.report.errors.length).map((e) => e.report);
  const valid: ValidRow[] = entries.filter((e) => !e.report.errors.length).map((e) => ({ row: e.report.row, externalId: e.externalId, input: e.input }));
  return { total: records.length, valid, reports, bytes: typeof file === 'string' ? Buffer.from(file) : file };
}

// ------------------------------------------------------------------------------------------------
// Import

/** One audit entry per import, in its transaction: how many rows, from where, which file. */
function auditImport(trx: Tx, who: ReturnType<typeof principal>, recordType: string, detail: AuditDetail) {
  return appendAudit(trx, { institutionId: who.institutionId, actorUserId: who.userId, action: `${recordType}.imported`, recordType, ip: who.ip, detail });
}

function requireImport(actor: ImportActor, kind: ImportKind) {
  if (isSystem(actor)) return;
  if (kind === 'people') return requireCapability(actor, 'people.write');
  // Reports and found records are imported by those who see all of the institution's: search
  // officers and supervisors (a caseworker records them one by one, for the families they attend).
  requireCapability(actor, 'missing.record');
  requireCapability(actor, 'missing.read');
}

export type ImportOptions = { dryRun?: boolean; language?: Language; limits?: Partial<typeof IMPORT_LIMITS> };

/**
 * Imports a CSV file (bytes or text) of one kind into the actor's institution: everything or nothing.
 * Throws AppError `import_rejected` (422) with the per-row report in `details` when a row fails.
 */
export async function importCsv(db: Db, cipher: FieldCipher, actor: ImportActor, kind: ImportKind, file: string | Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  requireImport(actor, kind);
  const who = principal(actor);
  const language = options.language ?? 'es';
  const limits = { ...IMPORT_LIMITS, ...options.limits };
  const format = formats[kind];
  const { total, valid, reports, bytes } = await checkFile(db, who.institutionId, format, file, language, limits);

  if (reports.length) {
    const details: ImportReport = { kind, total_rows: total, rows_with_errors: reports.length, report_truncated: reports.length > limits.reportRows, rows: reports.slice(0, limits.reportRows) };
    throw new AppError('import_rejected', { count: reports.length }, details);
  }
  if (options.dryRun) return { kind, dry_run: true, rows: total, created: [] };

  const created: ImportResult['created'] = [];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < valid.length; i += limits.batch) created.push(...(await insertBatch(trx, cipher, who, kind, valid.slice(i, i + limits.batch))));
    if (kind === 'people') await refreshNameKeysOf(trx, created.map((c) => c.id));
    await auditImport(trx, who, format.recordType, { rows: created.length, via: who.via, file_sha256: createHash('sha256').update(bytes).digest('hex') });
  });
  created.sort((a, b) => a.row - b.row);
  return { kind, dry_run: false, rows: created.length, created };
}

export type ImportProgress = { rows: number; imported: number; rejected: number };
export type RejectedRow = RowReport & { fields: string[] };
export type RecordImportOptions = {
  dryRun?: boolean;
  language?: Language;
  /** Load the valid rows and hand the others to onRejected, instead of refusing the whole file. */
  skipInvalid?: boolean;
  /** Called after every batch of rows (a few hundred). */
  onProgress?: (progress: ImportProgress) => void;
  /** Each rejected row with its cells and reasons (skipInvalid), and the file's header. */
  onRejected?: (rejected: RejectedRow, header: string[]) => void | Promise<void>;
  /** SHA-256 of the file, for the audit entry; asked for once every record has been read. */
  fileSha256?: () => string;
  limits?: Partial<Pick<typeof IMPORT_LIMITS, 'batch' | 'reportRows'>>;
};
export type RecordImportResult = { kind: ImportKind; dry_run: boolean; total_rows: number; rows: number; rejected: number };

/**
 * Imports a stream of CSV records (parseCsvStream: a file of any size, read once, in constant memory
 * but for the external_ids seen) of one kind into the actor's institution, in ONE transaction: rows are
 * checked and written batch by batch as they arrive, and progress reported after each batch.
 * - By default all or nothing: at the first failing row writing stops (checking goes on, for a complete
 *   report), and at the end the transaction is rolled back and AppError `import_rejected` thrown with the
 *   report, as importCsv does.
 * - `skipInvalid`: valid rows are written and committed; each rejected row goes to `onRejected` with its
 *   cells and reasons (the CLI writes them to a CSV that can be corrected and imported again).
 * The building block of the CLI import and of an import with progress in the web app.
 */
export async function importRecords(db: Db, cipher: FieldCipher, actor: ImportActor, kind: ImportKind, records: AsyncIterable<CsvRecord>, options: RecordImportOptions = {}): Promise<RecordImportResult> {
  requireImport(actor, kind);
  const who = principal(actor);
  const language = options.language ?? 'es';
  const limits = { ...IMPORT_LIMITS, ...options.limits };
  const format = formats[kind];
  const progress: ImportProgress = { rows: 0, imported: 0, rejected: 0 };
  const reports: RowReport[] = [];
  let headerFields: string[] = [];
  const run = async (trx: Tx) => {
    let header: Header | null = null;
    const firstRowOf = new Map<string, number>();
    let batch: { checked: Checked; fields: string[] }[] = [];
    let row = 0;
    const flush = async () => {
      const checked = batch;
      batch = [];
      if (!checked.length) return;
      // Against committed rows, outside the transaction: the planner's statistics do not count the rows this
      // import has written so far, and a plan chosen for an empty table rereads all of them every batch.
      // Repeats within the file are caught before (firstRowOf); a row committed meanwhile by someone else
      // still fails the unique index at insert.
      await alreadyKnown(db, who.institutionId, format, checked.map((c) => c.checked), language);
      const valid: ValidRow[] = [];
      for (const { checked: c, fields } of checked) {
        if (c.report.errors.length) {
          progress.rejected++;
          if (options.skipInvalid) await options.onRejected?.({ ...c.report, fields }, headerFields);
          else if (reports.length < limits.reportRows) reports.push(c.report);
        } else valid.push({ row: c.report.row, externalId: c.externalId, input: c.input });
      }
      // All or nothing: once a row failed nothing more is written (the transaction is rolled back anyway).
      if (!options.dryRun && valid.length && (options.skipInvalid || progress.rejected === 0)) {
        const created = await insertBatch(trx, cipher, who, kind, valid);
        if (kind === 'people') await refreshNameKeysOf(trx, created.map((c) => c.id));
        progress.imported += valid.length;
      }
      options.onProgress?.({ ...progress });
    };
    try {
      for await (const record of records) {
        row++;
        if (record.fields.every((f) => f.trim() === '')) continue;
        if (!header) {
          header = readHeader(format, record.fields);
          headerFields = record.fields;
          continue;
        }
        progress.rows++;
        batch.push({ checked: checkRecord(format, header, { row, line: record.line, fields: record.fields }, language, firstRowOf), fields: record.fields });
        if (batch.length >= limits.batch) await flush();
      }
    } catch (error) {
      if (error instanceof CsvSyntaxError) {
        throw new AppError('import_malformed_csv', { line: error.line, reason: translate(language, error.reason === 'unclosed_quote' ? 'import_csv_unclosed_quote' : 'import_csv_text_after_quote') });
      }
      if (error instanceof CsvEncodingError) throw new AppError('import_invalid_encoding');
      throw error;
    }
    await flush();
    if (!header || progress.rows === 0) throw new AppError('import_empty');
    if (progress.rejected && !options.skipInvalid) {
      const details: ImportReport = { kind, total_rows: progress.rows, rows_with_errors: progress.rejected, report_truncated: progress.rejected > reports.length, rows: reports };
      throw new AppError('import_rejected', { count: progress.rejected }, details);
    }
    if (options.dryRun || progress.imported === 0) return;
    await auditImport(trx, who, format.recordType, { rows: progress.imported, rejected: progress.rejected, via: who.via, ...(options.fileSha256 ? { file_sha256: options.fileSha256() } : {}) });
  };
  await db.transaction().execute(run);
  return { kind, dry_run: Boolean(options.dryRun), total_rows: progress.rows, rows: progress.imported, rejected: progress.rejected };
}

export async function insertBatch(trx: Tx, cipher: FieldCipher, who: ReturnType<typeof principal>, kind: ImportKind, rows: ValidRow[]): Promise<ImportResult['created']> {
  const rowOf = new Map(rows.map((r) => [r.externalId, r.row]));
  if (kind === 'people') {
    // createPerson's columns; the name keys of the whole import are computed once at the end
    // (refreshNameKeysOf: the trigger of migration 0004 marked every new row).
    const values = rows.map((r) => ({ ...personInsertValues(cipher, who.institutionId, who.userId, r.input as NewPerson), external_id: r.externalId }));
    const inserted = await trx.insertInto('people').values(values).returning(['id', 'external_id']).execute();
    return inserted.map((p) => ({ row: rowOf.get(p.external_id!)!, external_id: p.external_id!, id: p.id }));
  }
  if (kind === 'reports') {
    const inputs = rows.map((r) => ({ ...(r.input as NewReport), channel: 'import' as const, external_id: r.externalId }));
    const inserted = await insertReports(trx, cipher, null, who.institutionId, who.userId, inputs);
    return inserted.map(({ row }) => ({ row: rowOf.get(row.external_id!)!, external_id: row.external_id!, id: row.id, folio: row.folio }));
  }
  const inputs = rows.map((r) => ({ ...(r.input as NewFound), external_id: r.externalId }));
  const inserted = await insertFounds(trx, cipher, who.institutionId, who.userId, inputs);
  return inserted.map((row) => ({ row: rowOf.get(row.external_id!)!, external_id: row.external_id!, id: row.id, folio: row.folio }));
}

// ------------------------------------------------------------------------------------------------
// Export

function cell(column: Column, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (column.type) {
    case 'list':
      return (value as string[]).join('|');
    case 'documents':
      return (value as { type: string; number: string; issuer?: string }[]).map((d) => [d.type, d.number, ...(d.issuer ? [d.issuer] : [])].join(':')).join('|');
    case 'bool':
      return value ? 'true' : 'false';
    default:
      return String(value);
  }
}

const valueAt = (view: unknown, path: readonly string[]) => path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), view);

/**
 * The institution's reports or found records as CSV in the import format (UTF-8 with a byte-order mark,
 * comma-separated, CRLF), ordered by external_id; a record without one carries its folio there.
 * Search officers and supervisors get all of the institution's; a caseworker those they recorded.
 * Audited (counts only).
 */
export async function exportCsv(db: Db, cipher: FieldCipher, actor: ImportActor, kind: ExportKind): Promise<{ csv: string; rows: number }> {
  const own = !isSystem(actor) && seesOnlyOwnRecords(actor);
  if (!isSystem(actor)) requireCapability(actor, 'missing.record');
  const who = principal(actor);
  const format = formats[kind];
  const order = sql`coalesce(external_id, folio), id`;
  let views: unknown[];
  if (kind === 'reports') {
    let query = db.selectFrom('missing_reports').selectAll().where('institution_id', '=', who.institutionId);
    if (own) query = query.where('created_by', '=', who.userId);
    views = (await query.orderBy(order).execute()).map((row) => reportRowToView(row, cipher));
  } else {
    let query = db.selectFrom('found_records').selectAll().where('institution_id', '=', who.institutionId);
    if (own) query = query.where('created_by', '=', who.userId);
    views = (await query.orderBy(order).execute()).map((row) => foundRowToView(row, cipher));
  }
  const lines = [toCsvLine(format.columns.map((col) => col.name))];
  for (const view of views) {
    const record = view as { external_id: string | null; folio: string };
    lines.push(toCsvLine(format.columns.map((col) => (col.name === 'external_id' ? (record.external_id ?? record.folio) : cell(col, valueAt(view, col.path))))));
  }
  await appendAudit(db, { institutionId: who.institutionId, actorUserId: who.userId, action: `${format.recordType}.exported`, recordType: format.recordType, ip: who.ip, detail: { rows: views.length, via: who.via, scope: own ? 'own' : 'institution' } });
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: views.length };
}
