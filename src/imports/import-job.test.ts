import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { toCsvLine } from '../platform/csv.ts';

/**
 * CSV imports from the administration screens: queued at once, run in the background in batches,
 * with progress, a per-row report (accepted, rejected with reasons) and its CSV; one bad row means
 * nothing unless the rows with errors are to be skipped.
 */

let server: TestServer;
let admin: ApiClient;
let otherAdmin: ApiClient;
let supervisor: ApiClient;
let institutionId: string;

beforeAll(async () => {
  server = await startTestServer({ matchingWorker: false });
  const institution = await makeInstitution(server.db, { name: 'Albergue de importación' });
  institutionId = institution.id;
  const other = await makeInstitution(server.db, { name: 'Otra institución' });
  admin = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'administrator')).email);
  otherAdmin = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, other.id, 'administrator')).email);
  supervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, institution.id, 'supervisor')).email);
});
afterAll(async () => server?.close());

const HEADER = ['external_id', 'given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'nationalities'];
const person = (id: string, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = { external_id: id, given_names: 'Rosa Elvira', surname1: 'Cáceres', surname2: 'Mejía', sex: 'female', date_of_birth: '1994-02-03', nationalities: 'HND', ...over };
  return HEADER.map((h) => base[h] ?? '');
};
const csv = (rows: string[][]) => [HEADER, ...rows].map((r) => toCsvLine(r)).join('\r\n') + '\r\n';
const upload = (client: ApiClient, body: string | Uint8Array, query: string) => client.request('POST', `/api/v1/imports?${query}`, body, { 'content-type': 'text/csv' });

async function settled(id: string) {
  for (let i = 0; i < 200; i++) {
    const job = await admin.get(`/api/v1/imports/${id}`);
    expect(job.status, job.text).toBe(200);
    if (['done', 'rejected', 'failed'].includes(job.body.status)) return job.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

describe('imports from the administration screens', () => {
  it('writes the valid rows in batches, skips the invalid ones with their reasons, and reports both', async () => {
    const rows = Array.from({ length: 1203 }, (_, i) => person(`IMP-${i}`));
    rows[7] = person('IMP-7', { sex: 'unknown-value' });
    rows[900] = person('IMP-5');
    const started = await upload(admin, csv(rows), 'kind=people&skip_invalid=true&file_name=albergue.csv');
    expect(started.status, started.text).toBe(202);
    expect(started.body).toMatchObject({ kind: 'people', file_name: 'albergue.csv', status: 'queued', rows_written: 0 });

    const job = await settled(started.body.id);
    expect(job).toMatchObject({ status: 'done', total_rows: 1203, rows_valid: 1201, rows_written: 1201, rows_rejected: 2, error: null });
    const written = await server.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('institution_id', '=', institutionId).where('external_id', 'like', 'IMP-%').executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(1201);
    // The file is not kept once the job is over.
    const stored = await server.db.selectFrom('import_jobs').select('file_enc').where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(stored.file_enc).toBeNull();
    // One audit entry per batch of 500, with the job.
    const audits = await server.db.selectFrom('audit_log').select('detail').where('action', '=', 'person.imported').where('institution_id', '=', institutionId).where(sql<boolean>`detail->>'import_job' = ${job.id}`).execute();
    expect(audits.map((a) => (a.detail as { rows: number }).rows).sort()).toEqual([201, 500, 500]);

    const rejected = await admin.get(`/api/v1/imports/${job.id}/rows?result=rejected`);
    expect(rejected.body.total).toBe(2);
    expect(rejected.body.items.map((r: { row: number; errors: { column: string; code: string }[] }) => [r.row, r.errors[0]!.column, r.errors[0]!.code])).toEqual([
      [9, 'sex', 'invalid_value'],
      [902, 'external_id', 'duplicate_in_file'],
    ]);
    const accepted = await admin.get(`/api/v1/imports/${job.id}/rows?result=accepted&limit=2`);
    expect(accepted.body.total).toBe(1201);
    expect(accepted.body.items[0]).toMatchObject({ row: 2, external_id: 'IMP-0', errors: null });
    expect(accepted.body.items[0].record_id).toMatch(/^[0-9a-f-]{36}$/);

    const report = await admin.get(`/api/v1/imports/${job.id}/report.csv`);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const lines = report.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row,line,external_id,result,folio,column,message');
    expect(lines).toHaveLength(1 + 1203);
    expect(lines.find((l) => l.startsWith('9,'))).toMatch(/^9,9,IMP-7,rechazada,,sex,/);

    const list = await admin.get('/api/v1/imports');
    expect(list.body.items[0].id).toBe(job.id);
  });

  it('writes nothing when a row fails and the rows with errors are not to be skipped', async () => {
    const started = await upload(admin, csv([person('ALL-1'), person('ALL-2', { date_of_birth: '1994-13-40' })]), 'kind=people');
    const job = await settled(started.body.id);
    expect(job).toMatchObject({ status: 'rejected', total_rows: 2, rows_valid: 1, rows_written: 0, rows_rejected: 1 });
    const written = await server.db.selectFrom('people').select('id').where('external_id', '=', 'ALL-1').execute();
    expect(written).toEqual([]);
  });

  it('records a file that cannot be read as a failed job, with the reason in the reader’s language', async () => {
    const started = await upload(admin, 'nombre,apellido\r\nAna,López\r\n', 'kind=people');
    const job = await settled(started.body.id);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('import_unknown_column');
    expect(job.error.message).toContain('nombre');
    // NUL characters (PostgreSQL text and jsonb take none) are reported, not a crash.
    const nul = await settled((await upload(admin, 'external_id,given\u0000names\r\nX,Y\r\n', 'kind=people')).body.id);
    expect(nul).toMatchObject({ status: 'failed', error: { code: 'import_unknown_column' } });
    const nulRow = await settled((await upload(admin, csv([person('NUL\u0000-1')]), 'kind=people&skip_invalid=true')).body.id);
    expect(nulRow).toMatchObject({ status: 'done', rows_rejected: 1 });
    expect((await admin.get(`/api/v1/imports/${nulRow.id}/rows`)).body.items[0].external_id).toBe('NUL\uFFFD-1');
    const latin1 = await upload(admin, Buffer.from('external_id,given_names\r\n1,Jos\xe9\r\n', 'latin1'), 'kind=people');
    expect(latin1.status).toBe(400);
    expect(latin1.body.code).toBe('import_invalid_encoding');
  });

  it('is for administrators, and each institution sees only its own imports', async () => {
    expect((await upload(supervisor, csv([person('SUP-1')]), 'kind=people')).status).toBe(403);
    const started = await upload(admin, csv([person('OWN-1')]), 'kind=people');
    await settled(started.body.id);
    expect((await otherAdmin.get(`/api/v1/imports/${started.body.id}`)).status).toBe(404);
    expect((await otherAdmin.get(`/api/v1/imports/${started.body.id}/report.csv`)).status).toBe(404);
    expect((await otherAdmin.get('/api/v1/imports')).body.items).toEqual([]);
  });
});
