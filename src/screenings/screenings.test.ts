import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { personBody } from '../../test/fixtures.ts';
import { shippedDefinitions } from './instrument.service.ts';

/**
 * Screenings through HTTP on a real PostgreSQL: each rule of each shipped instrument (every flag raised
 * by its answers and by no other), skip logic, saving as one goes, encrypted free text, a new version
 * that leaves old answers readable, and a suggestion turned into a referral that is accepted.
 */

let server: TestServer;
let caseworker: ApiClient;
let outsider: ApiClient;
let receiver: ApiClient;
let admin: ApiClient;
let receiving: { id: string };

beforeAll(async () => {
  server = await startTestServer();
  const shelter = await makeInstitution(server.db, { type: 'shelter' });
  receiving = await makeInstitution(server.db, { type: 'federal_agency', name: 'Comisión receptora de la prueba' });
  const other = await makeInstitution(server.db, { type: 'shelter' });
  caseworker = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'caseworker')).email);
  outsider = await ApiClient.forSession(server, (await makeUser(server.db, other.id, 'supervisor')).email);
  receiver = await ApiClient.forSession(server, (await makeUser(server.db, receiving.id, 'supervisor')).email);
  const adminUser = await makeUser(server.db, shelter.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', adminUser.id).execute();
  admin = await ApiClient.forSession(server, adminUser.email);
});
afterAll(async () => server?.close());

type Answers = Record<string, string | number | string[]>;

/** A new person in a new case of the caseworker's, with a screening started under `instrument`. */
async function started(instrument: string, person: Record<string, unknown> = {}) {
  const p = await caseworker.post('/api/v1/people', personBody(person));
  expect(p.status, p.text).toBe(201);
  const c = await caseworker.post('/api/v1/cases', { programme: 'shelter', opened_on: '2025-01-10', participants: [{ person_id: p.body.id, role: 'applicant' }] });
  expect(c.status, c.text).toBe(201);
  const s = await caseworker.post(`/api/v1/cases/${c.body.id}/screenings`, { instrument, person_id: p.body.id });
  expect(s.status, s.text).toBe(201);
  return { screeningId: s.body.id as string, caseId: c.body.id as string, personId: p.body.id as string };
}

async function answer(screeningId: string, answers: Record<string, unknown>) {
  return caseworker.request('PUT', `/api/v1/screenings/${screeningId}/answers`, { answers: Object.entries(answers).map(([question_id, value]) => ({ question_id, value })) });
}

/** Answers that say no risk where "no" would say one ("can you leave when you want?"). */
const reassuring: Record<string, Answers> = { trafficking_indicators: { free_to_leave: 'yes' } };

/** Screens with these answers (the required ones not given answered reassuringly: "no" or the last option) and returns the result. */
async function screened(instrument: string, answers: Answers) {
  const { screeningId } = await started(instrument);
  const definition = shippedDefinitions().find((d) => d.code === instrument)!;
  const defaults: Answers = { ...reassuring[instrument] };
  for (const q of definition.questions) if (q.required && !(q.id in answers) && !(q.id in defaults)) defaults[q.id] = q.type === 'yes_no' ? 'no' : q.options![q.options!.length - 1]!.value;
  const saved = await answer(screeningId, { ...defaults, ...answers });
  expect(saved.status, saved.text).toBe(204);
  const done = await caseworker.post(`/api/v1/screenings/${screeningId}/complete`);
  expect(done.status, done.text).toBe(200);
  const view = await caseworker.get(`/api/v1/screenings/${screeningId}`);
  expect(view.status, view.text).toBe(200);
  return { screeningId, view: view.body, flags: Object.fromEntries(view.body.result.flags.map((f: { id: string; because: string[] }) => [f.id, f.because])) as Record<string, string[]> };
}

