import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { personBody } from '../../test/fixtures.ts';
import { localDate, isoDaysAfter } from '../platform/dates.ts';
import { baseContext, computeCube, resolveFilters } from '../statistics/query.ts';
import { indicatorByKey } from '../statistics/indicators.ts';
import { ageBands, DEFAULT_AGE_BANDS, type DimensionKey } from '../statistics/dimensions.ts';
import { TOTAL } from '../platform/disclosure/suppression.ts';

/**
 * Outreach events through HTTP on a real PostgreSQL: recording with attendance, the place and
 * attendance rules (4xx with a code, nothing written), correction and deletion by whom the policy
 * allows (audited), the people who attended, the unit's dashboard, and the statistics: events as
 * counted, attendance through disclosure control (a small cell cannot be read or subtracted out),
 * screenings, and consular case files that keep their consulate.
 */

let server: TestServer;
let consulate: { id: string; code: string };
let worker: ApiClient;
let colleague: ApiClient;
let head: ApiClient;
let outsider: ApiClient;
let analyst: ApiClient;
let workerId: string;

const today = localDate();
const yesterday = isoDaysAfter(today, -1);

beforeAll(async () => {
  server = await startTestServer();
  const ministry = await makeInstitution(server.db, { type: 'federal_agency', name: 'Cancillería de la prueba' });
  consulate = await makeInstitution(server.db, { type: 'consulate', name: 'Consulado de la prueba en Phoenix', country: 'USA', state_code: null, parent_id: ministry.id });
  const other = await makeInstitution(server.db, { type: 'consulate', country: 'USA', state_code: null });
  const user = await makeUser(server.db, consulate.id, 'caseworker');
  workerId = user.id;
  worker = await ApiClient.forSession(server, user.email);
  colleague = await ApiClient.forSession(server, (await makeUser(server.db, consulate.id, 'caseworker')).email, 'en');
  head = await ApiClient.forSession(server, (await makeUser(server.db, consulate.id, 'supervisor')).email);
  outsider = await ApiClient.forSession(server, (await makeUser(server.db, other.id, 'supervisor')).email);
  analyst = await ApiClient.forSession(server, (await makeUser(server.db, ministry.id, 'analyst')).email);
});
afterAll(async () => server?.close());

const workshop = (overrides: Record<string, unknown> = {}) => ({
  title: 'Taller: tus derechos en el trabajo',
  kind: 'workshop',
  topic: 'rights',
  programme: 'women_support',
  held_on: yesterday,
  country: 'USA',
  city: 'Phoenix',
  venue: 'Parroquia de San Juan',
  attendance: [
    { sex: 'female', age_band: '18-29', attendees: 12 },
    { sex: 'female', age_band: '30-59', attendees: 20 },
    { sex: 'male', age_band: '30-59', attendees: 8 },
  ],
  ...overrides,
});

