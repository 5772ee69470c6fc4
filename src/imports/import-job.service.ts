import { sql } from 'kysely';
import type { Db, ImportJobTable } from '../platform/db/database.ts';
import type { Selectable } from 'kysely';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { sha256Hex } from '../platform/crypto/sha256.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { translate, type Language, type MessageKey } from '../platform/i18n/messages.ts';
import { toCsvLine } from '../platform/csv.ts';
import { refreshPendingNameKeys } from '../search/store.ts';
import { IMPORT_LIMITS, checkFile, formats, insertBatch, type ImportKind } from '../missing/import.ts';

/**
 * CSV imports started from the administration screens (issue 10), on the domain functions of
 * src/missing/import.ts (the same formats, checks and inserts as the API and the command line).
 *
 * The upload only stores the file (encrypted) and queues a job; the server then checks every row and
 * writes the valid ones in batches, each batch in its own transaction together with its rows of the
 * report, the job's progress and an audit entry, so that the page can show progress and a crash loses
 * at most one batch (the rows written so far stay listed). With `skip_invalid` the rows with errors
 * are left out and listed with their reasons; without it a single bad row means nothing is written
 * (status `rejected`). The file is dropped when the job ends.
 */

export type ImportJob = Selectable<ImportJobTable>;
export type NewImportJob = { kind: ImportKind; fileName: string; skipInvalid: boolean; language: Language; file: Buffer };

/**
 * What a file says goes into text and jsonb columns, where PostgreSQL takes no NUL character: each
 * becomes U+FFFD, so that the report still points at it.
 */
const withoutNul = (text: string) => text.replace(/\u0000/g, '\uFFFD');
const storableJson = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v));

/** A job whose worker has not been heard of for this long died with its process. */
const STALE_MINUTES = 10;
const REPORT_ROWS_PER_INSERT = 1000;

export async function createImportJob(db: Db, cipher: FieldCipher, actor: Actor, input: NewImportJob): Promise<ImportJob> {
  requireCapability(actor, 'records.import');
  if (input.file.byteLength > IMPORT_LIMITS.maxBytes) throw new AppError('import_too_large', { max: Math.floor(IMPORT_LIMITS.maxBytes / (1024 * 1024)) });
  if (input.file.byteLength === 0) throw new AppError('import_empty');
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .insertInto('import_jobs')
      .values({
        institution_id: actor.institutionId,
        created_by: actor.userId,
        kind: input.kind,
        file_name: input.fileName,
        file_sha256: sha256Hex(input.file),
        file_enc: cipher.encryptBytes(input.file),
        skip_invalid: input.skipInvalid,
        language: input.language,
        total_rows: null,
        rows_valid: null,
        error_code: null,
        error_params: null,
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'import.started', recordType: 'import_job', recordId: job.id, ip: actor.ip, detail: { kind: input.kind, bytes: input.file.byteLength, skip_invalid: input.skipInvalid } });
    return job;
  });
}

/** Jobs whose process died are marked failed (what they wrote stays, and is in their report). */
async function failStaleJobs(db: Db, institutionId: string) {
  await db
    .updateTable('import_jobs')
    .set({ status: 'failed', error_code: 'import_job_interrupted', file_enc: null, finished_at: new Date() })
    .where('institution_id', '=', institutionId)
    .where('status', 'in', ['queued', 'checking', 'writing'])
    .where('heartbeat_at', '<', sql<Date>`now() - make_interval(mins => ${STALE_MINUTES})`)
    .execute();
}

/** A job of the actor's institution; another institution's answers 404 (audited). */
export async function getImportJob(db: Db, actor: Actor, id: string): Promise<ImportJob> {
  requireCapability(actor, 'records.import');
  await failStaleJobs(db, actor.institutionId);
  const job = await db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!job) throw new AppError('not_found');
  if (job.institution_id !== actor.institutionId) {
    throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'import_job.access_denied', recordType: 'import_job', recordId: id, ip: actor.ip });
  }
  return job;
}

export async function listImportJobs(db: Db, actor: Actor): Promise<ImportJob[]> {
  requireCapability(actor, 'records.import');
  await failStaleJobs(db, actor.institutionId);
  return db.selectFrom('import_jobs').selectAll().where('institution_id', '=', actor.institutionId).orderBy('created_at', 'desc').limit(20).execute();
}

export type ReportRow = { row: number; line: number | null; external_id: string | null; record_id: string | null; folio: string | null; errors: { column: string | null; code: string; message: string }[] | null };