/** For each instrument: answers, and exactly the flags they raise with the questions that raised each. */
const rules: Record<string, { answers: Answers; flags: Record<string, string[]> }[]> = {
  trafficking_indicators: [
    { answers: {}, flags: {} },
    { answers: { forced: 'yes', forced_kinds: ['labour'] }, flags: { exploitation: ['forced'] } },
    { answers: { paid: 'none' }, flags: { exploitation: ['paid'] } },
    { answers: { paid: 'partial' }, flags: {} },
    { answers: { threats: 'yes' }, flags: { control: ['threats'] } },
    { answers: { documents_held: 'yes', free_to_leave: 'no' }, flags: { control: ['documents_held', 'free_to_leave'] } },
    { answers: { documents_held: 'yes' }, flags: {} },
    { answers: { debt: 'yes', debt_grows: 'yes', documents_held: 'yes' }, flags: { control: ['documents_held', 'debt_grows'] } },
    { answers: { job_offer: 'yes', deceived: 'yes' }, flags: { deception: ['deceived'] } },
    // Skip logic: "deceived" is not asked without a job offer, so its answer counts for nothing.
    { answers: { job_offer: 'no', deceived: 'yes', debt: 'no', debt_grows: 'yes', documents_held: 'yes' }, flags: {} },
  ],
  violence_women: [
    { answers: {}, flags: {} },
    { answers: { sexual: 'yes', within_72h: 'no' }, flags: { sexual_violence: ['sexual'] } },
    { answers: { sexual: 'yes', within_72h: 'yes' }, flags: { sexual_violence: ['sexual'], urgent_care: ['within_72h'] } },
    { answers: { physical: 'yes' }, flags: { violence: ['physical'] } },
    { answers: { psychological: 'yes', economic: 'yes' }, flags: { violence: ['psychological', 'economic'] } },
    { answers: { economic: 'yes', danger_now: 'yes' }, flags: { violence: ['economic'] } },
    { answers: { psychological: 'yes', danger_now: 'yes' }, flags: { violence: ['psychological'], danger: ['danger_now'] } },
    { answers: { physical: 'declined', sexual: 'declined' }, flags: {} },
  ],
  international_protection: [
    { answers: {}, flags: {} },
    { answers: { fear_return: 'yes', reasons: ['gangs'] }, flags: { refugee: ['fear_return', 'reasons'] } },
    { answers: { fear_return: 'yes', targeted: 'yes', reasons: ['economic'] }, flags: { refugee: ['fear_return', 'targeted'] } },
    { answers: { fear_return: 'yes', reasons: ['economic'], targeted: 'no' }, flags: {} },
    { answers: { torture_risk: 'yes' }, flags: { complementary: ['torture_risk'] } },
    { answers: { fear_return: 'yes', applied_comar: 'no', days_in_mexico: 45 }, flags: { deadline: ['fear_return', 'applied_comar', 'days_in_mexico'] } },
    { answers: { fear_return: 'yes', applied_comar: 'no', days_in_mexico: 10 }, flags: {} },
    { answers: { fear_return: 'no', applied_comar: 'no', days_in_mexico: 45 }, flags: {} },
  ],
  child_vulnerability: [
    { answers: { travelling_with: 'parent' }, flags: {} },
    { answers: { travelling_with: 'alone', contact_family: 'yes' }, flags: { unaccompanied: ['travelling_with'] } },
    { answers: { travelling_with: 'unrelated_adult', contact_family: 'no' }, flags: { unaccompanied: ['travelling_with'], tracing: ['contact_family'] } },
    { answers: { travelling_with: 'relative', contact_family: 'no' }, flags: {} },
    { answers: { travelling_with: 'parent', harmed: 'yes' }, flags: { harm: ['harmed'] } },
    { answers: { travelling_with: 'parent', working: 'yes' }, flags: { harm: ['working'] } },
    { answers: { travelling_with: 'parent', health: 'yes' }, flags: { health: ['health'] } },
    { answers: { travelling_with: 'parent', fear_return: 'yes' }, flags: { protection_need: ['fear_return'] } },
  ],
};

describe('every rule of every shipped instrument', () => {
  it('covers every flag of every shipped instrument', () => {
    for (const d of shippedDefinitions()) {
      expect(Object.keys(rules), 'an instrument without rule tests').toContain(d.code);
      const tested = new Set(rules[d.code]!.flatMap((r) => Object.keys(r.flags)));
      expect([...tested].sort(), d.code).toEqual(d.flags.map((f) => f.id).sort());
    }
  });

  for (const [instrument, cases] of Object.entries(rules)) {
    it(`${instrument}: each flag raised by its answers, with them as its reasons, and by no other`, async () => {
      for (const rule of cases) {
        const { flags, view } = await screened(instrument, rule.answers);
        expect(flags, JSON.stringify(rule.answers)).toEqual(rule.flags);
        const definition = shippedDefinitions().find((d) => d.code === instrument)!;
        const suggested = definition.referrals.filter((r) => r.flags.some((f) => f in rule.flags)).map((r) => r.id);
        expect(view.result.suggestions.map((s: { id: string }) => s.id)).toEqual(suggested);
      }
    });
  }
});