async function recorded(client: ApiClient = worker, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await client.post('/api/v1/outreach/events', workshop(overrides));
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const eventsOf = async (institutionId: string) => Number((await server.db.selectFrom('outreach_events').select((eb) => eb.fn.countAll<string>().as('n')).where('institution_id', '=', institutionId).executeTakeFirstOrThrow()).n);

describe('recording an event', () => {
  it('records the event with its place, topic and attendance, and lists it with its total', async () => {
    const id = await recorded();
    const view = await worker.get(`/api/v1/outreach/events/${id}`);
    expect(view.status, view.text).toBe(200);
    expect(view.body).toMatchObject({ title: 'Taller: tus derechos en el trabajo', kind: 'workshop', topic: 'rights', country: 'USA', city: 'Phoenix', state_code: null, attendees_total: 40, can_edit: true, institution: { id: consulate.id } });
    expect(view.body.attendance).toHaveLength(3);
    const list = await worker.get(`/api/v1/outreach/events?from=${yesterday}&to=${yesterday}&topic=rights`);
    expect(list.body.items.find((e: { id: string }) => e.id === id)).toMatchObject({ attendees_total: 40 });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'detail']).where('record_id', '=', id).where('actor_user_id', '=', workerId).execute();
    expect(audit.map((a) => a.action)).toContain('outreach.event_recorded');
  });

  it('places an event in Mexico by state and municipality', async () => {
    const id = await recorded(worker, { country: 'MEX', state_code: '26', municipality_code: '26030', city: null, kind: 'mobile_consulate' });
    expect((await worker.get(`/api/v1/outreach/events/${id}`)).body).toMatchObject({ country: 'MEX', state_code: '26', municipality_code: '26030', city: null });
  });

  it('refuses a bad place, a repeated or premature attendance and unknown words with a code and a translated message, writing nothing', async () => {
    const before = await eventsOf(consulate.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ country: 'MEX', city: null }, 'outreach_place_invalid'],
      [{ state_code: '02' }, 'outreach_place_invalid'],
      [{ country: 'MEX', state_code: '26', municipality_code: '02001', city: null }, 'outreach_place_invalid'],
      [{ city: null }, 'outreach_place_invalid'],
      [{ attendance: [{ sex: 'female', age_band: '60+', attendees: 3 }, { sex: 'female', age_band: '60+', attendees: 2 }] }, 'outreach_attendance_repeated'],
      [{ held_on: isoDaysAfter(today, 10) }, 'outreach_attendance_before_event'],
      [{ held_on: '1999-12-31' }, 'outreach_date_out_of_range'],
      [{ topic: 'astrology' }, 'validation_failed'],
      [{ attendance: [{ sex: 'female', age_band: '18-29', attendees: 0 }] }, 'validation_failed'],
    ];
    for (const [overrides, code] of cases) {
      const res = await worker.post('/api/v1/outreach/events', workshop(overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toBeTruthy();
    }
    const english = await colleague.post('/api/v1/outreach/events', workshop({ country: 'MEX', city: null }));
    expect(english.body.message).toContain('in Mexico give the state');
    expect(await eventsOf(consulate.id)).toBe(before);
    // An event still to come is recorded without attendance.
    expect((await worker.post('/api/v1/outreach/events', workshop({ held_on: isoDaysAfter(today, 10), attendance: [] }))).status).toBe(201);
  });
});

describe('correcting and deleting', () => {
  it('lets the author and a supervisor correct, not a colleague; another institution does not see the event', async () => {
    const id = await recorded();
    const corrected = await worker.patch(`/api/v1/outreach/events/${id}`, { topic: 'violence_prevention', attendance: [{ sex: 'female', age_band: '18-29', attendees: 15 }] });
    expect(corrected.status, corrected.text).toBe(204);
    const view = await worker.get(`/api/v1/outreach/events/${id}`);
    expect(view.body).toMatchObject({ topic: 'violence_prevention', attendees_total: 15, title: 'Taller: tus derechos en el trabajo' });
    const byColleague = await colleague.patch(`/api/v1/outreach/events/${id}`, { title: 'Otro título' });
    expect(byColleague.status).toBe(403);
    expect(byColleague.body.code).toBe('outreach_not_author');
    expect((await colleague.get(`/api/v1/outreach/events/${id}`)).body.can_edit).toBe(false);
    expect((await head.patch(`/api/v1/outreach/events/${id}`, { title: 'Taller corregido por la titular' })).status).toBe(204);
    expect((await outsider.get(`/api/v1/outreach/events/${id}`)).status).toBe(404);
    expect((await outsider.patch(`/api/v1/outreach/events/${id}`, { title: 'x' })).status).toBe(404);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'detail']).where('record_id', '=', id).execute();
    const correction = audit.find((a) => a.action === 'outreach.event_corrected');
    expect(correction?.detail).toMatchObject({ fields: ['topic', 'attendance'], attendees_before: 40, attendees_after: 15 });
    expect(audit.map((a) => a.action)).toContain('outreach.access_denied');
    // A move to Mexico without a state is refused and changes nothing.
    expect((await worker.patch(`/api/v1/outreach/events/${id}`, { country: 'MEX' })).body.code).toBe('outreach_place_invalid');
    expect((await worker.get(`/api/v1/outreach/events/${id}`)).body.country).toBe('USA');
  });

  it('deletes with a reason: the event stays recorded and leaves the list', async () => {
    const id = await recorded();
    expect((await worker.post(`/api/v1/outreach/events/${id}/delete`, {})).status).toBe(400);
    expect((await colleague.post(`/api/v1/outreach/events/${id}/delete`, { reason: 'Duplicado' })).status).toBe(403);
    expect((await worker.post(`/api/v1/outreach/events/${id}/delete`, { reason: 'Registrado dos veces' })).status).toBe(204);
    expect((await worker.get(`/api/v1/outreach/events/${id}`)).status).toBe(404);
    const list = await worker.get('/api/v1/outreach/events?limit=100');
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
    const row = await server.db.selectFrom('outreach_events').select(['deletion_reason', 'deleted_by']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ deletion_reason: 'Registrado dos veces', deleted_by: workerId });
  });
});

