import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { drainMatchingQueue, runMatchingBatch } from './matching.ts';
import { MATCH_KEY_VERSION } from './evidence.ts';
import { personNameKeys, typoTolerantKeys } from '../search/keys.ts';
import { recordLabels } from '../platform/audit/audit.labels.ts';

/**
 * The search for a missing person end to end over HTTP: a consulate records a report for a family in
 * Honduras, a search commission in Sonora records a person found alive written differently, the worker
 * proposes the pair with an explanation, an officer confirms it, the family's page changes.
 */

let server: TestServer;
let consulate: { id: string };
let sonora: { id: string };
let consulateOfficer: ApiClient;
let consulateCaseworker: ApiClient;
let sonoraOfficer: ApiClient;
let otherOfficer: ApiClient;
let sonoraAnalyst: ApiClient;
let anonymous: ApiClient;

const guadalupeReport = {
  channel: 'consulate',
  given_names: 'Ma. Guadalupe',
  surname1: 'Hernandez',
  sex: 'female',
  age_min: 29,
  age_max: 31,
  age_on: '2026-03-01',
  nationalities: ['HND'],
  languages: ['spa'],
  height_min_cm: 155,
  height_max_cm: 160,
  marks: 'Tatuaje de una golondrina y la palabra Esperanza en el antebrazo derecho',
  clothing: 'Pantalón de mezclilla, sudadera gris',
  last_seen_on: '2026-03-01',
  last_seen_country: 'MEX',
  last_seen_state: '07',
  last_seen_place: 'Tapachula',
  route: 'Tapachula – Altar (Sonora)',
  circumstance: 'Llamó a su hermano desde Tapachula; dijo que seguiría hacia el norte.',
  reporter: { name: 'Carlos Hernández', relationship: 'sibling', contact: { phone: '+504 9999 0000' }, country: 'HND' },
  dna_reference_taken: true,
  dna_custodian: 'Equipo Argentino de Antropología Forense',
};

const sonoraFound = {
  condition: 'alive',
  situation: 'rescued',
  given_names: 'MARÍA GUADALUPE',
  surname1: 'HERNÁNDEZ',
  surname2: 'LÓPEZ',
  sex: 'female',
  age_min: 28,
  age_max: 34,
  height_min_cm: 156,
  height_max_cm: 162,
  marks: 'golondrina en antebrazo der., letras "ESPERANZA"',
  clothing: 'sudadera gris',
  found_on: '2026-05-20',
  found_state: '26',
  found_place: 'Desierto de Altar',
  custodian_name: 'Grupo Beta Sonora',
  custodian_file_number: 'GB-SON-2026-114',
};

beforeAll(async () => {
  server = await startTestServer({ matchingWorker: false });
  consulate = await makeInstitution(server.db, { code: 'CONSULSPS', name: 'Consulado en San Pedro Sula', type: 'consulate', state_code: null });
  sonora = await makeInstitution(server.db, { code: 'CBSON', name: 'Comisión de Búsqueda de Sonora', type: 'state_agency', state_code: '26' });
  const elsewhere = await makeInstitution(server.db, { code: 'CBCHIS', name: 'Comisión de Búsqueda de Chiapas', type: 'state_agency' });
  consulateOfficer = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, consulate.id, 'search_officer')).email);
  consulateCaseworker = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, consulate.id, 'caseworker')).email);
  sonoraOfficer = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, sonora.id, 'search_officer')).email);
  otherOfficer = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, elsewhere.id, 'search_officer')).email);
  sonoraAnalyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, sonora.id, 'analyst')).email);
  anonymous = new ApiClient(server.baseUrl);
});
afterAll(async () => server?.close());

