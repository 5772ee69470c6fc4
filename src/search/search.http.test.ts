import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { personNameKeys } from './keys.ts';

let server: TestServer;
let caseworker: ApiClient;
let other: ApiClient;
let institutionId: string;

const people = [
  { given_names: 'María Guadalupe', surname1: 'Hernández', surname2: 'López', sex: 'female', date_of_birth: '1990-04-12', nationalities: ['HND'] },
  { given_names: 'María Guadalupe', surname1: 'Hernández', surname2: 'Ruiz', sex: 'female', date_of_birth: '1975-01-30', nationalities: ['MEX'] },
  { given_names: 'Francisco Javier', surname1: 'González', surname2: 'Villalobos', sex: 'male', date_of_birth: '1988-07-01', nationalities: ['GTM'] },
  { given_names: 'José Luis', surname1: 'Ramírez', surname2: null, sex: 'male', estimated_age: 35, age_estimated_on: '2019-05-01', nationalities: ['SLV'] },
  { given_names: 'Jesús', surname1: 'Yáñez', surname2: 'Cervantes', sex: 'male', date_of_birth: '2001-11-20', nationalities: ['MEX'] },
  { given_names: 'Jean-Baptiste', surname1: 'Pierre', surname2: null, sex: 'male', date_of_birth: '1993-02-02', nationalities: ['HTI'] },
  { given_names: 'Guillermo', surname1: 'de la Cruz', surname2: 'Bautista', sex: 'male', date_of_birth: '1980-03-15', nationalities: ['HND'] },
];
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  const inst = await makeInstitution(server.db, { code: 'SRCH', name: 'Comisión de Búsqueda' });
  institutionId = inst.id;
  const elsewhere = await makeInstitution(server.db, { code: 'OTRA', name: 'Otra institución' });
  caseworker = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, inst.id, 'caseworker')).email);
  other = await ApiClient.signIn(server.baseUrl, (await makeUser(server.db, elsewhere.id, 'caseworker')).email);
  for (const p of people) {
    const created = await caseworker.post('/api/v1/people', { languages: ['spa'], ...p });
    expect(created.status).toBe(201);
    ids[`${p.given_names} ${p.surname1} ${p.surname2 ?? ''}`.trim()] = created.body.id;
  }
});
afterAll(async () => server.close());

const search = (client: ApiClient, q: string, extra = '') => client.get(`/api/v1/people/search?q=${encodeURIComponent(q)}${extra}`);

describe('person search through the name-matching engine', () => {
  it.each([
    ['Ma. Guadalupe Hernandez Lopez', 'María Guadalupe Hernández López'],
    ['HERNANDEZ LOPEZ MARIA GUADALUPE', 'María Guadalupe Hernández López'],
    ['Lupe Hernández López', 'María Guadalupe Hernández López'],
    ['Pancho Gonsales', 'Francisco Javier González Villalobos'],
    ['Fco. Javier Gonzalez Biyalobos', 'Francisco Javier González Villalobos'],
    ['Javier Villalobos Gonzalez', 'Francisco Javier González Villalobos'],
    ['Chuy Llanes', 'Jesús Yáñez Cervantes'],
    ['Luis Ramires', 'José Luis Ramírez'],
    ['Jean Baptiste Pierre', 'Jean-Baptiste Pierre'],
    ['Memo Cruz Bautista', 'Guillermo de la Cruz Bautista'],
    ['Guillermo Krus Vautista', 'Guillermo de la Cruz Bautista'],
  ])('"%s" finds %s first', async (q, expected) => {
    const found = await search(caseworker, q);
    expect(found.status).toBe(200);
    expect(found.body.items[0]?.id, JSON.stringify(found.body.items.slice(0, 2))).toBe(ids[expected]);
    const top = found.body.items[0];
    expect(top.score).toBeGreaterThan(0);
    expect(top.score).toBeLessThanOrEqual(1);
    expect(top.reasons).toContain('name');
    expect(top.explanation.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['given_names', 'surname1', 'surname2']));
  });

  it('uses the date of birth to tell two María Guadalupe Hernández apart', async () => {
    const found = await search(caseworker, 'Maria Guadalupe Hernandez', '&date_of_birth=1975-01-30&sex=female');
    expect(found.body.items[0].id).toBe(ids['María Guadalupe Hernández Ruiz']);
    expect(found.body.items[0].score).toBeGreaterThan(0.9);
    expect(found.body.items[0].reasons).toEqual(expect.arrayContaining(['name', 'date_of_birth', 'sex']));
    expect(found.body.items[1].score).toBeLessThan(found.body.items[0].score);
  });

  it('checks an estimated age against the date of birth given', async () => {
    const found = await search(caseworker, 'José Luis Ramírez', '&date_of_birth=1984-06-01');
    expect(found.body.items[0].explanation.find((e: { field: string }) => e.field === 'age')?.level).toBe('consistent');
  });

  it('stays within the institution', async () => {
    const found = await search(other, 'María Guadalupe Hernández López');
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([]);
  });

  it('keeps keys current when a name is corrected, and picks up rows written outside the service', async () => {
    const id = ids['José Luis Ramírez']!;
    expect((await caseworker.patch(`/api/v1/people/${id}`, { surname2: 'Quintanilla' })).status).toBe(200);
    const stored = await sql<{ key: string }>`select key from person_name_keys where person_id = ${id}`.execute(server.db);
    expect(stored.rows.map((r) => r.key).sort()).toEqual(personNameKeys({ given_names: 'José Luis', surname1: 'Ramírez', surname2: 'Quintanilla', other_names: [] }, true).sort());
    expect((await search(caseworker, 'Jose Luis Kintanilla')).body.items[0]?.id).toBe(id);

    // A bulk import straight into the table: the trigger marks it, the next search computes its keys.
    await sql`insert into people (institution_id, given_names, surname1, surname2, sex) values (${institutionId}, 'Wendy Carolina', 'Zelaya', 'Mejía', 'female')`.execute(server.db);
    const found = await search(caseworker, 'Wendi Selaya Mejia');
    expect(found.body.items[0]?.given_names).toBe('Wendy Carolina');
    const pending = await sql<{ n: number }>`select count(*)::int as n from person_name_keys_pending`.execute(server.db);
    expect(pending.rows[0]!.n).toBe(0);
  });

  it('falls back to trigram similarity for names the keys cannot reach', async () => {
    // A single-token query produces no pair key.
    const found = await search(caseworker, 'Villalobos');
    expect(found.body.items[0]?.id).toBe(ids['Francisco Javier González Villalobos']);
  });
});