describe('giving a screening', () => {
  it('saves as one goes, resumes, refuses to finish with required questions open, and drops answers the skip logic left out', async () => {
    const { screeningId } = await started('trafficking_indicators');
    expect((await answer(screeningId, { job_offer: 'yes', deceived: 'yes' })).status).toBe(204);
    const resumed = await caseworker.get(`/api/v1/screenings/${screeningId}`);
    expect(resumed.body.answers).toEqual([
      { question_id: 'job_offer', value: 'yes' },
      { question_id: 'deceived', value: 'yes' },
    ]);
    expect(resumed.body.result.visible).toContain('deceived');
    const early = await caseworker.post(`/api/v1/screenings/${screeningId}/complete`);
    expect(early.status).toBe(400);
    expect(early.body.code).toBe('screening_incomplete');
    expect(early.body.details.missing).toEqual(['documents_held', 'debt', 'free_to_leave', 'threats', 'forced', 'paid']);
    // Changing an earlier answer hides a later question; its answer no longer counts and is dropped on completion.
    expect((await answer(screeningId, { job_offer: 'no', documents_held: 'no', debt: 'no', free_to_leave: 'yes', threats: 'no', forced: 'no', paid: 'full' })).status).toBe(204);
    expect((await caseworker.post(`/api/v1/screenings/${screeningId}/complete`)).body).toEqual({ flags: [] });
    const done = await caseworker.get(`/api/v1/screenings/${screeningId}`);
    expect(done.body.status).toBe('completed');
    expect(done.body.answers.map((a: { question_id: string }) => a.question_id)).not.toContain('deceived');
    const late = await answer(screeningId, { threats: 'yes' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('screening_completed');
  });

  it('refuses answers that do not fit their question', async () => {
    const { screeningId } = await started('international_protection');
    for (const [question_id, value] of [['fear_return', 'maybe'], ['reasons', ['political', 'political']], ['days_in_mexico', -1], ['days_in_mexico', 'ten'], ['no_such_question', 'yes'], ['reasons', ['aliens']]] as const) {
      const res = await answer(screeningId, { [question_id]: value });
      expect(res.status, `${question_id}=${JSON.stringify(value)}`).toBe(400);
      expect(res.body.code).toBe('screening_answer_invalid');
    }
    const view = await caseworker.get(`/api/v1/screenings/${screeningId}`);
    expect(view.body.answers).toEqual([]);
  });

  it('keeps free-text answers encrypted at rest', async () => {
    const { screeningId } = await started('violence_women');
    const secret = 'Me retuvieron en Tenosique SECRETO-TEXTO-LIBRE';
    expect((await answer(screeningId, { observations: secret })).status).toBe(204);
    const stored = await server.db.selectFrom('screening_answers').selectAll().where('screening_id', '=', screeningId).executeTakeFirstOrThrow();
    expect(stored.value).toBeNull();
    expect(stored.text_enc).toBeTruthy();
    expect(stored.text_enc).not.toContain('SECRETO');
    const view = await caseworker.get(`/api/v1/screenings/${screeningId}`);
    expect(view.body.answers).toEqual([{ question_id: 'observations', value: secret }]);
  });

  it("asks in the person's language where the instrument has it", async () => {
    const english = await started('violence_women', { languages: ['eng'] });
    expect((await caseworker.get(`/api/v1/screenings/${english.screeningId}`)).body.language).toBe('en');
    const creole = await started('violence_women', { languages: ['hat'] });
    // No Haitian Creole text yet: the language of the one asking (Spanish here).
    expect((await caseworker.get(`/api/v1/screenings/${creole.screeningId}`)).body.language).toBe('es');
    const p = await caseworker.post('/api/v1/people', personBody());
    const c = await caseworker.post('/api/v1/cases', { programme: 'shelter', opened_on: '2025-01-10', participants: [{ person_id: p.body.id, role: 'applicant' }] });
    const refused = await caseworker.post(`/api/v1/cases/${c.body.id}/screenings`, { instrument: 'violence_women', person_id: p.body.id, language: 'ht' });
    expect(refused.body.code).toBe('screening_language_unavailable');
  });

  it("is seen only by those who keep the case, and every read is audited", async () => {
    const { screeningId, caseId } = await started('child_vulnerability');
    const denied = await outsider.get(`/api/v1/screenings/${screeningId}`);
    expect(denied.status).toBe(404);
    expect((await outsider.get(`/api/v1/cases/${caseId}/screenings`)).status).toBe(404);
    const list = await caseworker.get(`/api/v1/cases/${caseId}/screenings`);
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([screeningId]);
    await caseworker.get(`/api/v1/screenings/${screeningId}`);
    const audit = await server.db.selectFrom('audit_log').select(['action']).where('record_id', '=', screeningId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['screening.started', 'screening.read', 'screening.access_denied']));
  });
});

describe('suggestions turned into referrals', () => {
  it('refers in one step with consent recorded; the receiving institution accepts', async () => {
    const { screeningId, view } = await screened('international_protection', { fear_return: 'yes', reasons: ['political'], torture_risk: 'no', applied_comar: 'no' });
    const comar = view.result.suggestions.find((s: { id: string }) => s.id === 'comar');
    expect(comar.destinations.map((d: { institution_id: string }) => d.institution_id)).toContain(receiving.id);
    const unknown = await caseworker.post(`/api/v1/screenings/${screeningId}/referrals`, { suggestion_id: 'safe_shelter', to_institution_id: receiving.id, consent_recorded_on: '2025-01-11', consent_method: 'verbal', shared_sections: ['services'] });
    expect(unknown.body.code).toBe('screening_suggestion_unknown');
    const referred = await caseworker.post(`/api/v1/screenings/${screeningId}/referrals`, { suggestion_id: 'comar', to_institution_id: receiving.id, consent_recorded_on: '2025-01-11', consent_method: 'verbal', shared_sections: ['services'] });
    expect(referred.status, referred.text).toBe(201);
    const stored = await server.db.selectFrom('referrals').select(['consent_method', 'consent_recorded_on', 'reason']).where('id', '=', referred.body.referral_id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ consent_method: 'verbal', consent_recorded_on: '2025-01-11' });
    expect(stored.reason).toContain('COMAR');
    const accepted = await receiver.post(`/api/v1/referrals/${referred.body.referral_id}/accept`, { programme: 'legal_aid' });
    expect(accepted.status, accepted.text).toBe(200);
    const after = await caseworker.get(`/api/v1/screenings/${screeningId}`);
    expect(after.body.referrals).toMatchObject([{ suggestion_id: 'comar', referral_id: referred.body.referral_id, status: 'accepted' }]);
  });

  it('refers only from a finished screening', async () => {
    const { screeningId } = await started('violence_women');
    await answer(screeningId, { sexual: 'yes' });
    const res = await caseworker.post(`/api/v1/screenings/${screeningId}/referrals`, { suggestion_id: 'health_care', to_institution_id: receiving.id, consent_recorded_on: '2025-01-11', consent_method: 'verbal', shared_sections: ['services'] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('screening_not_completed');
  });
});

describe('instrument versions', () => {
  it('a new version leaves the answers given under the old one readable with their own questions and flags', async () => {
    const code = `prueba_${Date.now()}`;
    const v1 = { ...shippedDefinitions().find((d) => d.code === 'violence_women')!, code, version: 1 };
    expect((await caseworker.post('/api/v1/screenings/instruments', v1)).status).toBe(403);
    expect((await admin.post('/api/v1/screenings/instruments', v1)).status).toBe(201);
    const old = await started(code);
    await answer(old.screeningId, { physical: 'yes', sexual: 'no', psychological: 'no', economic: 'no' });
    expect((await caseworker.post(`/api/v1/screenings/${old.screeningId}/complete`)).body).toEqual({ flags: ['violence'] });

    // Version 2 drops the "physical" question and its flag's condition changes.
    const v2 = {
      ...v1,
      version: 2,
      questions: v1.questions.filter((q) => q.id !== 'physical' && q.id !== 'aggressor' && q.id !== 'danger_now'),
      flags: v1.flags.filter((f) => f.id !== 'danger').map((f) => (f.id === 'violence' ? { ...f, when: { question: 'economic', equals: 'yes' } } : f)),
      referrals: v1.referrals.filter((r) => r.id !== 'safe_shelter').map((r) => ({ ...r, flags: r.flags.filter((f) => f !== 'danger') })),
    };
    expect((await admin.post('/api/v1/screenings/instruments', v2)).status).toBe(201);
    const again = await admin.post('/api/v1/screenings/instruments', v2);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('screening_version_exists');

    const kept = await caseworker.get(`/api/v1/screenings/${old.screeningId}`);
    expect(kept.body.instrument).toMatchObject({ version: 1, latest_version: 2 });
    expect(kept.body.definition.questions.map((q: { id: string }) => q.id)).toContain('physical');
    expect(kept.body.answers).toContainEqual({ question_id: 'physical', value: 'yes' });
    expect(kept.body.result.flags).toEqual([{ id: 'violence', severity: 'medium', because: ['physical'] }]);

    const fresh = await started(code);
    const view = await caseworker.get(`/api/v1/screenings/${fresh.screeningId}`);
    expect(view.body.instrument.version).toBe(2);
    expect((await answer(fresh.screeningId, { physical: 'yes' })).body.code).toBe('screening_answer_invalid');

    const listed = await caseworker.get('/api/v1/screenings/instruments');
    expect(listed.body.find((i: { code: string }) => i.code === code).versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('refuses a definition whose parts do not fit, listing the problems', async () => {
    const base = shippedDefinitions().find((d) => d.code === 'child_vulnerability')!;
    const broken = { ...base, code: `rota_${Date.now()}`, flags: [{ ...base.flags[0]!, when: { question: 'no_such_question', equals: 'yes' } }], referrals: [] };
    const res = await admin.post('/api/v1/screenings/instruments', broken);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('screening_definition_invalid');
    expect(res.body.details.problems).toEqual(['flags.unaccompanied.when: no question "no_such_question"']);
    const malformed = await admin.post('/api/v1/screenings/instruments', { ...base, code: 'Mayúsculas' });
    expect(malformed.status).toBe(400);
  });
});