describe('the people who attended', () => {
  it('records a person the staff may see, once, and shows them only to those who read people (audited)', async () => {
    const id = await recorded();
    const person = await worker.post('/api/v1/people', personBody({ given_names: 'Asistente', surname1: 'De Seguimiento', sex: 'female' }));
    expect(person.status, person.text).toBe(201);
    expect((await worker.post(`/api/v1/outreach/events/${id}/attendees`, { person_id: person.body.id })).status).toBe(204);
    const twice = await worker.post(`/api/v1/outreach/events/${id}/attendees`, { person_id: person.body.id });
    expect([twice.status, twice.body.code]).toEqual([409, 'outreach_attendee_exists']);
    const stranger = await outsider.post('/api/v1/people', personBody({ given_names: 'Persona', surname1: 'Ajena' }));
    const notVisible = await worker.post(`/api/v1/outreach/events/${id}/attendees`, { person_id: stranger.body.id });
    expect([notVisible.status, notVisible.body.code]).toEqual([400, 'person_not_visible']);
    const view = await worker.get(`/api/v1/outreach/events/${id}`);
    expect(view.body.attendees).toMatchObject([{ person_id: person.body.id, name: 'Asistente De Seguimiento' }]);
    const reads = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', id).where('actor_user_id', '=', workerId).execute();
    expect(reads.map((r) => r.action)).toEqual(expect.arrayContaining(['outreach.attendee_added', 'outreach.attendees_read']));
    expect((await worker.request('DELETE', `/api/v1/outreach/events/${id}/attendees/${person.body.id}`)).status).toBe(204);
    expect((await worker.get(`/api/v1/outreach/events/${id}`)).body.attendees).toEqual([]);
  });
});

describe("the unit's dashboard", () => {
  it("shows the head this period's events, attendance and case files; not a caseworker", async () => {
    const before = (await head.get('/api/v1/outreach/dashboard?period=year')).body;
    await recorded(head, { held_on: today, topic: 'health', attendance: [{ sex: 'female', age_band: '60+', attendees: 7 }] });
    const after = await head.get('/api/v1/outreach/dashboard?period=year');
    expect(after.status, after.text).toBe(200);
    expect(after.body.institution).toMatchObject({ type: 'consulate' });
    expect(after.body.events.held).toBe(before.events.held + 1);
    expect(after.body.events.attendees).toBe(before.events.attendees + 7);
    expect(after.body.events.by_topic.health).toBe((before.events.by_topic.health ?? 0) + 1);
    expect(after.body.events.recent[0]).toMatchObject({ held_on: today, attendees_total: 7 });
    expect((await worker.get('/api/v1/outreach/dashboard')).status).toBe(403);
  });
});

/** The exact count behind a figure (before disclosure control), by one dimension. */
async function exact(indicator: string, institution: string, by: DimensionKey[] = [], from = '2000-01-01', to = today) {
  const filters = await resolveFilters(server.db, { institutionIds: null }, { institution });
  const cube = await computeCube(server.db, indicatorByKey.get(indicator)!, by, ageBands(DEFAULT_AGE_BANDS), baseContext({ from, to }, filters));
  return new Map(cube.cells.map((c) => [c.coords.join('|') || TOTAL, c.value]));
}