describe('from report to located', () => {
  // One story whose steps build on each other, as one test: it passes whatever order the tests run in.
  it('takes a report, matches a person found alive, keeps the pair from others, confirms it and lets the family answer', async () => {
    let report!: { id: string; folio: string; receipt: string };
    let found!: { id: string; folio: string };
    let candidateId!: string;

    // Records other tests left waiting for the matcher are matched first, so that the counts below are this story's.
    await drainMatchingQueue(server.db);

    // a consulate caseworker records the family’s report and gets a folio and an access code
    {
      const res = await consulateCaseworker.post('/api/v1/missing/reports', guadalupeReport);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.folio).toMatch(/^B-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(res.body.receipt).toMatch(/^\d{16}$/);
      expect(res.body.report.reporter.name).toBe('Carlos Hernández');
      report = { id: res.body.report.id, folio: res.body.folio, receipt: res.body.receipt };
      const stored = await server.db.selectFrom('missing_reports').selectAll().where('id', '=', report.id).executeTakeFirstOrThrow();
      // Reporter identity, contact and circumstance are encrypted; the receipt is only a hash.
      expect(JSON.stringify(stored)).not.toContain('Carlos');
      expect(JSON.stringify(stored)).not.toContain('9999');
      expect(JSON.stringify(stored)).not.toContain(report.receipt);
      expect(stored.receipt_hash).toMatch(/^\$argon2id\$/);
    }

    // the family sees an active search and no candidates
    {
      const res = await anonymous.post('/api/v1/missing/public/status', { folio: report.folio.toLowerCase(), receipt: report.receipt.replace(/(\d{4})/g, '$1 ') });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ folio: report.folio, status: 'active', messages: [] });
      expect(Object.keys(res.body).sort()).toEqual(['folio', 'messages', 'reported_on', 'status']);
    }

    // Sonora records a person found alive, written differently; the worker proposes the pair with an explanation
    {
      const res = await sonoraOfficer.post('/api/v1/missing/found', sonoraFound);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      found = { id: res.body.id, folio: res.body.folio };
      const run = await drainMatchingQueue(server.db);
      expect(run.processed).toBe(2);
      expect(run.proposed).toBeGreaterThanOrEqual(1);

      for (const officer of [sonoraOfficer, consulateOfficer]) {
        const queue = await officer.get('/api/v1/missing/candidates');
        expect(queue.status).toBe(200);
        // Other tests' records may wait in the same queues: this report's pairs are the ones that count.
        const mine = queue.body.items.filter((item: { report: { folio: string } }) => item.report.folio === report.folio);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ report: { folio: report.folio }, found: { folio: found.folio, condition: 'alive' } });
        candidateId = mine[0].id;
      }
      const detail = await sonoraOfficer.get(`/api/v1/missing/candidates/${candidateId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.probability).toBeGreaterThan(0.9);
      const levels = Object.fromEntries(detail.body.explanation.map((e: { field: string; level: string }) => [e.field, e.level]));
      expect(levels).toMatchObject({ given_names: expect.stringMatching(/variant|exact/), surname1: 'exact', sex: 'agree', age: 'consistent', height: 'consistent', timeline: 'consistent', marks: 'strong' });
      expect(detail.body.report_record.marks).toContain('golondrina');
      // Each piece of evidence in words for the screen: a phrase key, for or against, a strength of 0-3.
      const marks = detail.body.explanation.find((e: { field: string }) => e.field === 'marks');
      expect(marks).toMatchObject({ phrase: 'marks.strong', direction: 'for' });
      expect(marks.strength).toBeGreaterThanOrEqual(2);
      const surname = detail.body.explanation.find((e: { field: string }) => e.field === 'surname1');
      expect(surname.phrase).toMatch(/^surname1\.exact(_rare|_common)?$/);
      for (const e of detail.body.explanation) expect(e.direction === 'neutral').toBe(e.strength === 0);
      // The other institution's officer sees the report's description, not who reported it or how to reach them.
      expect(detail.body.report_record.reporter).toEqual({ relationship: 'sibling', country: 'HND' });
      expect(JSON.stringify(detail.body)).not.toContain('Carlos');
      expect(JSON.stringify(detail.body)).not.toContain('Tapachula; dijo');
    }

    // another institution’s officer cannot see the pair (404, audited); an analyst cannot review (403)
    {
      expect((await otherOfficer.get('/api/v1/missing/candidates')).body.items).toHaveLength(0);
      const res = await otherOfficer.get(`/api/v1/missing/candidates/${candidateId}`);
      expect(res.status).toBe(404);
      const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', candidateId).where('action', '=', 'match_candidate.read_denied').execute();
      expect(audit).toHaveLength(1);
      expect((await sonoraAnalyst.get('/api/v1/missing/candidates')).status).toBe(403);
      expect((await otherOfficer.get(`/api/v1/missing/reports/${report.id}`)).status).toBe(404);
    }

    // matching again proposes nothing twice
    {
      await sql`insert into missing_match_queue (side, record_id) values ('R', ${report.id}), ('F', ${found.id})`.execute(server.db);
      const run = await drainMatchingQueue(server.db);
      expect(run).toEqual({ processed: 2, proposed: 0 });
      const pairs = await server.db.selectFrom('match_candidates').select(['id', 'times_proposed']).where('report_id', '=', report.id).execute();
      expect(pairs).toEqual([{ id: candidateId, times_proposed: 1 }]);
    }

    // the officer confirms; statuses change, holders are notified, the family’s page changes
    {
      const message = await consulateOfficer.post(`/api/v1/missing/reports/${report.id}/messages`, { body: 'Tenemos noticias: comuníquese con el consulado.' });
      expect(message.status).toBe(201);
      const res = await sonoraOfficer.post(`/api/v1/missing/candidates/${candidateId}/review`, { decision: 'confirm', note: 'Confirmado por entrevista y tatuaje.' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ status: 'confirmed', report_status: 'located_alive' });

      const r = await consulateOfficer.get(`/api/v1/missing/reports/${report.id}`);
      expect(r.body).toMatchObject({ status: 'located_alive', located_found_id: found.id });
      expect(r.body.events.map((e: { kind: string }) => e.kind)).toContain('located');
      const f = await sonoraOfficer.get(`/api/v1/missing/found/${found.id}`);
      expect(f.body).toMatchObject({ status: 'identified', identified_report_id: report.id });

      // Notifications about this report (other tests may have left some about theirs).
      const about = (items: { id: string; folio?: string }[]) => items.filter((item) => item.folio === report.folio);
      const notes = await consulateOfficer.get('/api/v1/notifications?unread=true');
      expect(about(notes.body.items)).toEqual([expect.objectContaining({ kind: 'missing.located_alive', folio: report.folio })]);
      const caseworkerNotes = await consulateCaseworker.get('/api/v1/notifications');
      expect(about(caseworkerNotes.body.items)).toHaveLength(1);
      expect((await consulateOfficer.post(`/api/v1/notifications/${about(notes.body.items)[0]!.id}/read`)).status).toBe(204);
      expect(about((await consulateOfficer.get('/api/v1/notifications?unread=true')).body.items)).toHaveLength(0);

      const family = await anonymous.post('/api/v1/missing/public/status', { folio: report.folio, receipt: report.receipt });
      expect(family.body.status).toBe('located_alive');
      expect(family.body.messages).toEqual([expect.objectContaining({ author: 'officer', body: 'Tenemos noticias: comuníquese con el consulado.' })]);
      expect((await sonoraOfficer.post(`/api/v1/missing/candidates/${candidateId}/review`, { decision: 'reject' })).status).toBe(409);
    }

    // the family answers; a wrong access code gets the same refusal whether the folio exists or not
    {
      expect((await anonymous.post('/api/v1/missing/public/messages', { folio: report.folio, receipt: report.receipt, body: 'Gracias, llamaré mañana.' })).status).toBe(204);
      const wrong = await anonymous.post('/api/v1/missing/public/status', { folio: report.folio, receipt: '0000000000000000' });
      const unknown = await anonymous.post('/api/v1/missing/public/status', { folio: 'B-2026-ZZZZ-ZZZZ', receipt: report.receipt });
      expect(wrong.status).toBe(403);
      expect(unknown.status).toBe(403);
      expect(wrong.body).toEqual(unknown.body);
      const detail = await consulateOfficer.get(`/api/v1/missing/reports/${report.id}`);
      expect(detail.body.messages.map((m: { author: string }) => m.author)).toEqual(['officer', 'family']);
    }
  });
});

describe('matching rules', () => {
  it('a rejected pair is not proposed again unless the evidence changes; an impossible timeline is never proposed', async () => {
    const rep = await consulateOfficer.post('/api/v1/missing/reports', { ...guadalupeReport, given_names: 'José Luis', surname1: 'Ramírez', surname2: 'Cruz', sex: 'male', marks: null, clothing: null, height_min_cm: null, height_max_cm: null, last_seen_on: '2025-06-01', age_on: '2025-06-01' });
    expect(rep.status).toBe(201);
    const alive = await sonoraOfficer.post('/api/v1/missing/found', { ...sonoraFound, given_names: 'Jose Luis', surname1: 'Ramires', surname2: null, sex: 'male', marks: null, clothing: null, height_min_cm: null, height_max_cm: null, found_on: '2025-09-01' });
    const before = await sonoraOfficer.post('/api/v1/missing/found', { ...sonoraFound, given_names: 'José Luis', surname1: 'Ramírez', surname2: 'Cruz', sex: 'male', marks: null, clothing: null, height_min_cm: null, height_max_cm: null, found_on: '2025-01-10' });
    expect(alive.status).toBe(201);
    expect(before.status).toBe(201);
    await drainMatchingQueue(server.db);
    const pairs = await server.db.selectFrom('match_candidates').select(['id', 'found_id', 'status']).where('report_id', '=', rep.body.report.id).execute();
    // Found before he was last seen: not him, however similar the name.
    expect(pairs.map((p) => p.found_id)).toEqual([alive.body.id]);
    // The audit log names a pair by the report's folio and the found record's.
    const folioOf = async (table: 'missing_reports' | 'found_records', id: string) => (await server.db.selectFrom(table).select('folio').where('id', '=', id).executeTakeFirstOrThrow()).folio;
    const labels = await recordLabels(server.db, [{ record_type: 'match_candidate', record_id: pairs[0]!.id }]);
    expect(labels.get(`match_candidate|${pairs[0]!.id}`)).toBe(`${await folioOf('missing_reports', rep.body.report.id)} · ${await folioOf('found_records', alive.body.id)}`);

    expect((await sonoraOfficer.post(`/api/v1/missing/candidates/${pairs[0]!.id}/review`, { decision: 'reject', note: 'Otra persona: entrevista.' })).status).toBe(200);
    await sql`insert into missing_match_queue (side, record_id) values ('R', ${rep.body.report.id})`.execute(server.db);
    await drainMatchingQueue(server.db);
    expect((await server.db.selectFrom('match_candidates').select('status').where('id', '=', pairs[0]!.id).executeTakeFirstOrThrow()).status).toBe('rejected');

    // New evidence on the found record (a second surname) brings the pair back for review.
    await sql`update found_records set surname2 = 'Cruz' where id = ${alive.body.id}`.execute(server.db);
    await sql`insert into missing_match_queue (side, record_id) values ('F', ${alive.body.id})`.execute(server.db);
    await drainMatchingQueue(server.db);
    const back = await server.db.selectFrom('match_candidates').select(['status', 'times_proposed']).where('id', '=', pairs[0]!.id).executeTakeFirstOrThrow();
    expect(back).toEqual({ status: 'proposed', times_proposed: 2 });
  });

  it('a typo in the only name two records share does not keep them from being compared', async () => {
    // No date of birth, no document: before typo-tolerant keys the two shared no blocking key at all.
    const rep = await consulateOfficer.post('/api/v1/missing/reports', { ...guadalupeReport, given_names: 'Omar', surname1: 'Domínguez', sex: 'male', marks: null });
    expect(rep.status, JSON.stringify(rep.body)).toBe(201);
    const found = await sonoraOfficer.post('/api/v1/missing/found', { ...sonoraFound, given_names: 'OMAR', surname1: 'DJMINGUEZ', surname2: null, sex: 'male', marks: null });
    expect(found.status, JSON.stringify(found.body)).toBe(201);
    await drainMatchingQueue(server.db);
    const pairs = await server.db.selectFrom('match_candidates').select(['found_id', 'probability']).where('report_id', '=', rep.body.report.id).execute();
    expect(pairs.map((p) => p.found_id)).toEqual([found.body.id]);
    expect(pairs[0]!.probability).toBeGreaterThanOrEqual(0.5);
  });

  it('records keyed by an older version of the keys get the new keys before anything is matched', async () => {
    const rep = await consulateOfficer.post('/api/v1/missing/reports', { ...guadalupeReport, given_names: 'Aleida', surname1: 'Contreras', sex: 'female', marks: null });
    const found = await sonoraOfficer.post('/api/v1/missing/found', { ...sonoraFound, given_names: 'ALEBDA', surname1: 'CONTRERAS', surname2: null, marks: null });
    expect([rep.status, found.status]).toEqual([201, 201]);
    // As version 1 wrote them: the found record without the keys a typo does not break.
    const names = { given_names: 'ALEBDA', surname1: 'CONTRERAS', surname2: null, other_names: [] };
    const newKeys = typoTolerantKeys(names).filter((k) => !personNameKeys(names).includes(k));
    expect(newKeys.length).toBeGreaterThan(0);
    await server.db.deleteFrom('missing_name_keys').where('record_id', '=', found.body.id).where('key', 'in', newKeys).execute();
    await server.db.updateTable('missing_settings').set({ match_key_version: 1 }).execute();
    await drainMatchingQueue(server.db);
    expect((await server.db.selectFrom('missing_settings').select('match_key_version').executeTakeFirstOrThrow()).match_key_version).toBe(MATCH_KEY_VERSION);
    const keys = (await server.db.selectFrom('missing_name_keys').select('key').where('record_id', '=', found.body.id).execute()).map((k) => k.key);
    expect(keys).toEqual(expect.arrayContaining(newKeys));
    const pair = await server.db.selectFrom('match_candidates').select('found_id').where('report_id', '=', rep.body.report.id).execute();
    expect(pair.map((p) => p.found_id)).toEqual([found.body.id]);
  });

  it('nameless remains are found through two shared tattoo motifs', async () => {
    const rep = await consulateOfficer.post('/api/v1/missing/reports', { ...guadalupeReport, given_names: 'Wilmer', surname1: 'Castillo', surname2: 'Mejía', sex: 'male', marks: 'Tatuaje de un ancla y un escorpión en la espalda', clothing: 'Botas negras, camisa a cuadros', age_min: 24, age_max: 26, height_min_cm: 170, height_max_cm: 175, last_seen_on: '2025-02-01', age_on: '2025-02-01' });
    const remains = await sonoraOfficer.post('/api/v1/missing/found', { condition: 'deceased', situation: 'remains', sex: 'male', age_min: 20, age_max: 30, height_min_cm: 168, height_max_cm: 178, marks: 'escorpión y ancla tatuados en espalda', clothing: 'botas negras', found_on: '2025-08-15', death_from: '2025-03-01', death_to: '2025-06-30', found_state: '26', custodian_name: 'Servicio Médico Forense de Hermosillo', custodian_file_number: 'SEMEFO-2025-0456' });
    expect(remains.status, JSON.stringify(remains.body)).toBe(201);
    await drainMatchingQueue(server.db);
    const pair = await server.db.selectFrom('match_candidates').selectAll().where('report_id', '=', rep.body.report.id).executeTakeFirstOrThrow();
    expect(pair.found_id).toBe(remains.body.id);
    const confirm = await consulateOfficer.post(`/api/v1/missing/candidates/${pair.id}/review`, { decision: 'confirm' });
    expect(confirm.body.report_status).toBe('located_deceased');
    // A death is not announced on a web page: the family sees that there is news.
    const family = await anonymous.post('/api/v1/missing/public/status', { folio: rep.body.folio, receipt: rep.body.receipt });
    expect(family.body.status).toBe('news');
  });

  it('the remains\' page lists every report that one mark and the description fit, ranked by likelihood ratio, to reviewers only', async () => {
    // Letters only: a digit splits a word when marks are read ("colibrí4abc" is two marks, COLIBRI and ABC).
    const unique = Array.from({ length: 4 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
    const marks = `Tatuaje de un colibrí${unique} en el hombro izquierdo`;
    const motif = marks.split(' ')[3]!;
    const base = { ...guadalupeReport, given_names: 'Reporte', sex: 'male', age_min: 30, age_max: 30, height_min_cm: 168, height_max_cm: 172, clothing: null, last_seen_on: '2025-01-10', age_on: '2025-01-10', last_seen_state: '26' };
    const fits = await consulateOfficer.post('/api/v1/missing/reports', { ...base, surname1: 'Uno', marks });
    // A second fitting report, seen in another state: weaker evidence, ranked below the first.
    const weaker = await consulateOfficer.post('/api/v1/missing/reports', { ...base, surname1: 'Dos', marks, last_seen_state: '07', height_min_cm: 160, height_max_cm: 180 });
    // The same mark on a woman, or on someone last seen after the remains were found: not consistent, not listed.
    const woman = await consulateOfficer.post('/api/v1/missing/reports', { ...base, surname1: 'Tres', sex: 'female', marks });
    const later = await consulateOfficer.post('/api/v1/missing/reports', { ...base, surname1: 'Cuatro', marks, last_seen_on: '2025-12-01', age_on: '2025-12-01' });
    const remains = await sonoraOfficer.post('/api/v1/missing/found', { condition: 'deceased', situation: 'remains', sex: 'male', age_min: 25, age_max: 35, height_min_cm: 165, height_max_cm: 175, marks: `${motif} tatuado en región deltoidea`, found_on: '2025-06-15', death_from: '2025-02-01', death_to: '2025-05-30', found_state: '26', custodian_name: 'Servicio Médico Forense de Hermosillo', custodian_file_number: 'SEMEFO-2025-0999' });
    for (const r of [fits, weaker, woman, later, remains]) expect(r.status, JSON.stringify(r.body)).toBe(201);
    await drainMatchingQueue(server.db);

    const page = await sonoraOfficer.get(`/api/v1/missing/found/${remains.body.id}/consistent-reports`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.items.map((i: { report: { id: string } }) => i.report.id)).toEqual([fits.body.report.id, weaker.body.report.id]);
    expect(page.body).toMatchObject({ found_id: remains.body.id, total: 2, offset: 0 });
    const [first, second] = page.body.items;
    expect(first).toMatchObject({ rank: 1, report: { folio: fits.body.folio, institution_name: 'Consulado en San Pedro Sula', sex: 'male', last_seen_on: '2025-01-10', last_seen_state: '26' } });
    expect(first.weight).toBeGreaterThan(second.weight);
    expect(first.explanation.find((e: { field: string }) => e.field === 'marks')).toMatchObject({ level: 'partial', direction: 'for' });
    // No names of other institutions' reports on this page: folio, institution and the evidence only.
    expect(JSON.stringify(page.body)).not.toContain('Reporte');
    // Paging keeps the ranks.
    const two = await sonoraOfficer.get(`/api/v1/missing/found/${remains.body.id}/consistent-reports?limit=1&offset=1`);
    expect(two.body.items.map((i: { rank: number; report: { id: string } }) => [i.rank, i.report.id])).toEqual([[2, weaker.body.report.id]]);
    // The audit entry names the record and the reports shown.
    const audit = await server.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'found_record.consistent_reports_listed').where('record_id', '=', remains.body.id).orderBy('id').execute();
    expect(audit.map((a) => (a.detail as { report_ids: string[] }).report_ids)).toEqual([[fits.body.report.id, weaker.body.report.id], [weaker.body.report.id]]);

    // Only reviewers of the institution holding the remains: another commission's officer gets 404, an analyst 403.
    expect((await otherOfficer.get(`/api/v1/missing/found/${remains.body.id}/consistent-reports`)).status).toBe(404);
    expect((await sonoraAnalyst.get(`/api/v1/missing/found/${remains.body.id}/consistent-reports`)).status).toBe(403);
    expect((await anonymous.get(`/api/v1/missing/found/${remains.body.id}/consistent-reports`)).status).toBe(401);
    const bad = await sonoraOfficer.get(`/api/v1/missing/found/${remains.body.id}/consistent-reports?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBeTruthy();
  });

  it('a crash during a matching run loses nothing and proposes nothing twice', async () => {
    await drainMatchingQueue(server.db); // what other tests left waiting
    const rep = await consulateOfficer.post('/api/v1/missing/reports', { ...guadalupeReport, given_names: 'Santos', surname1: 'Reyes', surname2: 'Amaya', sex: 'male', marks: null, clothing: null, height_min_cm: null, height_max_cm: null });
    await sonoraOfficer.post('/api/v1/missing/found', { ...sonoraFound, given_names: 'Santos', surname1: 'Reyes', surname2: 'Amaya', sex: 'male', marks: null, clothing: null, height_min_cm: null, height_max_cm: null });
    await expect(runMatchingBatch(server.db, { beforeCommit: () => Promise.reject(new Error('simulated crash')) })).rejects.toThrow('simulated crash');
    expect(await server.db.selectFrom('match_candidates').select('id').where('report_id', '=', rep.body.report.id).execute()).toHaveLength(0);
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from missing_match_queue`.execute(server.db)).rows[0]!.n)).toBe(2);
    await drainMatchingQueue(server.db);
    await drainMatchingQueue(server.db);
    expect(await server.db.selectFrom('match_candidates').select('id').where('report_id', '=', rep.body.report.id).execute()).toHaveLength(1);
  });
});

describe('people in the case files of the report’s institution', () => {
  it('are proposed to those who may read both; confirming notifies the case holder', async () => {
    const supervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, consulate.id, 'supervisor')).email);
    const person = await consulateCaseworker.post('/api/v1/people', { given_names: 'Yeferson Alexis', surname1: 'Banegas', surname2: 'Mejía', sex: 'male', date_of_birth: '2004-02-11', nationalities: ['HND'], languages: ['spa'] });
    expect(person.status).toBe(201);
    const opened = await consulateCaseworker.post('/api/v1/cases', { programme: 'consular_protection', opened_on: '2026-04-02', participants: [{ person_id: person.body.id, role: 'direct_victim' }] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const rep = await consulateOfficer.post('/api/v1/missing/reports', { ...guadalupeReport, given_names: 'Yeferson', surname1: 'Banegas', surname2: null, sex: 'male', date_of_birth: '2004-02-11', age_min: null, age_max: null, age_on: null, marks: null, clothing: null });
    expect(rep.status).toBe(201);
    await drainMatchingQueue(server.db);
    const path = `/api/v1/missing/reports/${rep.body.report.id}/person-candidates`;
    // Search officers do not read case files; another institution's supervisor cannot see the report.
    expect((await consulateOfficer.get(path)).status).toBe(403);
    const list = await supervisor.get(path);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ status: 'proposed', person: expect.objectContaining({ id: person.body.id, name: 'Yeferson Alexis Banegas Mejía' }) })]);
    expect(list.body.items[0].probability).toBeGreaterThan(0.9);
    const confirmed = await supervisor.post(`/api/v1/missing/person-candidates/${list.body.items[0].id}/review`, { decision: 'confirm' });
    expect(confirmed.body).toEqual({ status: 'confirmed', report_status: 'located_alive' });
    const report = await server.db.selectFrom('missing_reports').select(['status', 'located_person_id']).where('id', '=', rep.body.report.id).executeTakeFirstOrThrow();
    expect(report).toEqual({ status: 'located_alive', located_person_id: person.body.id });
    const caseworkerNotes = await consulateCaseworker.get('/api/v1/notifications?unread=true');
    expect(caseworkerNotes.body.items.map((n: { folio: string }) => n.folio)).toContain(rep.body.folio);
  });
});

describe('bad input', () => {
  it.each([
    ['no name at all', { given_names: null, surname1: null, surname2: null }],
    ['a name with digits', { given_names: 'M4ria' }],
    ['last seen in the future', { last_seen_on: '2999-01-01' }],
    ['an inverted age range', { age_min: 40, age_max: 20 }],
    ['an unknown state code', { last_seen_state: '99' }],
    ['an unknown country code', { nationalities: ['honduras'] }],
    ['a DNA sample without custodian', { dna_custodian: null }],
    ['an unknown field', { favourite_colour: 'blue' }],
  ])('a report with %s is refused with a 400 and nothing is stored', async (_what, change) => {
    const before = (await sql<{ n: number }>`select count(*)::int as n from missing_reports`.execute(server.db)).rows[0]!.n;
    const res = await consulateOfficer.post('/api/v1/missing/reports', { ...guadalupeReport, ...change });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.message).toMatch(/datos/);
    expect((await sql<{ n: number }>`select count(*)::int as n from missing_reports`.execute(server.db)).rows[0]!.n).toBe(before);
  });

  it('remains with a death after the finding, or a person alive with a date of death, are refused', async () => {
    expect((await sonoraOfficer.post('/api/v1/missing/found', { ...sonoraFound, condition: 'deceased', situation: 'remains', death_to: '2026-06-01' })).status).toBe(400);
    expect((await sonoraOfficer.post('/api/v1/missing/found', { ...sonoraFound, death_from: '2026-01-01' })).status).toBe(400);
  });

  it('the public form is closed until an institution is set to receive it, then files a report', async () => {
    const { channel: _c, ...form } = guadalupeReport;
    const closed = await anonymous.post('/api/v1/missing/public/reports', { ...form, channel: 'public_web' });
    expect(closed.status).toBe(403);
    expect(closed.body.code).toBe('missing_public_unavailable');
    await sql`update missing_settings set public_institution_id = ${sonora.id}`.execute(server.db);
    // Another person: an active report of the same person would compete with the found record of the first test.
    const open = await anonymous.post('/api/v1/missing/public/reports', { ...form, given_names: 'Yesenia', surname1: 'Zelaya', channel: 'public_web' });
    expect(open.status).toBe(201);
    const row = await server.db.selectFrom('missing_reports').select(['institution_id', 'channel', 'created_by']).where('folio', '=', open.body.folio).executeTakeFirstOrThrow();
    expect(row).toEqual({ institution_id: sonora.id, channel: 'public_web', created_by: null });
  });
});

describe('the worker in the server', () => {
  it('matches new records without being asked', async () => {
    const live = await startTestServer({ matchingWorker: true });
    try {
      const inst = await makeInstitution(live.db, { code: 'CBW', name: 'Comisión W' });
      const officer = await ApiClient.signIn(live.baseUrl, (await makeUser(live.db, inst.id, 'search_officer')).email);
      await officer.post('/api/v1/missing/reports', { ...guadalupeReport, channel: 'in_person' });
      await officer.post('/api/v1/missing/found', sonoraFound);
      let items: unknown[] = [];
      for (let i = 0; i < 50 && items.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        items = (await officer.get('/api/v1/missing/candidates')).body.items;
      }
      expect(items).toHaveLength(1);
    } finally {
      await live.close();
    }
  });
});
