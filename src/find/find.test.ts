import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { understand } from './find.service.ts';
import { ageOn } from '../platform/dates.ts';

let server: TestServer;
let supervisor: ApiClient;
let otherSupervisor: ApiClient;
let analyst: ApiClient;
let caseId: string;
let folio: string;
let personId: string;

beforeAll(async () => {
  server = await startTestServer();
  const own = await makeInstitution(server.db, { code: 'FINDA' });
  const other = await makeInstitution(server.db, { code: 'FINDB' });
  supervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, own.id, 'supervisor')).email);
  otherSupervisor = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, other.id, 'supervisor')).email);
  analyst = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, own.id, 'analyst')).email);
  const body = (given: string, born: string, sex: string) => ({ given_names: given, surname1: 'Martínez', surname2: 'Cruz', sex, date_of_birth: born, nationalities: ['GTM'] });
  // Namesakes: the date of birth and the sex tell them apart.
  const person = await supervisor.post('/api/v1/people', body('Jesús', '1994-07-21', 'male'));
  personId = person.body.id;
  await supervisor.post('/api/v1/people', body('Jesús', '1988-02-03', 'male'));
  await supervisor.post('/api/v1/people', body('Jesusa', '1994-07-21', 'female'));
  const opened = await supervisor.post('/api/v1/cases', { programme: 'victim_assistance', opened_on: '2026-11-20', participants: [{ person_id: personId, role: 'direct_victim' }] });
  caseId = opened.body.id;
  folio = (await supervisor.get(`/api/v1/cases/${caseId}`)).body.folio;
});
afterAll(async () => server?.close());

describe('the search box', () => {
  it('understands names, dates of birth, sex words and folios', () => {
    expect(understand('jesus martinez 21/07/1994 hombre')).toEqual({ name: 'jesus martinez', date_of_birth: '1994-07-21', sex: 'male', folios: [] });
    expect(understand('CEAV-2026-000123')).toEqual({ name: null, date_of_birth: null, sex: null, folios: ['CEAV-2026-000123'] });
    expect(understand('q-2026-ab12-cd34 María 1990-02-30')).toEqual({ name: 'María 1990-02-30', date_of_birth: null, sex: null, folios: ['Q-2026-AB12-CD34'] });
    expect(ageOn({ date_of_birth: '2007-06-15' }, '2025-06-14')).toEqual({ age: 17, estimate: false });
    expect(ageOn({ estimated_age: 30, age_estimated_on: '2020-01-01' }, '2026-12-06')).toEqual({ age: 36, estimate: true });
  });

  it('finds a person among namesakes by name with a typo, date of birth and sex, with her case one step away', async () => {
    const res = await supervisor.get(`/api/v1/find?q=${encodeURIComponent('Jesus Martines 21/07/1994 hombre')}`);
    expect(res.status).toBe(200);
    expect(res.body.understood).toMatchObject({ date_of_birth: '1994-07-21', sex: 'male' });
    expect(res.body.people[0]).toMatchObject({ id: personId, name: 'Jesús Martínez Cruz', sex: 'male', nationalities: ['GTM'], age_is_estimate: false });
    expect(res.body.people[0].score).toBeGreaterThan(res.body.people[1]?.score ?? 0);
    expect(res.body.cases.map((c: { id: string }) => c.id)).toContain(caseId);
    expect(res.body.cases.find((c: { id: string }) => c.id === caseId).participants[0].name).toBe('Jesús Martínez Cruz');
  });

  it('finds a case by its folio, and nothing of another institution or for roles without access', async () => {
    const byFolio = await supervisor.get(`/api/v1/find?q=${folio.toLowerCase()}`);
    expect(byFolio.body.cases.map((c: { folio: string }) => c.folio)).toEqual([folio]);
    expect(byFolio.body.people).toEqual([]);
    for (const client of [otherSupervisor, analyst]) {
      const res = await client.get(`/api/v1/find?q=${encodeURIComponent(`Jesús Martínez ${folio}`)}`);
      expect(res.status).toBe(200);
      expect([res.body.people, res.body.cases, res.body.complaints, res.body.missing]).toEqual([[], [], [], []]);
    }
    const audit = await server.db.selectFrom('audit_log').select('detail').where('action', '=', 'find.searched').execute();
    expect(audit.some((a) => JSON.stringify(a.detail).includes(caseId))).toBe(true);
  });

  it('refuses an empty or overlong query with a code', async () => {
    const res = await supervisor.get('/api/v1/find?q=a');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