describe('statistics', () => {
  it('counts events as recorded and publishes attendance through disclosure control: a small cell is withheld and cannot be subtracted out', async () => {
    const unit = await makeInstitution(server.db, { type: 'consulate', country: 'USA', state_code: null, parent_id: (await server.db.selectFrom('institutions').select('parent_id').where('id', '=', consulate.id).executeTakeFirstOrThrow()).parent_id! });
    const staff = await ApiClient.forSession(server, (await makeUser(server.db, unit.id, 'caseworker')).email);
    const day = isoDaysAfter(today, -3);
    await recorded(staff, { held_on: day, topic: 'documents', attendance: [{ sex: 'female', age_band: '30-59', attendees: 31 }, { sex: 'male', age_band: '30-59', attendees: 22 }, { sex: 'female', age_band: '60+', attendees: 2 }] });
    await recorded(staff, { held_on: day, topic: 'health', kind: 'fair', attendance: [{ sex: 'female', age_band: '18-29', attendees: 40 }] });
    const counted = await exact('outreach_attendees', unit.code, ['sex', 'attendance_age'], day, day);
    expect(counted.get('female|60+')).toBe(2);

    const q = (indicator: string, by: string) => analyst.get(`/api/v1/statistics/query?indicator=${indicator}&from=${day}&to=${day}&institution=${unit.code}&by=${by}`);
    const events = await q('outreach_events', 'topic');
    expect(events.status, events.text).toBe(200);
    expect(events.body.total.value).toBe(2);
    expect(events.body.cells.find((c: any) => c.key.topic === 'documents').value).toBe(1);

    const attendance = await q('outreach_attendees', 'sex,attendance_age');
    expect(attendance.status, attendance.text).toBe(200);
    const cellOf = (sex: string | null, band: string | null) => attendance.body.cells.find((c: any) => c.key.sex === sex && c.key.attendance_age === band);
    expect(cellOf('female', '60+')).toMatchObject({ value: null, suppressed: true, suppression: 'primary' });
    // Every published figure is a multiple of 5; the line of the hidden cell hides a second one, so
    // neither the women's total nor the 60+ total gives the 2 by subtraction.
    const shown = [...attendance.body.cells, attendance.body.total].filter((c: any) => !c.suppressed);
    expect(shown.every((c: any) => c.value % 5 === 0)).toBe(true);
    const womenLine = attendance.body.cells.filter((c: any) => c.key.sex === 'female');
    expect(womenLine.filter((c: any) => c.suppressed).length).toBeGreaterThanOrEqual(2);
    // Asking for a smaller threshold is refused.
    const lower = await analyst.get(`/api/v1/statistics/query?indicator=outreach_attendees&from=${day}&to=${day}&institution=${unit.code}&min_cell=2`);
    expect([lower.status, lower.body.code]).toEqual([400, 'statistics_min_cell_too_low']);
    // The period with and without the day differs by 0 or a multiple of 5: no pair of queries isolates the cell.
    const a = (await analyst.get(`/api/v1/statistics/query?indicator=outreach_attendees&from=${isoDaysAfter(day, -30)}&to=${day}&institution=${unit.code}`)).body.total.value;
    const b = (await analyst.get(`/api/v1/statistics/query?indicator=outreach_attendees&from=${isoDaysAfter(day, -30)}&to=${isoDaysAfter(day, -1)}&institution=${unit.code}`)).body.total.value;
    expect((a - b) % 5).toBe(0);
    // By month: the period's events in their month.
    const byMonth = await q('outreach_events', 'month');
    expect(byMonth.body.dimensions[0].values[0]).toMatchObject({ value: day.slice(0, 7) });
    // The report lists events and attendees by topic, the attendance as published.
    const report = await analyst.get(`/api/v1/statistics/report?from=${day}&to=${day}&format=json`);
    expect(report.status, report.text.slice(0, 300)).toBe(200);
    const tables = report.body.sections.flatMap((section: any) => section.tables).filter((t: any) => t.title === 'Eventos de difusión y asistentes por tema');
    const documents = tables.flatMap((t: any) => t.rows).find((r: any) => r.label === 'Documentos de identidad y registro civil');
    expect(documents.cells[0].value).toBeGreaterThanOrEqual(1);
    expect(documents.cells[1].value % 5).toBe(0);
  });

  it('counts screenings, flags, referrals made and accepted by instrument, and publishes them only through disclosure control', async () => {
    const shelter = await makeInstitution(server.db, { type: 'shelter', state_code: '07' });
    const receiving = await makeInstitution(server.db, { type: 'state_agency' });
    const cw = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'caseworker')).email);
    const receiver = await ApiClient.forSession(server, (await makeUser(server.db, receiving.id, 'supervisor')).email);
    const shelterAnalyst = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'analyst')).email);
    const person = await cw.post('/api/v1/people', personBody({ sex: 'female', nationalities: ['HND'] }));
    const opened = await cw.post('/api/v1/cases', { programme: 'shelter', opened_on: today, participants: [{ person_id: person.body.id, role: 'applicant' }] });
    expect(opened.status, opened.text).toBe(201);
    const started = await cw.post(`/api/v1/cases/${opened.body.id}/screenings`, { instrument: 'violence_women', person_id: person.body.id });
    const answers = { physical: 'yes', sexual: 'yes', psychological: 'no', economic: 'no', within_72h: 'no' };
    await cw.request('PUT', `/api/v1/screenings/${started.body.id}/answers`, { answers: Object.entries(answers).map(([question_id, value]) => ({ question_id, value })) });
    expect((await cw.post(`/api/v1/screenings/${started.body.id}/complete`)).status).toBe(200);
    const referred = await cw.post(`/api/v1/screenings/${started.body.id}/referrals`, { suggestion_id: 'women_support', to_institution_id: receiving.id, consent_recorded_on: today, consent_method: 'verbal', shared_sections: ['services'] });
    expect(referred.status, referred.text).toBe(201);
    expect((await receiver.post(`/api/v1/referrals/${referred.body.referral_id}/accept`, { programme: 'women_support' })).status).toBe(200);

    const given = await exact('screenings_given', shelter.code, ['instrument', 'sex']);
    expect(given.get('violence_women|female')).toBe(1);
    const flags = await exact('screening_flags', shelter.code, ['flag']);
    expect([flags.get('violence_women:sexual_violence'), flags.get('violence_women:violence'), flags.get(TOTAL)]).toEqual([1, 1, 2]);
    expect((await exact('screening_referrals', shelter.code, ['nationality'])).get('HND')).toBe(1);
    expect((await exact('screening_referrals_accepted', shelter.code, ['instrument'])).get('violence_women')).toBe(1);

    for (const indicator of ['screenings_given', 'screening_flags', 'screening_referrals', 'screening_referrals_accepted']) {
      const res = await shelterAnalyst.get(`/api/v1/statistics/query?indicator=${indicator}&from=${today}&to=${today}&by=instrument,state`);
      expect(res.status, res.text).toBe(200);
      // One woman screened: every cell about her is withheld.
      expect(res.body.cells.filter((c: any) => c.key.instrument === 'violence_women').every((c: any) => c.suppressed)).toBe(true);
      expect(res.body.total.suppressed).toBe(true);
    }
  });

  it('keeps the consulate of a consular protection case file, also when a referral carries it to Mexico', async () => {
    const mexico = await makeInstitution(server.db, { type: 'federal_agency' });
    const receiver = await ApiClient.forSession(server, (await makeUser(server.db, mexico.id, 'supervisor')).email);
    const person = await head.post('/api/v1/people', personBody({ sex: 'female', nationalities: ['MEX'] }));
    const opened = await head.post('/api/v1/cases', { programme: 'consular_protection', opened_on: today, participants: [{ person_id: person.body.id, role: 'direct_victim' }] });
    expect(opened.status, opened.text).toBe(201);
    const referral = await head.post(`/api/v1/cases/${opened.body.id}/referrals`, { to_institution_id: mexico.id, reason: 'Atención a víctimas en México', consent_recorded_on: today, consent_method: 'written', shared_sections: ['services'] });
    expect(referral.status, referral.text).toBe(201);
    expect((await receiver.post(`/api/v1/referrals/${referral.body.id}/accept`, { programme: 'victim_assistance' })).status).toBe(200);
    expect((await exact('case_files_opened', consulate.code, ['consulate'])).get(consulate.code)).toBeGreaterThanOrEqual(1);
    const inMexico = await exact('case_files_opened', (await server.db.selectFrom('institutions').select('code').where('id', '=', mexico.id).executeTakeFirstOrThrow()).code, ['consulate', 'programme']);
    expect(inMexico.get(`${consulate.code}|victim_assistance`)).toBe(1);
  });
});