export async function importJobRows(db: Db, actor: Actor, id: string, filter: { result?: 'accepted' | 'rejected' | undefined; offset: number; limit: number }) {
  await getImportJob(db, actor, id);
  let query = db.selectFrom('import_job_rows').where('job_id', '=', id);
  if (filter.result === 'accepted') query = query.where('errors', 'is', null);
  if (filter.result === 'rejected') query = query.where('errors', 'is not', null);
  const [items, count] = await Promise.all([
    query.select(['row', 'line', 'external_id', 'record_id', 'folio', 'errors']).orderBy('row').offset(filter.offset).limit(filter.limit).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as ReportRow[], total: Number(count.n), offset: filter.offset, limit: filter.limit };
}

/** The whole report as CSV: one line per accepted row, one per error of a rejected row. */
export async function importJobReportCsv(db: Db, actor: Actor, id: string, language: Language): Promise<{ csv: string; job: ImportJob }> {
  const job = await getImportJob(db, actor, id);
  const rows = (await db.selectFrom('import_job_rows').select(['row', 'line', 'external_id', 'record_id', 'folio', 'errors']).where('job_id', '=', id).orderBy('row').execute()) as ReportRow[];
  const word = (key: MessageKey) => translate(language, key);
  const lines = [toCsvLine(['row', 'line', 'external_id', 'result', 'folio', 'column', 'message'])];
  for (const r of rows) {
    if (!r.errors) lines.push(toCsvLine([r.row, r.line, r.external_id, word('import_report_accepted'), r.folio ?? '', '', '']));
    else for (const e of r.errors) lines.push(toCsvLine([r.row, r.line, r.external_id, word('import_report_rejected'), '', e.column ?? '', e.message]));
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, job };
}

/** The job's failure in words, in the reader's language. */
export function importJobError(job: ImportJob, language: Language): { code: string; message: string } | null {
  if (!job.error_code) return null;
  return { code: job.error_code, message: translate(language, job.error_code as MessageKey, job.error_params ?? {}) };
}

// ------------------------------------------------------------------------------------------------
// Running

/**
 * Runs one queued job to its end. Claims it first (`queued` → `checking`), so that a second process
 * or a second call does nothing; never throws: a failure is recorded on the job.
 */
export async function runImportJob(db: Db, cipher: FieldCipher, jobId: string): Promise<void> {
  const job = await db.updateTable('import_jobs').set({ status: 'checking', heartbeat_at: new Date() }).where('id', '=', jobId).where('status', '=', 'queued').returningAll().executeTakeFirst();
  if (!job || !job.file_enc) return;
  try {
    await check(db, cipher, job);
  } catch (error) {
    const known = error instanceof AppError;
    await db
      .updateTable('import_jobs')
      .set({ status: 'failed', error_code: known ? error.code : 'import_job_failed', error_params: known ? storableJson(error.params) : null, file_enc: null, finished_at: new Date() })
      .where('id', '=', jobId)
      .execute();
  }
}

async function check(db: Db, cipher: FieldCipher, job: ImportJob) {
  const format = formats[job.kind];
  const { total, valid, reports } = await checkFile(db, job.institution_id, format, cipher.decryptBytes(job.file_enc!), job.language, IMPORT_LIMITS);
  const rejected = reports.length > 0 && !job.skip_invalid;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < reports.length; i += REPORT_ROWS_PER_INSERT) {
      const values = reports.slice(i, i + REPORT_ROWS_PER_INSERT).map((r) => ({ job_id: job.id, row: r.row, line: r.line, external_id: r.external_id === null ? null : withoutNul(r.external_id), record_id: null, folio: null, errors: storableJson(r.errors) }));
      await trx.insertInto('import_job_rows').values(values).execute();
    }
    await trx
      .updateTable('import_jobs')
      .set({ status: rejected ? 'rejected' : 'writing', total_rows: total, rows_valid: valid.length, rows_rejected: reports.length, heartbeat_at: new Date(), ...(rejected ? { file_enc: null, finished_at: new Date() } : {}) })
      .where('id', '=', job.id)
      .execute();
  });
  if (rejected) return;

  const who = { institutionId: job.institution_id, userId: job.created_by, ip: null, via: 'api' as const };
  for (let i = 0; i < valid.length; i += IMPORT_LIMITS.batch) {
    const batch = valid.slice(i, i + IMPORT_LIMITS.batch);
    await db.transaction().execute(async (trx) => {
      const created = await insertBatch(trx, cipher, who, job.kind, batch);
      if (job.kind === 'people') await refreshPendingNameKeys(trx, job.institution_id);
      await trx
        .insertInto('import_job_rows')
        .values(created.map((c) => ({ job_id: job.id, row: c.row, line: null, external_id: c.external_id, record_id: c.id, folio: c.folio ?? null, errors: null })))
        .execute();
      await trx.updateTable('import_jobs').set({ rows_written: sql`rows_written + ${created.length}`, heartbeat_at: new Date() }).where('id', '=', job.id).execute();
      await appendAudit(trx, { institutionId: job.institution_id, actorUserId: job.created_by, action: `${format.recordType}.imported`, recordType: format.recordType, ip: null, detail: { rows: created.length, via: 'web', import_job: job.id, file_sha256: job.file_sha256 } });
    });
  }
  await db.updateTable('import_jobs').set({ status: 'done', file_enc: null, finished_at: new Date() }).where('id', '=', job.id).execute();
}

/**
 * Runs queued jobs one after another in this process (2 cores are shared with everything else), and
 * lets the server wait for the running one when it closes.
 */
export function importRunner(db: Db, cipher: FieldCipher) {
  let tail: Promise<void> = Promise.resolve();
  return {
    enqueue(jobId: string) {
      // Should even recording a failure fail (the database gone), the job is left to be found stale, and
      // the queue goes on with the next one.
      tail = tail.then(() => runImportJob(db, cipher, jobId)).catch(() => undefined);
    },
    idle: () => tail,
  };
}
