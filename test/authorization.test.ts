import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, startTestServer, uniqueCode, TEST_PASSWORD, type TestServer } from './helpers.ts';
import { actorKeys, roleOf, buildWorld, caseOneMarkers, caseTwoPrivateMarkers, caseTwoSharedMarkers, complaintOneMarkers, complaintTwoMarkers, leaked, childMarkers, missingMarkers, missingReportBody, foundRecordBody, markerList, operatorComplaintBody, personBody, type ActorKey, type WorldActor, type World } from './fixtures.ts';
import { buildApp, registerModules } from '../src/platform/http/app.ts';
import { modules } from '../src/modules.ts';
import { translate, type MessageKey } from '../src/platform/i18n/messages.ts';
import { capabilities, rolesWith, type Capability } from '../src/platform/auth/policy.ts';
import { roles } from '../src/users/user.service.ts';
import { shelterBody } from '../src/directory/testing/samples.ts';

/**
 * Walks every /api/v1 endpoint with every role of two institutions and an anonymous caller, against
 * an explicit table of expected statuses; checks that nobody receives what they are not entitled to,
 * that refusals of another institution's records are 404 and audited, and that every error is JSON in
 * the caller's language.
 */

let server: TestServer;
let w: World;

beforeAll(async () => {
  server = await startTestServer();
  w = await buildWorld(server);
});
afterAll(async () => server?.close());

type Call = { path: string; body?: unknown; raw?: { data: string | Uint8Array; contentType: string }; headers?: Record<string, string>; client?: ApiClient };

type RouteSpec = {
  /** The request, built per actor (fresh records where the call would otherwise change the next one). */
  call: (actor: WorldActor) => Call | Promise<Call>;
  /** Expected status by actor: keys are space-separated actor keys, or `rest` for everyone else. */
  expect: Record<string, number>;
  /** Actors entitled to case one and its person (or to `entitledTo`), whose responses may carry those markers. */
  entitled?: ActorKey[];
  /** The markers the `entitled` actors may receive here (case one's unless said), or per actor. */
  entitledTo?: readonly string[] | ((actor: ActorKey) => readonly string[]);
  /** Why an expected 404 here is not a refused record of another institution (no `_denied` audit owed). */
  unaudited404?: string;
  /** The record a refusal (404) names when its id is in the body rather than the path. */
  refusedRecord?: () => string;
};

const CASE_ROLES = 'A.sup A.cw A.cw2 A.cpo B.sup B.cw B.cw2 B.cpo';
const CASE_ONE_DENIED = 'A.cw2 A.cpo B.sup B.cw B.cw2 B.cpo';
const PERSON_ONE_READERS: ActorKey[] = ['A.sup', 'A.cw', 'A.cw2', 'A.cpo'];
const CASE_ONE_READERS: ActorKey[] = ['A.sup', 'A.cw'];

/** Roles with `complaints.record` (operators who take complaints by phone or in person). */
const COMPLAINT_RECORDERS = 'A.handler A.sup A.cw A.cw2 B.handler B.sup B.cw B.cw2';
/** Roles with `resources.manage` and `operations.record` (src/resources). */
const RESOURCE_MANAGERS = 'A.admin B.admin';
const OPERATION_RECORDERS = 'A.sup A.cw A.cw2 B.sup B.cw B.cw2';
const pointBody = () => ({ name: `Punto ${randomUUID().slice(0, 6)}`, kind: 'contact_point', municipalities: ['07089'], staff: 8, staff_role: 'brigade_leader', active_from: '2024-01-15' });
let pointA: Promise<string> | undefined;
/** One point of institution A, made by A's administrator the first time it is asked for. */
const pointOfA = () => (pointA ??= w.actors['A.admin'].client.post('/api/v1/resources/points', pointBody()).then((res) => res.body.id as string));
let operationA: Promise<string> | undefined;
/** One rescue recorded by A's caseworker the first time it is asked for. */
const operationOfA = () => (operationA ??= w.actors['A.cw'].client.post('/api/v1/resources/operations', { kind: 'rescue', state: '26', occurred_on: '2024-03-02', people: 9 }).then((res) => res.body.id as string));
/** Roles with `statistics.read`. */
const STATISTICS_READERS = 'A.analyst A.sup B.analyst B.sup';
/** Complaint one is routed to A's unit: only A's complaint handlers may open it. */
const COMPLAINT_ONE_READERS: ActorKey[] = ['A.handler'];
const complaintOneMarkerList = markerList(complaintOneMarkers);
/** Roles with `missing.record`; of them only A's search officer and supervisor may open A's records. */
const MISSING_RECORDERS = 'A.searcher A.sup A.cw A.cw2 B.searcher B.sup B.cw B.cw2';
const MISSING_READERS: ActorKey[] = ['A.searcher', 'A.sup'];
const MISSING_DENIED = 'A.cw A.cw2 B.searcher B.sup B.cw B.cw2';
const missingMarkerList = markerList(missingMarkers);

/** Child protection: who keeps files (children.read/write), A's readers of the world's file, B's who get 404. */
const CHILD_ROLES = 'A.cpo A.sup B.cpo B.sup';
const CHILD_A = 'A.cpo A.sup';
const CHILD_B = 'B.cpo B.sup';
const CHILD_READERS: ActorKey[] = ['A.cpo', 'A.sup'];
/** Roles that may sit on a best-interests panel, other than the world's panel member (A.cw). */
const PANEL_OTHERS = 'A.sup A.cw2 A.cpo B.sup B.cw B.cw2 B.cpo';
const childMarkerList = markerList(childMarkers);
const childPath = (rest = '') => `/api/v1/children/${w.childFile.id}${rest}`;
const childFileBody = { opened_on: '2024-01-10', accompaniment: 'unaccompanied', identified_at: '2024-01-10T12:00:00Z', identified_how: 'migration_authority' };
/** A new person for calls that need one (a child by default); a random id for actors who may not create people. */
async function freshChild(actor: WorldActor, givenNames = 'Niña', dateOfBirth = '2014-05-05'): Promise<string> {
  if (!actor.key.endsWith('.cpo') && !actor.key.endsWith('.sup')) return randomUUID();
  const created = await actor.client.post('/api/v1/people', personBody({ given_names: givenNames, surname1: 'De Permisos', date_of_birth: dateOfBirth }));
  if (created.status !== 201) throw new Error(`fresh person: ${created.status} ${created.text}`);
  return created.body.id;
}

/** Roles with `directory.edit` or `directory.review`. */
const DIRECTORY_ROLES = 'A.editor A.sup B.editor B.sup';
/** A new entry of A written by A's editor (a draft, or sent for review). */
async function freshDirectoryEntry(pending = false): Promise<string> {
  const editor = w.actors['A.editor'].client;
  const created = await editor.post('/api/v1/directory/services', shelterBody({ name: 'Albergue de permisos' }));
  if (created.status !== 201) throw new Error(`fresh directory entry: ${created.status} ${created.text}`);
  if (pending && (await editor.post(`/api/v1/directory/services/${created.body.id}/submit`)).status !== 204) throw new Error('fresh directory entry: submit');
  return created.body.id;
}

const otherInstitution = (actor: WorldActor) => (actor.institution === 'A' ? w.institutions.B.id : w.institutions.A.id);

/**
 * A new complaint routed to A's unit (recorded by A's caseworker), for calls that would change
 * complaint one for the calls after them. Only made for A's handler: everyone else is sent to
 * complaint one, which they may not touch.
 */
async function freshComplaintForA(status?: 'under_review'): Promise<string> {
  const recorded = await w.actors['A.cw'].client.post('/api/v1/complaints', operatorComplaintBody({ narrative: 'Queja de la prueba de permisos.' }));
  if (recorded.status !== 201) throw new Error(`fresh complaint: ${recorded.status} ${recorded.text}`);
  if (status) {
    const changed = await w.actors['A.handler'].client.post(`/api/v1/complaints/${recorded.body.id}/status`, { status });
    if (changed.status !== 204) throw new Error(`fresh complaint status: ${changed.status} ${changed.text}`);
  }
  return recorded.body.id;
}
const complaintFor = async (actor: WorldActor, status?: 'under_review') => (actor.key === 'A.handler' ? freshComplaintForA(status) : w.complaintOne.id);

/** A case of A with a new person, referred to B and left pending: a referral B may answer once. */
/** Two new records of A (the same person twice), for the calls of A's supervisor that merge or dismiss a pair. */
async function freshPairOfA(): Promise<[string, string]> {
  const sup = w.actors['A.sup'].client;
  const one = await sup.post('/api/v1/people', personBody({ given_names: 'Duplicada' }));
  const two = await sup.post('/api/v1/people', personBody({ given_names: 'Duplicada' }));
  if (one.status !== 201 || two.status !== 201) throw new Error(`fresh pair: ${one.status} ${two.status}`);
  return [one.body.id, two.body.id];
}

/** A merge made by A's supervisor, for the undo calls of everyone else (A's supervisor undoes fresh ones). */
let mergeOfA: Promise<string> | undefined;
async function freshMergeOfA(): Promise<string> {
  const [survivor, duplicate] = await freshPairOfA();
  const merged = await w.actors['A.sup'].client.post('/api/v1/people/merges', { survivor_id: survivor, duplicate_id: duplicate, reason: 'Registrada dos veces.' });
  if (merged.status !== 201) throw new Error(`fresh merge: ${merged.status} ${merged.text}`);
  return merged.body.id;
}

async function freshPendingReferralToB(): Promise<string> {
  const sup = w.actors['A.sup'].client;
  const person = await sup.post('/api/v1/people', personBody({ given_names: 'Canalizada' }));
  const opened = await sup.post('/api/v1/cases', { programme: 'shelter', opened_on: '2021-01-01', participants: [{ person_id: person.body.id, role: 'applicant' }] });
  const referral = await sup.post(`/api/v1/cases/${opened.body.id}/referrals`, { to_institution_id: w.institutions.B.id, reason: 'Requiere albergue.', consent_recorded_on: '2021-01-02', consent_method: 'verbal', shared_sections: ['services'] });
  if (referral.status !== 201) throw new Error(`fresh referral: ${referral.status} ${referral.text}`);
  return referral.body.id;
}

/** A one-row CSV file for the bulk import routes, with a new external_id each time (docs/missing-import.md). */
function importFile(kind: 'people' | 'reports' | 'found'): { data: string; contentType: string } {
  const id = randomUUID();
  const data = {
    people: `external_id,given_names,surname1,surname2,sex,date_of_birth,nationality\r\n${id},Importada,De Prueba,,female,1990-04-12,HND\r\n`,
    reports: `external_id,given_names,surname1,surname2,sex,reporter_name,reporter_relationship\r\n${id},Importado,De Prueba,,male,Familiar,sibling\r\n`,
    found: `external_id,condition,situation,sex,found_on\r\n${id},alive,shelter,male,2026-01-10\r\n`,
  }[kind];
  return { data, contentType: 'text/csv' };
}

/** An import job of A, started by A's administrator, for the calls that read one (src/imports/). */
let jobOfA: Promise<string> | undefined;
function importJobOfA(): Promise<string> {
  jobOfA ??= (async () => {
    const file = importFile('people');
    const started = await w.actors['A.admin'].client.request('POST', '/api/v1/imports?kind=people', file.data, { 'content-type': file.contentType });
    if (started.status !== 202) throw new Error(`import job: ${started.status} ${started.text}`);
    return started.body.id as string;
  })();
  return jobOfA;
}

/** Screenings (docs/screenings.md): one of case one, given by A's caseworker, its free text a marker. */
const screeningMarker = 'SCREENINGTEXTLEAK observaciones';
const screeningReaders: ActorKey[] = ['A.sup', 'A.cw'];
async function screeningOfCaseOne(answers: { question_id: string; value: string }[], complete: boolean): Promise<string> {
  const cw = w.actors['A.cw'].client;
  const started = await cw.post(`/api/v1/cases/${w.caseOne.id}/screenings`, { instrument: 'violence_women', person_id: w.personOne.id });
  if (started.status !== 201) throw new Error(`screening: ${started.status} ${started.text}`);
  const saved = await cw.request('PUT', `/api/v1/screenings/${started.body.id}/answers`, { answers });
  if (saved.status !== 204) throw new Error(`screening answers: ${saved.status} ${saved.text}`);
  if (complete) {
    const done = await cw.post(`/api/v1/screenings/${started.body.id}/complete`);
    if (done.status !== 200) throw new Error(`screening complete: ${done.status} ${done.text}`);
  }
  return started.body.id;
}
const requiredViolenceAnswers = (sexual: 'yes' | 'no') => ['physical', 'psychological', 'economic'].map((q) => ({ question_id: q, value: 'no' })).concat([{ question_id: 'sexual', value: sexual }]);
let openScreening: Promise<string> | undefined;
const screeningOne = () => (openScreening ??= screeningOfCaseOne([{ question_id: 'observations', value: screeningMarker }], false));
let finishedScreening: Promise<string> | undefined;
const completedScreeningOne = () => (finishedScreening ??= screeningOfCaseOne(requiredViolenceAnswers('yes'), true));
/** A's supervisor and caseworker finish or refer from a screening of their own; everyone else is sent to the shared one. */
const screeningFor = (actor: WorldActor, complete: boolean) =>
  actor.key === 'A.sup' || actor.key === 'A.cw' ? screeningOfCaseOne(requiredViolenceAnswers('yes'), complete) : complete ? completedScreeningOne() : screeningOne();
const SCREENING_DENIED = CASE_ONE_DENIED;

/** Outreach events (docs/outreach.md): A's caseworker records one event, shared by the calls that read it. */
const OUTREACH_RECORDERS = 'A.sup A.cw A.cw2 B.sup B.cw B.cw2';
const outreachBody = () => ({ title: 'Plática de permisos', kind: 'talk', topic: 'rights', programme: 'women_support', held_on: '2024-03-01', country: 'USA', city: 'Phoenix', attendance: [{ sex: 'female', age_band: '30-59', attendees: 9 }] });
async function outreachEventOfA(withPersonOne = false): Promise<string> {
  const cw = w.actors['A.cw'].client;
  const res = await cw.post('/api/v1/outreach/events', outreachBody());
  if (res.status !== 201) throw new Error(`outreach event: ${res.status} ${res.text}`);
  if (withPersonOne) {
    const added = await cw.post(`/api/v1/outreach/events/${res.body.id}/attendees`, { person_id: w.personOne.id });
    if (added.status !== 204) throw new Error(`outreach attendee: ${added.status} ${added.text}`);
  }
  return res.body.id;
}
let sharedOutreach: Promise<string> | undefined;
let sharedOutreachId = '';
const outreachOne = () => (sharedOutreach ??= outreachEventOfA().then((id) => (sharedOutreachId = id)));
/** A's staff get a fresh event of their own institution; everyone else is sent to the shared one. */
const outreachFor = (actor: WorldActor, withPersonOne = false) => (['A.sup', 'A.cw', 'A.cw2'].includes(actor.key) ? outreachEventOfA(withPersonOne) : outreachOne());

const table: Record<string, RouteSpec> = {
  // --- auth (login, session, logout and totp are public) ---
  'POST /api/v1/auth/login': { call: () => ({ path: '/api/v1/auth/login', body: { email: `nobody-${randomUUID().slice(0, 8)}@test.amparo`, password: 'not the password' } }), expect: { rest: 401 } },
  'GET /api/v1/auth/session': { call: () => ({ path: '/api/v1/auth/session' }), expect: { anon: 401, rest: 200 } },
  'POST /api/v1/auth/logout': {
    // Each signed-in actor logs out a session of its own opened for the purpose, keeping the walk's one.
    call: async (actor) => ({ path: '/api/v1/auth/logout', client: actor.email ? await ApiClient.forSession(server, actor.email, actor.client.language) : actor.client }),
    expect: { rest: 204 },
  },
  'POST /api/v1/auth/totp': { call: () => ({ path: '/api/v1/auth/totp', body: { code: '123456' } }), expect: { anon: 401, rest: 409 } },
  'POST /api/v1/auth/totp/setup': { call: () => ({ path: '/api/v1/auth/totp/setup', body: {} }), expect: { anon: 401, rest: 200 } },
  'POST /api/v1/auth/totp/enable': {
    call: async (actor) => {
      if (actor.email) await actor.client.post('/api/v1/auth/totp/setup');
      return { path: '/api/v1/auth/totp/enable', body: { code: '000000' } };
    },
    expect: { anon: 401, rest: 400 },
  },
  'POST /api/v1/auth/totp/disable': { call: () => ({ path: '/api/v1/auth/totp/disable', body: { password: 'not the password', code: '123456' } }), expect: { anon: 401, rest: 409 } },
  'POST /api/v1/auth/switch-institution': {
    call: (actor) => ({ path: '/api/v1/auth/switch-institution', body: { institution_id: otherInstitution(actor) } }),
    expect: { anon: 401, rest: 404 },
    unaudited404: 'the caller has no membership there: no record is asked for',
  },
  'POST /api/v1/auth/password': { call: () => ({ path: '/api/v1/auth/password', body: { current_password: 'not the current one', new_password: 'a brand new long passphrase' } }), expect: { anon: 401, rest: 400 } },
  'GET /api/v1/auth/tokens': { call: () => ({ path: '/api/v1/auth/tokens' }), expect: { anon: 401, rest: 200 } },
  'POST /api/v1/auth/tokens': { call: () => ({ path: '/api/v1/auth/tokens', body: { name: 'recorrido' } }), expect: { anon: 401, rest: 201 } },
  'DELETE /api/v1/auth/tokens/{id}': {
    call: async () => {
      const token = await w.actors['A.cw'].client.post('/api/v1/auth/tokens', { name: 'para revocar' });
      return { path: `/api/v1/auth/tokens/${token.body.id}` };
    },
    expect: { anon: 401, 'A.cw': 204, rest: 404 },
    unaudited404: "a token is its owner's credential, not a record of the institution; 404 hides it from everyone else",
  },

  // --- audit ---
  'GET /api/v1/audit': { call: () => ({ path: '/api/v1/audit?limit=100' }), expect: { anon: 401, 'A.auditor B.auditor': 200, rest: 403 } },
  'GET /api/v1/audit/verify': { call: () => ({ path: '/api/v1/audit/verify' }), expect: { anon: 401, 'A.auditor B.auditor': 200, rest: 403 } },

  // --- institutions ---
  'GET /api/v1/institutions': { call: () => ({ path: '/api/v1/institutions' }), expect: { anon: 401, rest: 200 } },
  'POST /api/v1/institutions': { call: () => ({ path: '/api/v1/institutions', body: { code: uniqueCode('N'), name: 'Institución nueva', type: 'shelter' } }), expect: { anon: 401, rest: 403 } },
  'PATCH /api/v1/institutions/{id}': { call: () => ({ path: `/api/v1/institutions/${w.institutions.A.id}`, body: { require_mfa: false } }), expect: { anon: 401, 'A.admin': 204, rest: 403 } },

  // --- users (the managed account is a caseworker of A that is not one of the actors) ---
  'GET /api/v1/users': { call: () => ({ path: '/api/v1/users' }), expect: { anon: 401, 'A.admin A.sup B.admin B.sup': 200, rest: 403 } },
  'POST /api/v1/users': {
    call: () => ({ path: '/api/v1/users', body: { email: `nueva-${randomUUID().slice(0, 8)}@test.amparo`, display_name: 'Cuenta nueva', role: 'caseworker', institution_id: w.institutions.A.id } }),
    expect: { anon: 401, 'A.admin': 201, rest: 403 },
  },
  'PUT /api/v1/users/{id}/membership': {
    call: () => ({ path: `/api/v1/users/${w.managedUserA.id}/membership`, body: { institution_id: w.institutions.A.id, role: 'caseworker' } }),
    expect: { anon: 401, 'A.admin': 204, rest: 403 },
  },
  'POST /api/v1/users/{id}/reset-password': { call: () => ({ path: `/api/v1/users/${w.managedUserA.id}/reset-password`, body: {} }), expect: { anon: 401, 'A.admin': 200, 'B.admin': 404, rest: 403 } },
  'POST /api/v1/users/{id}/unlock': { call: () => ({ path: `/api/v1/users/${w.managedUserA.id}/unlock` }), expect: { anon: 401, 'A.admin': 204, 'B.admin': 404, rest: 403 } },
  'POST /api/v1/users/{id}/disable': { call: () => ({ path: `/api/v1/users/${w.managedUserA.id}/disable`, body: { disabled: false } }), expect: { anon: 401, 'A.admin': 204, 'B.admin': 404, rest: 403 } },

  // --- people (a person belongs to the institution: every caseworker of A may open A's people) ---
  'GET /api/v1/people/search': { call: () => ({ path: `/api/v1/people/search?q=${encodeURIComponent(`${caseOneMarkers.givenNames} ${caseOneMarkers.surname1}`)}` }), expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 }, entitled: PERSON_ONE_READERS },
  // --- my account: each user's own sessions, language and recovery codes; nothing of anyone else ---
  'GET /api/v1/account/sessions': { call: () => ({ path: '/api/v1/account/sessions' }), expect: { anon: 401, rest: 200 } },
  'DELETE /api/v1/account/sessions/{id}': { call: () => ({ path: '/api/v1/account/sessions/0123456789abcdef01234567' }), expect: { anon: 401, rest: 404 }, unaudited404: 'a session is its user’s own; no record of an institution is asked for' },
  'POST /api/v1/account/sessions/revoke-others': { call: () => ({ path: '/api/v1/account/sessions/revoke-others' }), expect: { anon: 401, rest: 200 } },
  'PUT /api/v1/account/language': { call: () => ({ path: '/api/v1/account/language', body: { language: 'es' } }), expect: { anon: 401, rest: 204 } },
  'GET /api/v1/account/second-factor': { call: () => ({ path: '/api/v1/account/second-factor' }), expect: { anon: 401, rest: 200 } },
  'POST /api/v1/account/recovery-codes': { call: () => ({ path: '/api/v1/account/recovery-codes' }), expect: { anon: 401, rest: 409 } },
  'POST /api/v1/account/recovery': { call: () => ({ path: '/api/v1/account/recovery', body: { code: 'ABCDE-FGHJK' } }), expect: { anon: 401, rest: 409 } },
  'POST /api/v1/account/invitation': { call: () => ({ path: '/api/v1/account/invitation', body: { token: 'x'.repeat(43) } }), expect: { rest: 400 } },
  'POST /api/v1/account/invitation/accept': { call: () => ({ path: '/api/v1/account/invitation/accept', body: { token: 'x'.repeat(43), new_password: 'a new long password' } }), expect: { rest: 400 } },
  'POST /api/v1/account/password-reset': { call: () => ({ path: '/api/v1/account/password-reset', body: { token: 'x'.repeat(43), new_password: 'a new long password' } }), expect: { rest: 400 } },
  'GET /api/v1/find': { call: () => ({ path: `/api/v1/find?q=${encodeURIComponent(`${caseOneMarkers.givenNames} ${caseOneMarkers.surname1} ${w.caseOne.folio}`)}` }), expect: { anon: 401, rest: 200 }, entitled: PERSON_ONE_READERS },
  'POST /api/v1/people': { call: () => ({ path: '/api/v1/people', body: personBody({ given_names: 'Registro' }) }), expect: { anon: 401, [CASE_ROLES]: 201, rest: 403 } },
  'POST /api/v1/offline/writes': {
    call: () => ({ path: '/api/v1/offline/writes', headers: { 'idempotency-key': `auth-${randomUUID()}` }, body: { operation: 'person.create', id: randomUUID(), made_at: new Date().toISOString(), data: personBody({ given_names: 'Sin Conexión' }) } }),
    expect: { anon: 401, [CASE_ROLES]: 201, rest: 403 },
  },
  // A device keeps its user's recent cases in full (summary, names): her own, a child's file for its officer, B's receiving case.
  'GET /api/v1/offline/snapshot': {
    call: () => ({ path: '/api/v1/offline/snapshot' }),
    expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 },
    entitled: ['A.sup', 'A.cw', 'A.cpo', 'B.sup', 'B.cw'],
    entitledTo: (actor) => [
      ...(actor.startsWith('A.') && actor !== 'A.cpo' ? [...markerList(caseOneMarkers), caseTwoPrivateMarkers.summary] : []),
      ...(actor === 'A.cpo' || actor === 'A.sup' ? [childMarkers.givenNames, childMarkers.surname1] : []),
      ...(actor === 'A.cpo' ? [] : [caseTwoSharedMarkers.givenNames, caseTwoSharedMarkers.surname1]),
    ],
  },
  'GET /api/v1/people/{id}': { call: () => ({ path: `/api/v1/people/${w.personOne.id}` }), expect: { anon: 401, 'A.sup A.cw A.cw2 A.cpo': 200, 'B.sup B.cw B.cw2 B.cpo': 404, rest: 403 }, entitled: PERSON_ONE_READERS },
  'GET /api/v1/people/{id}/history': { call: () => ({ path: `/api/v1/people/${w.personOne.id}/history` }), expect: { anon: 401, 'A.sup A.cw A.cw2 A.cpo': 200, 'B.sup B.cw B.cw2 B.cpo': 404, rest: 403 }, entitled: PERSON_ONE_READERS },
  'PATCH /api/v1/people/{id}': {
    call: () => ({ path: `/api/v1/people/${w.personOne.id}`, body: { languages: ['spa', 'eng'] } }),
    expect: { anon: 401, 'A.sup A.cw A.cw2 A.cpo': 200, 'B.sup B.cw B.cw2 B.cpo': 404, rest: 403 },
    entitled: PERSON_ONE_READERS,
  },
  // De-duplication is for supervisors, on their institution's records. B's supervisor names A's person
  // one (with person two, which B sees through the accepted referral): 404, audited, on person one.
  'GET /api/v1/people/duplicates': { call: () => ({ path: '/api/v1/people/duplicates?limit=50' }), expect: { anon: 401, 'A.sup B.sup': 200, rest: 403 }, entitled: ['A.sup'] },
  'POST /api/v1/people/duplicates/dismiss': {
    call: async (actor) => {
      const [a, b] = actor.key === 'A.sup' ? await freshPairOfA() : [w.personTwo.id, w.personOne.id];
      return { path: '/api/v1/people/duplicates/dismiss', body: { person_a: a, person_b: b } };
    },
    expect: { anon: 401, 'A.sup': 204, 'B.sup': 404, rest: 403 },
    refusedRecord: () => w.personOne.id,
  },
  'GET /api/v1/people/merges': { call: () => ({ path: '/api/v1/people/merges?limit=100' }), expect: { anon: 401, 'A.sup B.sup': 200, rest: 403 }, entitled: ['A.sup'] },
  'POST /api/v1/people/merges': {
    call: async (actor) => {
      const [survivor, duplicate] = actor.key === 'A.sup' ? await freshPairOfA() : [w.personTwo.id, w.personOne.id];
      return { path: '/api/v1/people/merges', body: { survivor_id: survivor, duplicate_id: duplicate, reason: 'Registrada dos veces.' } };
    },
    expect: { anon: 401, 'A.sup': 201, 'B.sup': 404, rest: 403 },
    refusedRecord: () => w.personOne.id,
  },
  'POST /api/v1/people/merges/{id}/undo': {
    call: async (actor) => ({ path: `/api/v1/people/merges/${actor.key === 'A.sup' ? await freshMergeOfA() : await (mergeOfA ??= freshMergeOfA())}/undo`, body: { reason: 'No era la misma persona.' } }),
    expect: { anon: 401, 'A.sup': 200, 'B.sup': 404, rest: 403 },
  },

  // --- cases (case one: A's, assigned to A.cw, referred to B and still pending) ---
  'GET /api/v1/vocabularies': { call: () => ({ path: '/api/v1/vocabularies' }), expect: { anon: 401, rest: 200 } },
  // Lists show participants' names: A's users those of their cases, B's those of the person it received
  // with the referral (its own receiving case); the test below checks B never sees case one's names.
  'GET /api/v1/cases': {
    call: () => ({ path: '/api/v1/cases?limit=100' }),
    expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 },
    entitled: ['A.sup', 'A.cw', 'A.cpo', 'B.sup', 'B.cw'],
    // The child's file is a case: its officer and A's supervisor see the child's name in the list.
    entitledTo: (actor) => [
      ...(actor === 'A.cpo' ? [] : [caseOneMarkers.givenNames, caseOneMarkers.surname1, caseOneMarkers.surname2, caseTwoSharedMarkers.givenNames, caseTwoSharedMarkers.surname1]),
      ...(actor === 'A.cpo' || actor === 'A.sup' ? [childMarkers.givenNames, childMarkers.surname1] : []),
    ],
  },
  'POST /api/v1/cases': {
    call: () => ({ path: '/api/v1/cases', body: { programme: 'legal_aid', opened_on: '2020-06-01', participants: [{ person_id: w.personOne.id, role: 'applicant' }] } }),
    // B may not link A's person: the same 400 as for a person that does not exist.
    expect: { anon: 401, 'A.sup A.cw A.cw2 A.cpo': 201, 'B.sup B.cw B.cw2 B.cpo': 400, rest: 403 },
  },
  'GET /api/v1/cases/{id}': { call: () => ({ path: `/api/v1/cases/${w.caseOne.id}` }), expect: { anon: 401, 'A.sup A.cw': 200, [CASE_ONE_DENIED]: 404, rest: 403 }, entitled: CASE_ONE_READERS },
  'PATCH /api/v1/cases/{id}': { call: () => ({ path: `/api/v1/cases/${w.caseOne.id}`, body: { crime_types: ['extortion'] } }), expect: { anon: 401, 'A.sup A.cw': 204, [CASE_ONE_DENIED]: 404, rest: 403 } },
  'POST /api/v1/cases/{id}/participants': {
    call: async () => {
      const person = await w.actors['A.sup'].client.post('/api/v1/people', personBody({ given_names: 'Participante' }));
      return { path: `/api/v1/cases/${w.caseOne.id}/participants`, body: { person_id: person.body.id, role: 'indirect_victim', relationship: 'hermana' } };
    },
    expect: { anon: 401, 'A.sup A.cw': 201, [CASE_ONE_DENIED]: 404, rest: 403 },
  },
  'PATCH /api/v1/cases/{id}/services/{serviceId}': {
    call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/services/${w.serviceOne.id}`, body: { provider_unit: 'Unidad Tapachula centro' } }),
    expect: { anon: 401, 'A.sup A.cw': 204, [CASE_ONE_DENIED]: 404, rest: 403 },
    refusedRecord: () => w.caseOne.id,
  },
  'POST /api/v1/cases/{id}/services': {
    call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/services`, body: { person_id: w.personOne.id, service_type: 'food', provided_on: '2020-02-03' } }),
    expect: { anon: 401, 'A.sup A.cw': 201, [CASE_ONE_DENIED]: 404, rest: 403 },
  },
  'POST /api/v1/cases/{id}/notes': { call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/notes`, body: { body: 'Nota de la prueba de permisos.' } }), expect: { anon: 401, 'A.sup A.cw': 201, [CASE_ONE_DENIED]: 404, rest: 403 } },
  'POST /api/v1/cases/{id}/access': {
    call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/access`, body: { user_id: w.extraCaseworkerA.id } }),
    // Opening a case to someone is a supervisor's: other roles are refused for the role, B's supervisor for the record.
    expect: { anon: 401, 'A.sup': 204, 'B.sup': 404, rest: 403 },
  },
  'POST /api/v1/cases/{id}/referrals': {
    call: async () => {
      const target = await makeInstitution(server.db, { type: 'shelter' });
      return { path: `/api/v1/cases/${w.caseOne.id}/referrals`, body: { to_institution_id: target.id, reason: 'Necesita asesoría.', consent_recorded_on: '2020-02-02', consent_method: 'written', shared_sections: ['services'] } };
    },
    expect: { anon: 401, 'A.sup A.cw': 201, [CASE_ONE_DENIED]: 404, rest: 403 },
  },
  'GET /api/v1/referrals': { call: () => ({ path: '/api/v1/referrals?direction=incoming' }), expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 } },
  'POST /api/v1/referrals/{id}/accept': {
    call: async () => ({ path: `/api/v1/referrals/${await freshPendingReferralToB()}/accept`, body: { programme: 'shelter' } }),
    expect: { anon: 401, 'B.sup': 200, 'A.sup': 404, rest: 403 },
  },
  'POST /api/v1/referrals/{id}/decline': {
    call: async () => ({ path: `/api/v1/referrals/${await freshPendingReferralToB()}/decline`, body: { note: 'Sin cupo.' } }),
    expect: { anon: 401, 'B.sup': 204, 'A.sup': 404, rest: 403 },
  },
  'POST /api/v1/cases/{id}/attachments': {
    call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/attachments?filename=prueba.txt`, raw: { data: 'contenido de prueba', contentType: 'text/plain' } }),
    expect: { anon: 401, 'A.sup A.cw': 201, [CASE_ONE_DENIED]: 404, rest: 403 },
  },
  'GET /api/v1/cases/{id}/attachments/{attachmentId}': {
    call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/attachments/${w.attachmentOne.id}` }),
    expect: { anon: 401, 'A.sup A.cw': 200, [CASE_ONE_DENIED]: 404, rest: 403 },
    entitled: CASE_ONE_READERS,
  },
  // Prometheus metrics: platform administrators only (none in this world; test/metrics.test.ts has one).
  'GET /api/v1/metrics': { call: () => ({ path: '/api/v1/metrics' }), expect: { anon: 401, rest: 403 } },
  'GET /api/v1/dashboard': { call: () => ({ path: '/api/v1/dashboard' }), expect: { anon: 401, 'A.auditor B.auditor A.handler B.handler A.searcher B.searcher A.editor B.editor': 403, rest: 200 } },

  // --- complaints (complaint one: A's unit, with every marker; complaint two: B's) ---
  // Public on purpose: see PUBLIC_ROUTES.
  'GET /api/v1/complaints/signing-key': { call: () => ({ path: '/api/v1/complaints/signing-key' }), expect: { rest: 200 } },
  'GET /api/v1/complaints/signing-keys': { call: () => ({ path: '/api/v1/complaints/signing-keys' }), expect: { rest: 200 } },
  'GET /api/v1/complaints/vocabularies': { call: () => ({ path: '/api/v1/complaints/vocabularies' }), expect: { rest: 200 } },
  'POST /api/v1/complaints': {
    // Operators of any institution take complaints; the routing, not the operator, decides the unit.
    call: () => ({ path: '/api/v1/complaints', body: operatorComplaintBody() }),
    expect: { anon: 401, [COMPLAINT_RECORDERS]: 201, rest: 403 },
  },
  'POST /api/v1/complaints/acuse': {
    // Whoever holds folio and receipt (read back on the phone) may print the acuse again.
    call: () => ({ path: '/api/v1/complaints/acuse', body: { folio: w.complaintTwo.folio, receipt: w.complaintTwo.receipt } }),
    expect: { anon: 401, [COMPLAINT_RECORDERS]: 200, rest: 403 },
  },
  'GET /api/v1/complaints': { call: () => ({ path: '/api/v1/complaints?limit=100' }), expect: { anon: 401, 'A.handler B.handler': 200, rest: 403 } },
  'GET /api/v1/complaints/statistics': { call: () => ({ path: '/api/v1/complaints/statistics' }), expect: { anon: 401, 'A.handler B.handler A.analyst B.analyst': 200, rest: 403 } },
  // Units with a complaint handler, other than the caller's (names and codes, nothing of a complaint).
  'GET /api/v1/complaints/forward-targets': { call: () => ({ path: '/api/v1/complaints/forward-targets' }), expect: { anon: 401, 'A.handler B.handler': 200, rest: 403 } },
  // Platform settings and routing are for platform administrators only (none in this world): an
  // institution's administrator may not route every complaint to their own institution.
  // Who runs the public service and the information pages: platform administrators only (none in this world).
  'GET /api/v1/public-site': { call: () => ({ path: '/api/v1/public-site' }), expect: { anon: 401, rest: 403 } },
  'PUT /api/v1/public-site': { call: () => ({ path: '/api/v1/public-site', body: { operator_name: 'Otra', phone: null, whatsapp: null, address: null, privacy_notice: null } }), expect: { anon: 401, rest: 403 } },
  'PUT /api/v1/public-site/logo': { call: () => ({ path: '/api/v1/public-site/logo', body: { data_base64: 'iVBORw0KGgo=' } }), expect: { anon: 401, rest: 403 } },
  'DELETE /api/v1/public-site/logo': { call: () => ({ path: '/api/v1/public-site/logo' }), expect: { anon: 401, rest: 403 } },
  'GET /api/v1/information/pages': { call: () => ({ path: '/api/v1/information/pages' }), expect: { anon: 401, rest: 403 } },
  'GET /api/v1/information/pages/{slug}': { call: () => ({ path: '/api/v1/information/pages/refugio-comar' }), expect: { anon: 401, rest: 403 } },
  'GET /api/v1/information/pages/{slug}/versions': { call: () => ({ path: '/api/v1/information/pages/refugio-comar/versions' }), expect: { anon: 401, rest: 403 } },
  'POST /api/v1/information/pages/{slug}/versions': {
    call: () => ({ path: '/api/v1/information/pages/refugio-comar/versions', body: { base_version: 1, title: 'Otro', summary: '', body: 'Texto', sources: 'Fuente', reviewed_on: '2026-01-01' } }),
    expect: { anon: 401, rest: 403 },
  },
  'GET /api/v1/complaints/settings': { call: () => ({ path: '/api/v1/complaints/settings' }), expect: { anon: 401, rest: 403 } },
  'PUT /api/v1/complaints/settings': { call: (actor) => ({ path: '/api/v1/complaints/settings', body: { default_unit: actor.institutionId ?? w.institutions.B.id } }), expect: { anon: 401, rest: 403 } },
  'GET /api/v1/complaints/routing-rules': { call: () => ({ path: '/api/v1/complaints/routing-rules' }), expect: { anon: 401, rest: 403 } },
  'POST /api/v1/complaints/routing-rules': {
    call: (actor) => ({ path: '/api/v1/complaints/routing-rules', body: { priority: 0, institution_id: actor.institutionId ?? w.institutions.B.id } }),
    expect: { anon: 401, rest: 403 },
  },
  'DELETE /api/v1/complaints/routing-rules/{id}': { call: () => ({ path: `/api/v1/complaints/routing-rules/${w.routingRule.id}` }), expect: { anon: 401, rest: 403 } },
  'POST /api/v1/complaints/retention/run': { call: () => ({ path: '/api/v1/complaints/retention/run', body: { dry_run: true } }), expect: { anon: 401, rest: 403 } },
  'GET /api/v1/complaints/{id}': {
    call: () => ({ path: `/api/v1/complaints/${w.complaintOne.id}` }),
    // Everyone but the receiving unit's handlers (operators, supervisors, B's handler) gets 404, audited.
    expect: { anon: 401, 'A.handler': 200, rest: 404 },
    entitled: COMPLAINT_ONE_READERS,
    entitledTo: complaintOneMarkerList,
  },
  'POST /api/v1/complaints/{id}/status': {
    call: async (actor) => ({ path: `/api/v1/complaints/${await complaintFor(actor)}/status`, body: { status: 'under_review' } }),
    expect: { anon: 401, 'A.handler': 204, rest: 404 },
  },
  'POST /api/v1/complaints/{id}/assign': {
    call: (actor) => ({ path: `/api/v1/complaints/${w.complaintOne.id}/assign`, body: { user_id: actor.userId } }),
    expect: { anon: 401, 'A.handler': 204, rest: 404 },
  },
  'POST /api/v1/complaints/{id}/notes': { call: () => ({ path: `/api/v1/complaints/${w.complaintOne.id}/notes`, body: { body: 'Nota de la prueba de permisos.' } }), expect: { anon: 401, 'A.handler': 201, rest: 404 } },
  'POST /api/v1/complaints/{id}/messages': {
    call: () => ({ path: `/api/v1/complaints/${w.complaintOne.id}/messages`, body: { body: 'Mensaje de la prueba de permisos.' } }),
    expect: { anon: 401, 'A.handler': 201, rest: 404 },
  },
  'POST /api/v1/complaints/{id}/forward': {
    // A's handler forwards a complaint of its own to B; everyone else tries to send complaint one to B.
    call: async (actor) => ({ path: `/api/v1/complaints/${await complaintFor(actor)}/forward`, body: { institution_id: w.institutions.B.id } }),
    expect: { anon: 401, 'A.handler': 204, rest: 404 },
  },
  'POST /api/v1/complaints/{id}/legal-hold': {
    call: () => ({ path: `/api/v1/complaints/${w.complaintOne.id}/legal-hold`, body: { hold: true, reason: 'Juicio de amparo.' } }),
    expect: { anon: 401, 'A.handler': 204, rest: 404 },
  },
  'GET /api/v1/complaints/{id}/attachments/{attachmentId}': {
    call: () => ({ path: `/api/v1/complaints/${w.complaintOne.id}/attachments/${w.complaintOne.attachmentId}` }),
    expect: { anon: 401, 'A.handler': 200, rest: 404 },
    entitled: COMPLAINT_ONE_READERS,
    entitledTo: complaintOneMarkerList,
  },
  'GET /api/v1/complaints/{id}/export': {
    call: () => ({ path: `/api/v1/complaints/${w.complaintOne.id}/export?include_contact=true&include_notes=true` }),
    expect: { anon: 401, 'A.handler': 200, rest: 404 },
    entitled: COMPLAINT_ONE_READERS,
    entitledTo: complaintOneMarkerList,
  },
  'POST /api/v1/complaints/{id}/transmissions': {
    call: async (actor) => ({ path: `/api/v1/complaints/${await complaintFor(actor, 'under_review')}/transmissions`, body: { to_authority: 'Fiscalía', means: 'electronic', include_contact: true, include_notes: true } }),
    expect: { anon: 401, 'A.handler': 201, rest: 404 },
  },
  'GET /api/v1/complaints/{id}/transmissions/{transmissionId}/package': {
    call: () => ({ path: `/api/v1/complaints/${w.complaintOne.id}/transmissions/${w.complaintOne.transmissionId}/package` }),
    expect: { anon: 401, 'A.handler': 200, rest: 404 },
    entitled: COMPLAINT_ONE_READERS,
    entitledTo: complaintOneMarkerList,
  },

  // --- statistics (aggregates only, small cells suppressed; analysts and supervisors) ---
  'GET /api/v1/statistics/default-period': { call: () => ({ path: '/api/v1/statistics/default-period' }), expect: { anon: 401, [STATISTICS_READERS]: 200, rest: 403 } },
  'GET /api/v1/statistics/indicators': { call: () => ({ path: '/api/v1/statistics/indicators' }), expect: { anon: 401, [STATISTICS_READERS]: 200, rest: 403 } },
  'GET /api/v1/statistics/query': {
    call: () => ({ path: '/api/v1/statistics/query?indicator=people_attended&period=2020&by=sex,nationality' }),
    expect: { anon: 401, [STATISTICS_READERS]: 200, rest: 403 },
  },
  'GET /api/v1/statistics/export': {
    call: () => ({ path: '/api/v1/statistics/export?indicator=services_provided&period=2020&by=institution,service_type&format=csv' }),
    expect: { anon: 401, [STATISTICS_READERS]: 200, rest: 403 },
  },
  'GET /api/v1/statistics/report': { call: () => ({ path: '/api/v1/statistics/report?period=2020&format=html' }), expect: { anon: 401, [STATISTICS_READERS]: 200, rest: 403 } },
  // Missing persons (docs/missing.md). A's search officer recorded a report and a found record of the
  // same person; matching proposed the pair. Recorders: search officers, supervisors, caseworkers.
  'POST /api/v1/missing/reports': { call: () => ({ path: '/api/v1/missing/reports', body: missingReportBody() }), expect: { anon: 401, [MISSING_RECORDERS]: 201, rest: 403 } },
  'GET /api/v1/missing/reports': { call: () => ({ path: '/api/v1/missing/reports' }), expect: { anon: 401, [MISSING_RECORDERS]: 200, rest: 403 }, entitled: MISSING_READERS, entitledTo: [missingMarkers.surname] },
  'GET /api/v1/missing/reports/{id}': { call: () => ({ path: `/api/v1/missing/reports/${w.missingReport.id}` }), expect: { anon: 401, 'A.searcher A.sup': 200, [MISSING_DENIED]: 404, rest: 403 }, entitled: MISSING_READERS, entitledTo: missingMarkerList },
  'GET /api/v1/missing/reports/{id}/photos/{photoId}': { call: () => ({ path: `/api/v1/missing/reports/${w.missingReport.id}/photos/${w.missingReport.photoId}` }), expect: { anon: 401, 'A.searcher A.sup': 200, [MISSING_DENIED]: 404, rest: 403 }, entitled: MISSING_READERS, entitledTo: missingMarkerList },
  'POST /api/v1/missing/reports/{id}/messages': { call: () => ({ path: `/api/v1/missing/reports/${w.missingReport.id}/messages`, body: { body: 'Seguimos buscando.' } }), expect: { anon: 401, 'A.searcher A.sup': 201, [MISSING_DENIED]: 404, rest: 403 } },
  'POST /api/v1/missing/reports/{id}/status': { call: () => ({ path: `/api/v1/missing/reports/${w.missingReport.id}/status`, body: { status: 'active' } }), expect: { anon: 401, 'A.searcher A.sup': 204, 'B.searcher B.sup': 404, rest: 403 } },
  'POST /api/v1/missing/found': { call: () => ({ path: '/api/v1/missing/found', body: foundRecordBody({ given_names: 'Prueba', surname1: 'De Permisos' }) }), expect: { anon: 401, [MISSING_RECORDERS]: 201, rest: 403 } },
  'GET /api/v1/missing/found': { call: () => ({ path: '/api/v1/missing/found' }), expect: { anon: 401, [MISSING_RECORDERS]: 200, rest: 403 }, entitled: MISSING_READERS, entitledTo: [missingMarkers.surname] },
  'GET /api/v1/missing/found/{id}': { call: () => ({ path: `/api/v1/missing/found/${w.foundRecord.id}` }), expect: { anon: 401, 'A.searcher A.sup': 200, [MISSING_DENIED]: 404, rest: 403 }, entitled: MISSING_READERS, entitledTo: missingMarkerList },
  'GET /api/v1/missing/found/{id}/consistent-reports': { call: () => ({ path: `/api/v1/missing/found/${w.foundRecord.id}/consistent-reports` }), expect: { anon: 401, 'A.searcher': 200, 'B.searcher': 404, rest: 403 } },
  'GET /api/v1/missing/candidates': { call: () => ({ path: '/api/v1/missing/candidates?status=proposed' }), expect: { anon: 401, 'A.searcher B.searcher': 200, rest: 403 }, entitled: ['A.searcher'], entitledTo: [missingMarkers.surname] },
  // The comparison shows both records' descriptions, never the reporter's identity, contact, the
  // circumstance, dental notes or the found record's internal notes.
  'GET /api/v1/missing/candidates/{id}': { call: () => ({ path: `/api/v1/missing/candidates/${w.matchCandidate.id}` }), expect: { anon: 401, 'A.searcher': 200, 'B.searcher': 404, rest: 403 }, entitled: ['A.searcher'], entitledTo: [missingMarkers.surname] },
  'POST /api/v1/missing/candidates/{id}/review': { call: () => ({ path: `/api/v1/missing/candidates/${w.matchCandidate.id}/review`, body: { decision: 'reject', note: 'Prueba de permisos.' } }), expect: { anon: 401, 'A.searcher': 200, 'B.searcher': 404, rest: 403 } },
  // Pairs with people in the case files: only for users who read both reports and people.
  'GET /api/v1/missing/reports/{id}/person-candidates': { call: () => ({ path: `/api/v1/missing/reports/${w.missingReport.id}/person-candidates` }), expect: { anon: 401, 'A.sup': 200, [CASE_ROLES.replace('A.sup ', '').replace(' A.cpo', '').replace(' B.cpo', '')]: 404, rest: 403 } },
  'POST /api/v1/missing/person-candidates/{id}/review': { call: () => ({ path: `/api/v1/missing/person-candidates/${randomUUID()}/review`, body: { decision: 'reject' } }), expect: { anon: 401, [CASE_ROLES.replace(' A.cpo', '').replace(' B.cpo', '')]: 404, rest: 403 } },
  'GET /api/v1/notifications': { call: () => ({ path: '/api/v1/notifications' }), expect: { anon: 401, rest: 200 } },
  'POST /api/v1/notifications/{id}/read': { call: () => ({ path: `/api/v1/notifications/${randomUUID()}/read` }), expect: { anon: 401, rest: 404 }, unaudited404: 'a notification is its user’s own; no record of an institution is asked for' },
  'GET /api/v1/missing/settings': { call: () => ({ path: '/api/v1/missing/settings' }), expect: { anon: 401, rest: 403 } },
  'PUT /api/v1/missing/settings': { call: () => ({ path: '/api/v1/missing/settings', body: { public_institution_id: null } }), expect: { anon: 401, rest: 403 } },
  // Families, without an account: filing is closed until a platform administrator names the receiving
  // institution; status and messages need folio + access code (argon2id, rate-limited).
  'POST /api/v1/missing/public/reports': { call: () => ({ path: '/api/v1/missing/public/reports', body: missingReportBody({ channel: 'public_web' }) }), expect: { rest: 403 }, unaudited404: 'no record is asked for' },
  'POST /api/v1/missing/public/status': { call: () => ({ path: '/api/v1/missing/public/status', body: { folio: w.missingReport.folio, receipt: w.missingReport.receipt } }), expect: { rest: 200 } },
  'POST /api/v1/missing/public/messages': { call: () => ({ path: '/api/v1/missing/public/messages', body: { folio: w.missingReport.folio, receipt: w.missingReport.receipt, body: 'Gracias.' } }), expect: { rest: 204 } },
  // Bulk CSV import (the body is the file, text/csv) and export (docs/missing-import.md). No record id
  // is asked for: refusals are 401/403. People: people.write; reports and found records: search
  // officers and supervisors only (they see all of the institution's records).
  'POST /api/v1/missing/import/people': { call: () => ({ path: '/api/v1/missing/import/people', raw: importFile('people') }), expect: { anon: 401, [CASE_ROLES]: 201, rest: 403 } },
  'POST /api/v1/missing/import/reports': { call: () => ({ path: '/api/v1/missing/import/reports', raw: importFile('reports') }), expect: { anon: 401, 'A.searcher A.sup B.searcher B.sup': 201, rest: 403 } },
  'POST /api/v1/missing/import/found': { call: () => ({ path: '/api/v1/missing/import/found', raw: importFile('found') }), expect: { anon: 401, 'A.searcher A.sup B.searcher B.sup': 201, rest: 403 } },
  // An export holds what the role may open: A's search officer and supervisor get A's records whole, a
  // caseworker only those they recorded, B's users B's.
  'GET /api/v1/missing/export/reports.csv': { call: () => ({ path: '/api/v1/missing/export/reports.csv' }), expect: { anon: 401, [MISSING_RECORDERS]: 200, rest: 403 }, entitled: MISSING_READERS, entitledTo: missingMarkerList },
  'GET /api/v1/missing/export/found.csv': { call: () => ({ path: '/api/v1/missing/export/found.csv' }), expect: { anon: 401, [MISSING_RECORDERS]: 200, rest: 403 }, entitled: MISSING_READERS, entitledTo: missingMarkerList },

  // Imports from the administration screens (src/imports/): administrators, each of her institution's jobs.
  'POST /api/v1/imports': { call: () => ({ path: '/api/v1/imports?kind=people&skip_invalid=true', raw: importFile('people') }), expect: { anon: 401, 'A.admin B.admin': 202, rest: 403 } },
  'GET /api/v1/imports': { call: () => ({ path: '/api/v1/imports' }), expect: { anon: 401, 'A.admin B.admin': 200, rest: 403 } },
  'GET /api/v1/imports/{id}': { call: async () => ({ path: `/api/v1/imports/${await importJobOfA()}` }), expect: { anon: 401, 'A.admin': 200, 'B.admin': 404, rest: 403 } },
  'GET /api/v1/imports/{id}/rows': { call: async () => ({ path: `/api/v1/imports/${await importJobOfA()}/rows` }), expect: { anon: 401, 'A.admin': 200, 'B.admin': 404, rest: 403 } },
  'GET /api/v1/imports/{id}/report.csv': { call: async () => ({ path: `/api/v1/imports/${await importJobOfA()}/report.csv` }), expect: { anon: 401, 'A.admin': 200, 'B.admin': 404, rest: 403 } },
  // Child protection (docs/children.md). A's child-protection officer keeps the file; A's supervisor
  // sees every file of A; B's child-protection staff get 404; others lack the capability (403).
  'GET /api/v1/children/vocabularies': { call: () => ({ path: '/api/v1/children/vocabularies' }), expect: { anon: 401, rest: 200 } },
  'GET /api/v1/children': { call: () => ({ path: '/api/v1/children' }), expect: { anon: 401, [CHILD_ROLES]: 200, rest: 403 }, entitled: CHILD_READERS, entitledTo: childMarkerList },
  'POST /api/v1/children': { call: async (actor) => ({ path: '/api/v1/children', body: { ...childFileBody, person_id: await freshChild(actor) } }), expect: { anon: 401, [CHILD_ROLES]: 201, rest: 403 } },
  'GET /api/v1/children/{id}': { call: () => ({ path: childPath() }), expect: { anon: 401, [CHILD_A]: 200, [CHILD_B]: 404, rest: 403 }, entitled: CHILD_READERS, entitledTo: childMarkerList },
  'PATCH /api/v1/children/{id}': { call: () => ({ path: childPath(), body: { language: 'español' } }), expect: { anon: 401, [CHILD_A]: 204, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/links': { call: async (actor) => ({ path: childPath('/links'), body: { person_id: await freshChild(actor, 'Hermano'), relationship: 'sibling' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/consular-notifications': { call: () => ({ path: childPath('/consular-notifications'), body: { country: 'GTM', notified_on: '2024-02-01' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/measures': { call: () => ({ path: childPath('/measures'), body: { right_affected: 'education', legal_basis: 'LGDNNA art. 57', measure_type: 'restitution', measure: 'school_enrolment', responsible_institution: 'SEP', frequency: 'once', due_on: '2024-03-01' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'PATCH /api/v1/children/{id}/measures/{itemId}': { call: () => ({ path: childPath(`/measures/${w.childMeasure.id}`), body: { responsible_person: 'Dra. Prueba' } }), expect: { anon: 401, [CHILD_A]: 204, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/measures/{itemId}/notes': { call: () => ({ path: childPath(`/measures/${w.childMeasure.id}/notes`), body: { body: 'Nota de permisos.' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'GET /api/v1/children/facilities': { call: () => ({ path: '/api/v1/children/facilities' }), expect: { anon: 401, [CHILD_ROLES]: 200, rest: 403 } },
  'POST /api/v1/children/facilities': { call: (actor) => ({ path: '/api/v1/children/facilities', body: { name: `CAS ${actor.key} ${randomUUID().slice(0, 6)}`, kind: 'cas', capacity: 10 } }), expect: { anon: 401, [CHILD_ROLES]: 201, rest: 403 } },
  'POST /api/v1/children/{id}/placements': { call: () => ({ path: childPath('/placements'), body: { care_type: 'foster_family', started_on: '2024-02-01', change_reason: 'Prueba de permisos' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/assessments': { call: () => ({ path: childPath('/assessments'), body: { kind: 'assessment_short', findings: 'Prueba de permisos.' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/determinations': { call: () => ({ path: childPath('/determinations'), body: { evidence: 'Prueba.', child_views: 'Prueba.', panel_until: '2099-01-01' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/determinations/{itemId}/members': { call: async () => ({ path: childPath(`/determinations/${w.childDetermination.id}/members`), body: { user_id: (await makeUser(server.db, w.institutions.A.id, 'caseworker')).id, profession: 'psychology', member_institution: 'Institución A' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  // The world's panel has one member: a decision is refused until it is complete.
  'POST /api/v1/children/{id}/determinations/{itemId}/decision': { call: () => ({ path: childPath(`/determinations/${w.childDetermination.id}/decision`), body: { decision: 'trace_family', reasons: 'Prueba.', review_on: '2099-01-01' } }), expect: { anon: 401, [CHILD_A]: 409, [CHILD_B]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/determinations/{itemId}/approve': { call: () => ({ path: childPath(`/determinations/${w.childDetermination.id}/approve`) }), expect: { anon: 401, 'A.sup': 409, 'B.sup': 404, rest: 403 } },
  // A panel member reads the one child before her panel; anyone else who may sit on panels gets 404.
  'GET /api/v1/panels/{id}': { call: () => ({ path: `/api/v1/panels/${w.childDetermination.id}` }), expect: { anon: 401, 'A.cw': 200, [PANEL_OTHERS]: 404, rest: 403 }, entitled: ['A.cw'], entitledTo: childMarkerList },
  'POST /api/v1/panels/{id}/undertaking': { call: () => ({ path: `/api/v1/panels/${w.childDetermination.id}/undertaking` }), expect: { anon: 401, 'A.cw': 204, [PANEL_OTHERS]: 404, rest: 403 } },
  'POST /api/v1/panels/{id}/position': { call: () => ({ path: `/api/v1/panels/${w.childDetermination.id}/position`, body: { position: 'abstain' } }), expect: { anon: 401, 'A.cw': 204, [PANEL_OTHERS]: 404, rest: 403 } },
  'POST /api/v1/children/{id}/verifications': { call: async (actor) => ({ path: childPath('/verifications'), body: { adult_person_id: await freshChild(actor, 'Adulto', '1980-01-01'), relationship: 'father' } }), expect: { anon: 401, [CHILD_A]: 201, [CHILD_B]: 404, rest: 403 } },
  'PATCH /api/v1/children/{id}/verifications/{itemId}': { call: () => ({ path: childPath(`/verifications/${w.childVerification.id}`), body: { documents_checked: true } }), expect: { anon: 401, [CHILD_A]: 204, [CHILD_B]: 404, rest: 403 } },
  // The world's verification is under way: a reunification is refused until it is complete and favourable.
  'POST /api/v1/children/{id}/reunifications': { call: () => ({ path: childPath('/reunifications'), body: { verification_id: w.childVerification.id, determination_id: w.childDetermination.id, reunified_on: '2024-03-01', place: 'mexico', country: 'HND' } }), expect: { anon: 401, [CHILD_A]: 409, [CHILD_B]: 404, rest: 403 } },
  // --- screenings (docs/screenings.md): the instruments for those who give screenings; a screening by its case's rules ---
  'GET /api/v1/screenings/instruments': { call: () => ({ path: '/api/v1/screenings/instruments' }), expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 } },
  'POST /api/v1/screenings/instruments': {
    // Platform administrators only (none in this world; src/screenings/screenings.test.ts has one).
    call: () => ({ path: '/api/v1/screenings/instruments', body: { code: `permisos_${randomUUID().slice(0, 8)}`, version: 1, title: { es: 'Prueba', en: 'Test' }, description: { es: 'Prueba', en: 'Test' }, basis: { es: 'Prueba', en: 'Test' }, intended_for: 'anyone', questions: [{ id: 'q', type: 'yes_no', text: { es: '¿Sí?', en: 'Yes?' } }], flags: [{ id: 'f', severity: 'medium', label: { es: 'F', en: 'F' }, explanation: { es: 'F', en: 'F' }, when: { question: 'q', equals: 'yes' } }] } }),
    expect: { anon: 401, rest: 403 },
  },
  'GET /api/v1/screenings/instrument-versions/{id}': {
    call: async () => {
      const listed = await w.actors['A.sup'].client.get('/api/v1/screenings/instruments');
      return { path: `/api/v1/screenings/instrument-versions/${listed.body[0].latest.id}` };
    },
    expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 },
  },
  'GET /api/v1/cases/{id}/screenings': { call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/screenings` }), expect: { anon: 401, 'A.sup A.cw': 200, [SCREENING_DENIED]: 404, rest: 403 }, entitled: screeningReaders },
  'POST /api/v1/cases/{id}/screenings': {
    call: () => ({ path: `/api/v1/cases/${w.caseOne.id}/screenings`, body: { instrument: 'trafficking_indicators', person_id: w.personOne.id } }),
    expect: { anon: 401, 'A.sup A.cw': 201, [SCREENING_DENIED]: 404, rest: 403 },
  },
  'GET /api/v1/screenings/{id}': {
    call: async () => ({ path: `/api/v1/screenings/${await screeningOne()}` }),
    expect: { anon: 401, 'A.sup A.cw': 200, [SCREENING_DENIED]: 404, rest: 403 },
    entitled: screeningReaders,
    entitledTo: [...markerList(caseOneMarkers), screeningMarker],
  },
  'PUT /api/v1/screenings/{id}/answers': {
    call: async () => ({ path: `/api/v1/screenings/${await screeningOne()}/answers`, body: { answers: [{ question_id: 'pregnant', value: 'no' }] } }),
    expect: { anon: 401, 'A.sup A.cw': 204, [SCREENING_DENIED]: 404, rest: 403 },
  },
  'POST /api/v1/screenings/{id}/complete': {
    call: async (actor) => ({ path: `/api/v1/screenings/${await screeningFor(actor, false)}/complete` }),
    expect: { anon: 401, 'A.sup A.cw': 200, [SCREENING_DENIED]: 404, rest: 403 },
  },
  'POST /api/v1/screenings/{id}/referrals': {
    call: async (actor) => ({ path: `/api/v1/screenings/${await screeningFor(actor, true)}/referrals`, body: { suggestion_id: 'health_care', to_institution_id: (await makeInstitution(server.db, { type: 'state_agency' })).id, consent_recorded_on: '2020-02-02', consent_method: 'verbal', shared_sections: ['services'] } }),
    expect: { anon: 401, 'A.sup A.cw': 201, [SCREENING_DENIED]: 404, rest: 403 },
  },
  // --- programme resources (src/resources): points kept by the institution's administrator or supervisor; rescues and transfers recorded by its staff ---
  'GET /api/v1/resources/points': { call: () => ({ path: '/api/v1/resources/points' }), expect: { anon: 401, [RESOURCE_MANAGERS]: 200, rest: 403 } },
  'POST /api/v1/resources/points': { call: () => ({ path: '/api/v1/resources/points', body: pointBody() }), expect: { anon: 401, [RESOURCE_MANAGERS]: 201, rest: 403 } },
  'PATCH /api/v1/resources/points/{id}': { call: async () => ({ path: `/api/v1/resources/points/${await pointOfA()}`, body: { staff: 12 } }), expect: { anon: 401, 'A.admin': 200, 'B.admin': 404, rest: 403 } },
  'GET /api/v1/resources/points/{id}/history': { call: async () => ({ path: `/api/v1/resources/points/${await pointOfA()}/history` }), expect: { anon: 401, 'A.admin': 200, 'B.admin': 404, rest: 403 } },
  'PATCH /api/v1/resources/operations/{id}': { call: async () => ({ path: `/api/v1/resources/operations/${await operationOfA()}`, body: { people: 10, reason: 'Conteo revisado' } }), expect: { anon: 401, 'A.sup A.cw A.cw2': 200, 'B.sup B.cw B.cw2': 404, rest: 403 } },
  'GET /api/v1/resources/operations/{id}/history': { call: async () => ({ path: `/api/v1/resources/operations/${await operationOfA()}/history` }), expect: { anon: 401, 'A.sup A.cw A.cw2': 200, 'B.sup B.cw B.cw2': 404, rest: 403 } },
  'GET /api/v1/resources/operations': { call: () => ({ path: '/api/v1/resources/operations' }), expect: { anon: 401, [OPERATION_RECORDERS]: 200, rest: 403 } },
  'POST /api/v1/resources/operations': { call: () => ({ path: '/api/v1/resources/operations', body: { kind: 'transfer', mode: 'road', occurred_on: '2024-03-01', people: 12 } }), expect: { anon: 401, [OPERATION_RECORDERS]: 201, rest: 403 } },
  'POST /api/v1/children/{id}/reunifications/{itemId}/followups/{followupId}': {
    call: () => ({ path: childPath(`/reunifications/${randomUUID()}/followups/${randomUUID()}`), body: { visited_on: '2024-04-01', outcome: 'well' } }),
    expect: { anon: 401, [CHILD_A]: 404, [CHILD_B]: 404, rest: 403 },
    unaudited404: "for A's readers the follow-up asked for does not exist; B's 404 refuses the file and is audited",
  },
  // Family tracing: each institution's child-protection staff record and list their own requests; the
  // review queue shows pairs only for files they may see (of children whose consent allows tracing).
  'POST /api/v1/tracing/requests': {
    call: () => ({ path: '/api/v1/tracing/requests', body: { channel: 'consulate', consulate_country: 'USA', received_on: '2024-02-01', requester_name: 'Solicitante Permisos Prueba', requester_relationship: 'mother', children: [{ given_names: 'Buscada', surname1: 'Permisos', estimated_age: 9 }] } }),
    expect: { anon: 401, [CHILD_ROLES]: 201, rest: 403 },
  },
  'GET /api/v1/tracing/requests': { call: () => ({ path: '/api/v1/tracing/requests' }), expect: { anon: 401, [CHILD_ROLES]: 200, rest: 403 } },
  'GET /api/v1/tracing/matches': { call: () => ({ path: '/api/v1/tracing/matches' }), expect: { anon: 401, [CHILD_ROLES]: 200, rest: 403 } },
  'GET /api/v1/tracing/matches/{id}': { call: () => ({ path: `/api/v1/tracing/matches/${randomUUID()}` }), expect: { anon: 401, [CHILD_ROLES]: 404, rest: 403 } },
  'POST /api/v1/tracing/matches/{id}/review': { call: () => ({ path: `/api/v1/tracing/matches/${randomUUID()}/review`, body: { decision: 'rejected' } }), expect: { anon: 401, [CHILD_ROLES]: 404, rest: 403 } },
  // The services directory (docs/directory.md): A's editor keeps A's entries; a second person of A
  // (another editor or a supervisor) publishes them; B's editors and supervisors get 404, audited.
  'GET /api/v1/directory/vocabularies': { call: () => ({ path: '/api/v1/directory/vocabularies' }), expect: { anon: 401, [DIRECTORY_ROLES]: 200, rest: 403 } },
  'GET /api/v1/directory/services': { call: () => ({ path: '/api/v1/directory/services' }), expect: { anon: 401, [DIRECTORY_ROLES]: 200, rest: 403 } },
  'POST /api/v1/directory/services': { call: () => ({ path: '/api/v1/directory/services', body: shelterBody({ name: 'Albergue nuevo de la prueba de permisos' }) }), expect: { anon: 401, 'A.editor B.editor': 201, rest: 403 } },
  'GET /api/v1/directory/services/{id}': { call: () => ({ path: `/api/v1/directory/services/${w.directoryEntry.id}` }), expect: { anon: 401, 'A.editor A.sup': 200, 'B.editor B.sup': 404, rest: 403 } },
  'PATCH /api/v1/directory/services/{id}': { call: () => ({ path: `/api/v1/directory/services/${w.directoryEntry.id}`, body: { alert: 'Aviso de la prueba de permisos.' } }), expect: { anon: 401, 'A.editor': 204, 'B.editor': 404, rest: 403 } },
  'POST /api/v1/directory/services/{id}/submit': { call: async (actor) => ({ path: `/api/v1/directory/services/${actor.key === 'A.editor' ? await freshDirectoryEntry() : w.directoryEntry.id}/submit` }), expect: { anon: 401, 'A.editor': 204, 'B.editor': 404, rest: 403 } },
  // A's editor changed the entry last: only someone else may publish it or send it back.
  'POST /api/v1/directory/services/{id}/publish': { call: async (actor) => ({ path: `/api/v1/directory/services/${actor.key.startsWith('A.') ? await freshDirectoryEntry(true) : w.directoryEntry.id}/publish` }), expect: { anon: 401, 'A.sup': 204, 'A.editor': 409, 'B.editor B.sup': 404, rest: 403 } },
  'POST /api/v1/directory/services/{id}/return': { call: async (actor) => ({ path: `/api/v1/directory/services/${actor.key.startsWith('A.') ? await freshDirectoryEntry(true) : w.directoryEntry.id}/return`, body: { note: 'Falta el horario.' } }), expect: { anon: 401, 'A.sup': 204, 'A.editor': 409, 'B.editor B.sup': 404, rest: 403 } },
  'POST /api/v1/directory/services/{id}/verify': { call: () => ({ path: `/api/v1/directory/services/${w.directoryEntry.id}/verify`, body: { capacity_available: 10 } }), expect: { anon: 401, 'A.editor': 204, 'B.editor': 404, rest: 403 } },
  // Outreach events (docs/outreach.md): each institution's caseworkers and supervisors record and read
  // their own; the author or a supervisor corrects and deletes; B's staff get 404 (audited).
  'GET /api/v1/outreach/events': { call: () => ({ path: '/api/v1/outreach/events' }), expect: { anon: 401, [OUTREACH_RECORDERS]: 200, rest: 403 } },
  'POST /api/v1/outreach/events': { call: () => ({ path: '/api/v1/outreach/events', body: outreachBody() }), expect: { anon: 401, [OUTREACH_RECORDERS]: 201, rest: 403 } },
  'GET /api/v1/outreach/events/{id}': { call: async () => ({ path: `/api/v1/outreach/events/${await outreachOne()}` }), expect: { anon: 401, 'A.sup A.cw A.cw2': 200, 'B.sup B.cw B.cw2': 404, rest: 403 } },
  'PATCH /api/v1/outreach/events/{id}': {
    call: async () => ({ path: `/api/v1/outreach/events/${await outreachOne()}`, body: { title: 'Plática corregida' } }),
    expect: { anon: 401, 'A.sup A.cw': 204, 'A.cw2': 403, 'B.sup B.cw B.cw2': 404, rest: 403 },
  },
  'POST /api/v1/outreach/events/{id}/delete': {
    call: async (actor) => ({ path: `/api/v1/outreach/events/${actor.key === 'A.cw2' ? await outreachOne() : await outreachFor(actor)}/delete`, body: { reason: 'Registrado por error' } }),
    expect: { anon: 401, 'A.sup A.cw': 204, 'A.cw2': 403, 'B.sup B.cw B.cw2': 404, rest: 403 },
  },
  'POST /api/v1/outreach/events/{id}/attendees': {
    call: async (actor) => ({ path: `/api/v1/outreach/events/${await outreachFor(actor)}/attendees`, body: { person_id: w.personOne.id } }),
    expect: { anon: 401, 'A.sup A.cw A.cw2': 204, 'B.sup B.cw B.cw2': 404, rest: 403 },
  },
  'DELETE /api/v1/outreach/events/{id}/attendees/{personId}': {
    call: async (actor) => ({ path: `/api/v1/outreach/events/${await outreachFor(actor, true)}/attendees/${w.personOne.id}` }),
    expect: { anon: 401, 'A.sup A.cw A.cw2': 204, 'B.sup B.cw B.cw2': 404, rest: 403 },
    refusedRecord: () => sharedOutreachId,
  },
  'GET /api/v1/outreach/dashboard': { call: () => ({ path: '/api/v1/outreach/dashboard' }), expect: { anon: 401, 'A.sup B.sup': 200, rest: 403 } },
};

function expectedStatus(route: string, actor: ActorKey): number {
  const spec = table[route]!;
  let rest: number | undefined;
  for (const [keys, status] of Object.entries(spec.expect)) {
    if (keys === 'rest') rest = status;
    else if (keys.split(' ').includes(actor)) return status;
  }
  if (rest === undefined) throw new Error(`${route}: no expectation for ${actor}`);
  return rest;
}

const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/totp',
  // The second step of a sign-in with a recovery code: needs the session that waits for it.
  'POST /api/v1/account/recovery',
  // The page behind an administrator's one-time link: the link's token is the credential.
  'POST /api/v1/account/password-reset',
  // The page behind an invitation: the token is the credential; an existing account must also be signed in.
  'POST /api/v1/account/invitation',
  'POST /api/v1/account/invitation/accept',
  // The Ed25519 public key (id, PEM, SHA-256) that authorities use to verify transmission packages:
  // public by nature, and published so that the key in a package can be compared with it. The
  // private key never leaves complaint_signing_keys. (The first call makes the key pair.)
  'GET /api/v1/complaints/signing-key',
  // Every public key that ever signed, so that packages sent before a key rotation still verify.
  'GET /api/v1/complaints/signing-keys',
  // Static lists (kinds, places, authority types, statuses, states) with labels, for the public
  // complaint form and other clients: nothing from the database.
  'GET /api/v1/complaints/vocabularies',
  // Families follow a search without an account (folio + access code; docs/missing.md).
  'POST /api/v1/missing/public/reports',
  'POST /api/v1/missing/public/status',
  'POST /api/v1/missing/public/messages',
]);

/**
 * Routes that modules register outside /api/v1. The session check guards /api/v1 only, so every one
 * of these is reachable without signing in; each must be meant to be.
 */
const PUBLIC_PAGES = new Set([
  // Anonymous complaint intake, 24/7, by people who have no account (docs/complaints.md): the form
  // and its submission.
  'GET /quejas',
  'POST /quejas',
  // Follow-up: the form, and the status page behind folio + receipt (argon2id, rate-limited, the
  // same answer whether or not the folio exists).
  'GET /quejas/seguimiento',
  'POST /quejas/seguimiento',
  // The complainant's reply and the acuse: both need the HMAC-signed, one-hour token of the status page.
  'POST /quejas/seguimiento/responder',
  'POST /quejas/acuse',
  // Families of missing persons (docs/missing.md, "Families"): the landing page, the report form and
  // its submission (only while an institution receives public reports), the follow-up behind folio +
  // access code (argon2id, the limiter shared with /api/v1/missing/public/*), and the answer, which
  // needs the HMAC-signed one-hour token of the status page.
  'GET /familias/busqueda',
  'GET /familias/busqueda/reportar',
  'POST /familias/busqueda/reportar',
  'GET /familias/busqueda/seguimiento',
  'POST /familias/busqueda/seguimiento',
  'POST /familias/busqueda/seguimiento/responder',
  'POST /familias/busqueda/comprobante',
  // The public services directory (docs/directory.md): published entries only, read only, nothing
  // about the visitor kept; the search pages and the HSDS open-data API.
  'GET /servicios',
  'GET /servicios/:id',
  'GET /hsds/',
  'GET /hsds/services',
  'GET /hsds/services/:id',
  'GET /hsds/service_at_locations',
  'GET /hsds/service_at_locations/:id',
  'GET /hsds/organizations',
  'GET /hsds/organizations/:id',
  'GET /hsds/taxonomies',
  'GET /hsds/taxonomies/:id',
  'GET /hsds/taxonomy_terms',
  'GET /hsds/taxonomy_terms/:id',
  // The public front door (docs/public.md): the home, the privacy notice, the operator's logo, the
  // information pages and the guide (a form sent by GET; nothing stored). Read-only pages.
  'GET /',
  'GET /aviso-de-privacidad',
  'GET /portada/logo',
  'GET /informacion',
  'GET /informacion/guia',
  'GET /informacion/:slug',
]);

const allMarkers = [...markerList(caseOneMarkers), ...markerList(caseTwoPrivateMarkers), ...markerList(caseTwoSharedMarkers), ...complaintOneMarkerList, ...markerList(complaintTwoMarkers), ...missingMarkerList, ...markerList(childMarkers), screeningMarker];

/** `/api/v1/x/{id}` → `/api/v1/x/:id`-style match of a concrete path, returning the `{id}` value. */
function pathParam(template: string, path: string, name = 'id'): string | null {
  const t = template.split('/');
  const p = path.split('?')[0]!.split('/');
  const i = t.indexOf(`{${name}}`);
  return i >= 0 ? (p[i] ?? null) : null;
}

async function lastAuditId(): Promise<string> {
  const row = await server.db.selectFrom('audit_log').select(sql<string>`coalesce(max(id), 0)::text`.as('id')).executeTakeFirstOrThrow();
  return row.id;
}

async function deniedAuditSince(since: string, actor: WorldActor, recordId: string) {
  return server.db
    .selectFrom('audit_log')
    .select(['action', 'record_type'])
    .where(sql<boolean>`id > ${since}::bigint`)
    .where('institution_id', '=', actor.institutionId!)
    .where('actor_user_id', '=', actor.userId!)
    .where('record_id', '=', recordId)
    .where('action', 'like', '%\\_denied')
    .execute();
}


/** Problems with an error body: not JSON {code, message}, or a message not in the caller's language. */
function errorBodyProblems(status: number, body: unknown, language: 'es' | 'en'): string[] {
  if (status < 400) return [];
  if (typeof body !== 'object' || body === null) return [`error ${status} is not JSON: ${String(body).slice(0, 120)}`];
  const { code, message } = body as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return [`error ${status} lacks code/message: ${JSON.stringify(body).slice(0, 200)}`];
  let template: string | undefined;
  try {
    template = translate(language, code as MessageKey);
  } catch {
    return [`error code ${code} has no message in the catalogue`];
  }
  if (!template.includes('{') && message !== template) return [`message for ${code} is not in ${language}: ${message}`];
  return [];
}

/**
 * Every /api/v1 route the server's modules register (bar HEAD), which of them are reachable without
 * signing in, and the routes modules register outside /api/v1 (`pages`).
 */
async function registeredRoutes(): Promise<{ all: Set<string>; public: Set<string>; pages: Set<string> }> {
  const all = new Set<string>();
  const open = new Set<string>();
  const pages = new Set<string>();
  const context = { db: server.db, cipher: server.cipher, config: server.config };
  const app = await buildApp(context, { logger: false });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      if (!route.url.startsWith('/api/v1/')) {
        pages.add(`${method} ${route.url}`);
        continue;
      }
      const key = `${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`;
      all.add(key);
      if ((route.config as { public?: boolean } | undefined)?.public) open.add(key);
    }
  });
  await registerModules(app, context, modules);
  await app.ready();
  await app.close();
  return { all, public: open, pages };
}

describe('the expectation table', () => {
  it('covers every /api/v1 route the server registers, and the API reference documents each one', async () => {
    const { all: registered, public: open, pages } = await registeredRoutes();

    const spec = (await w.actors['A.sup'].client.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const method of Object.keys(operations)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) documented.add(`${method.toUpperCase()} ${path}`);
    }

    // Making a route reachable without signing in is a decision this list records.
    expect.soft([...open].sort(), 'routes reachable without signing in').toEqual([...PUBLIC_ROUTES].sort());
    expect.soft([...pages].sort(), 'routes outside /api/v1 (no session check)').toEqual([...PUBLIC_PAGES].sort());
    expect(registered.size).toBeGreaterThan(30);
    expect.soft([...registered].filter((r) => !(r in table)), 'routes without a row in the table').toEqual([]);
    expect.soft([...documented].filter((r) => !(r in table)), 'documented routes without a row in the table').toEqual([]);
    expect.soft(Object.keys(table).filter((r) => !registered.has(r)), 'rows for routes that do not exist').toEqual([]);
    expect.soft([...registered].filter((r) => !documented.has(r)), 'routes hidden from the API reference').toEqual([]);
    // Every role the capability table or account administration knows is walked by some actor
    // (`platform_admin` in the table is a flag on the user, not a role).
    const known = new Set<string>([...roles, ...(Object.keys(capabilities) as Capability[]).flatMap(rolesWith)]);
    const walked = new Set<string>(Object.values(roleOf));
    expect.soft([...known].filter((role) => !walked.has(role)), 'roles no actor of the walk has').toEqual([]);
    for (const route of Object.keys(table)) {
      for (const keys of Object.keys(table[route]!.expect)) {
        for (const key of keys.split(' ')) if (key !== 'rest') expect(actorKeys, `${route}: unknown actor ${key}`).toContain(key);
      }
    }
  });
});

// The table's rows run in its order: some write (grant access, assign) and the rows after them expect it.
describe('every endpoint with every role of two institutions and an anonymous caller', { shuffle: false }, () => {
  it.each(Object.keys(table))('%s', async (route) => {
    const spec = table[route]!;
    const [method, template] = route.split(' ') as [string, string];
    const problems: string[] = [];
    for (const key of actorKeys) {
      const actor = w.actors[key];
      const call = await spec.call(actor);
      const client = call.client ?? actor.client;
      const before = await lastAuditId();
      const response = await client.request(method, call.path, call.raw ? call.raw.data : call.body, { ...call.headers, ...(call.raw ? { 'content-type': call.raw.contentType } : {}) });
      const want = expectedStatus(route, key);
      const say = (what: string) => problems.push(`${key}: ${what}`);

      if (response.status !== want) say(`expected ${want}, got ${response.status} ${response.text.slice(0, 160)}`);
      if (response.status >= 500) say(`server error ${response.status}`);
      for (const problem of errorBodyProblems(response.status, response.body, client.language)) say(problem);

      // Nobody receives a marker they are not entitled to; case two's private sections reach no one here.
      const entitledTo = typeof spec.entitledTo === 'function' ? spec.entitledTo(key) : spec.entitledTo;
      const allowed: readonly string[] = spec.entitled?.includes(key) && response.status < 300 ? (entitledTo ?? markerList(caseOneMarkers)) : [];
      const found = leaked(response.text, allMarkers.filter((m) => !allowed.includes(m)));
      if (found.length) say(`response leaks ${found.join(', ')}`);

      // A refused record of another institution: 404, and an audit entry in the caller's chain.
      if (response.status === 404 && want === 404 && actor.institutionId && !spec.unaudited404) {
        const recordId = spec.refusedRecord?.() ?? pathParam(template, call.path)!;
        const rows = await deniedAuditSince(before, actor, recordId);
        if (rows.length === 0) say(`404 on ${recordId} left no refusal audit entry (*_denied) in the caller's institution`);
      }
    }
    expect(problems).toEqual([]);
    // Every actor in turn (19 of them), some routes writing PDFs: generous on a busy 2-core machine.
  }, 120_000);
});

describe('anonymous callers', () => {
  it('get 401 {code: unauthenticated} on every registered /api/v1 route except the public ones', async () => {
    const anon = new ApiClient(server.baseUrl, 'en');
    const { all } = await registeredRoutes();
    const problems: string[] = [];
    let checked = 0;
    for (const route of all) {
      if (PUBLIC_ROUTES.has(route)) continue;
      const [method, path] = route.split(' ') as [string, string];
      const concrete = path.replace(/\{[^}]+\}/g, () => w.caseOne.id);
      const response = await anon.request(method, concrete, method === 'GET' || method === 'DELETE' ? undefined : {});
      checked++;
      if (response.status !== 401 || response.body?.code !== 'unauthenticated' || response.body?.message !== translate('en', 'unauthenticated')) {
        problems.push(`${route}: ${response.status} ${response.text.slice(0, 120)}`);
      }
      if (leaked(response.text, allMarkers).length) problems.push(`${route}: leaks`);
    }
    expect(checked).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });
});

describe('the public complaint endpoints and pages', () => {
  it('give anonymous callers public material only: the public key, the vocabularies, the empty forms', async () => {
    const anon = new ApiClient(server.baseUrl, 'en');
    const key = await anon.get('/api/v1/complaints/signing-key');
    expect(key.status).toBe(200);
    expect(Object.keys(key.body).sort()).toEqual(['algorithm', 'key_id', 'public_key_pem', 'public_key_sha256']);
    expect(key.body.public_key_pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
    expect(key.text).not.toMatch(/PRIVATE/);
    expect(createHash('sha256').update(key.body.public_key_pem.trim()).digest('hex')).toBe(key.body.public_key_sha256);
    // The key that signed complaint one's transmission is this one.
    const stored = await server.db.selectFrom('complaint_signing_keys').select(['id', 'public_key_pem']).execute();
    expect(stored.map((k) => k.id)).toContain(key.body.key_id);

    const vocabularies = await anon.get('/api/v1/complaints/vocabularies');
    expect(vocabularies.status).toBe(200);
    expect(vocabularies.body.complaintKinds.grievance.es).toBe('Queja');
    for (const response of [key, vocabularies]) {
      expect(leaked(response.text, [...allMarkers, w.complaintOne.folio, w.institutions.A.id, w.institutions.B.id])).toEqual([]);
      expect(response.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    }

    // The pages: the forms are empty; folio without the receipt opens nothing.
    for (const path of ['/quejas', '/quejas/seguimiento']) {
      const page = await anon.get(path);
      expect(page.status, path).toBe(200);
      expect(leaked(page.text, allMarkers), path).toEqual([]);
    }
    const guessed = await fetch(`${server.baseUrl}/quejas/seguimiento`, { method: 'POST', body: new URLSearchParams({ folio: w.complaintOne.folio, receipt: '1234 5678 9012 3456' }) });
    expect(guessed.status).toBe(403);
    expect(leaked(await guessed.text(), allMarkers)).toEqual([]);
    const forged = await fetch(`${server.baseUrl}/quejas/acuse`, { method: 'POST', body: new URLSearchParams({ token: `${w.complaintOne.folio}.${Date.now() + 3_600_000}.${'A'.repeat(43)}` }) });
    expect(forged.status).toBe(403);
  });
});

describe('what each role sees', () => {
  it('B sees the accepted case only in its shared sections, read-only, and only the people it was given', async () => {
    for (const key of ['B.sup', 'B.cw'] as const) {
      const client = w.actors[key].client;
      const shared = await client.get(`/api/v1/cases/${w.caseTwo.id}`);
      expect(shared.status, key).toBe(200);
      expect(shared.body.view).toBe('shared');
      expect(shared.body.summary).toBeNull();
      expect(shared.body.notes).toEqual([]);
      expect(shared.body.attachments).toEqual([]);
      expect(shared.body.referrals).toEqual([]);
      expect(shared.body.timeline).toEqual([]);
      expect(shared.text).toContain(caseTwoSharedMarkers.givenNames);
      expect(shared.text).toContain(caseTwoSharedMarkers.serviceNote);
      expect(leaked(shared.text, [...markerList(caseTwoPrivateMarkers), ...markerList(caseOneMarkers)]), key).toEqual([]);
      // Read-only, and the sections that were not shared stay closed.
      expect((await client.get(`/api/v1/cases/${w.caseTwo.id}/attachments/${w.attachmentTwo.id}`)).status, key).toBe(404);
      expect((await client.post(`/api/v1/cases/${w.caseTwo.id}/notes`, { body: 'Intento de nota.' })).status, key).toBe(404);
      expect((await client.patch(`/api/v1/cases/${w.caseTwo.id}`, { summary: 'Intento.' })).status, key).toBe(404);
      // The person of the shared case may be opened; the person of the pending one may not.
      expect((await client.get(`/api/v1/people/${w.personTwo.id}`)).status, key).toBe(200);
      expect((await client.get(`/api/v1/people/${w.personOne.id}`)).status, key).toBe(404);
      expect((await client.patch(`/api/v1/people/${w.personTwo.id}`, { languages: ['eng'] })).status, key).toBe(404);
    }
    // B's caseworker who was not assigned the receiving case sees neither case.
    const before = await lastAuditId();
    const cw2 = w.actors['B.cw2'];
    const refused = await cw2.client.get(`/api/v1/cases/${w.caseTwo.id}`);
    expect(refused.status).toBe(404);
    expect(leaked(refused.text, allMarkers)).toEqual([]);
    expect(await deniedAuditSince(before, cw2, w.caseTwo.id)).toHaveLength(1);
    expect((await cw2.client.get(`/api/v1/cases/${w.receivingCase.id}`)).status).toBe(404);
    expect((await cw2.client.get(`/api/v1/people/${w.personTwo.id}`)).status).toBe(404);
  });

  it('A does not see the case B opened on acceptance, and the refusal is audited in A', async () => {
    const sup = w.actors['A.sup'];
    const before = await lastAuditId();
    const response = await sup.client.get(`/api/v1/cases/${w.receivingCase.id}`);
    expect(response.status).toBe(404);
    expect(await deniedAuditSince(before, sup, w.receivingCase.id)).toHaveLength(1);
  });

  it('lists and searches show nobody a record they may not open', async () => {
    const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((i) => i.id);
    // B does not find A's person by name; A's unassigned caseworker does (people belong to the institution).
    const query = `/api/v1/people/search?q=${encodeURIComponent(`${caseOneMarkers.givenNames} ${caseOneMarkers.surname1} ${caseOneMarkers.surname2}`)}`;
    for (const key of ['B.sup', 'B.cw', 'B.cw2'] as const) expect(ids(await w.actors[key].client.get(query)), key).toEqual([]);
    expect(ids(await w.actors['A.cw2'].client.get(query))).toContain(w.personOne.id);
    // Case lists: A's unassigned caseworker and B's users never list case one or case two.
    for (const key of ['A.cw2', 'B.sup', 'B.cw', 'B.cw2'] as const) {
      const listed = await w.actors[key].client.get('/api/v1/cases?limit=100');
      expect(listed.status, key).toBe(200);
      expect(ids(listed), key).not.toContain(w.caseOne.id);
      expect(ids(listed), key).not.toContain(w.caseTwo.id);
      // A's caseworkers may read A's people (not their cases); B's users never see case one's names.
      if (key.startsWith('B.')) expect(leaked(listed.text, [caseOneMarkers.givenNames, caseOneMarkers.surname1]), key).toEqual([]);
    }
    expect(ids(await w.actors['A.sup'].client.get('/api/v1/cases?limit=100'))).toEqual(expect.arrayContaining([w.caseOne.id, w.caseTwo.id]));
    // Referrals: A's unassigned caseworker sees none of case one's; B's caseworker only the one it was given.
    const outgoing = await w.actors['A.cw2'].client.get('/api/v1/referrals?direction=outgoing&limit=100');
    expect(ids(outgoing)).not.toContain(w.pendingReferral.id);
    const incomingCw = await w.actors['B.cw'].client.get('/api/v1/referrals?direction=incoming&limit=100');
    expect(ids(incomingCw)).toEqual([w.sharedReferral.id]);
    expect(ids(await w.actors['B.cw2'].client.get('/api/v1/referrals?direction=incoming&limit=100'))).toEqual([]);
    expect(ids(await w.actors['B.sup'].client.get('/api/v1/referrals?direction=incoming&status=pending&limit=100'))).toContain(w.pendingReferral.id);
  });

  it('gives analysts and administrators counts only on the dashboard: no folio, no name, no list', async () => {
    for (const key of ['A.analyst', 'A.admin', 'B.analyst', 'B.admin'] as const) {
      const dashboard = await w.actors[key].client.get('/api/v1/dashboard');
      expect(dashboard.status, key).toBe(200);
      expect(dashboard.body.scope).toBe('institution');
      expect(dashboard.body.my_open_cases).toEqual([]);
      expect(dashboard.body.tasks).toEqual([]);
      // Counts through disclosure control: withheld (null) under 5, else multiples of 5.
      expect(dashboard.body.figures).toBe('controlled');
      for (const counts of [dashboard.body.cases_by_status, dashboard.body.cases_by_programme]) {
        for (const value of Object.values(counts)) expect(value === null || (typeof value === 'number' && value % 5 === 0)).toBe(true);
      }
      const folios = [w.caseOne.folio, w.caseTwo.folio, w.receivingCase.folio, `${w.institutions.A.code}-`, `${w.institutions.B.code}-`];
      expect(leaked(dashboard.text, [...allMarkers, ...folios]), key).toEqual([]);
      expect(dashboard.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    }
    // The analyst of A does count A's cases (a handful: withheld, not shown as 0).
    const counts = (await w.actors['A.analyst'].client.get('/api/v1/dashboard')).body.cases_by_status as Record<string, number | null>;
    expect(Object.keys(counts).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps personal data out of the audit log that auditors read', async () => {
    for (const key of ['A.auditor', 'B.auditor'] as const) {
      let offset = 0;
      for (;;) {
        const page = await w.actors[key].client.get(`/api/v1/audit?limit=100&offset=${offset}`);
        expect(page.status).toBe(200);
        expect(leaked(page.text, allMarkers), key).toEqual([]);
        offset += 100;
        if (offset >= page.body.total) break;
      }
      const verify = await w.actors[key].client.get('/api/v1/audit/verify');
      expect(verify.body.ok, key).toBe(true);
    }
    const everything = await server.db.selectFrom('audit_log').selectAll().execute();
    expect(leaked(JSON.stringify(everything), [...allMarkers, w.complaintOne.receipt, w.complaintTwo.receipt])).toEqual([]);
  });

  it("gives complaint one, whole, to A's complaint handler: the markers the walk looks for are really there", async () => {
    const handler = w.actors['A.handler'].client;
    const q = complaintOneMarkers;
    const view = await handler.get(`/api/v1/complaints/${w.complaintOne.id}`);
    expect(view.status).toBe(200);
    expect(leaked(view.text, [q.narrative, q.contactName, q.contactPhone, q.contactEmail, q.contactOther, q.authorityName, q.officialDescription, q.badge, q.vehicle, q.placeDescription, q.attachmentName, q.note, q.message, q.reply]).length).toBe(14);
    expect((await handler.get(`/api/v1/complaints/${w.complaintOne.id}/attachments/${w.complaintOne.attachmentId}`)).text).toContain(q.attachment);
    const exported = await handler.get(`/api/v1/complaints/${w.complaintOne.id}/export?include_contact=true&include_notes=true`);
    expect(leaked(exported.text, [q.narrative, q.contactName, q.attachment, q.note])).toHaveLength(4);
    const transmitted = await handler.get(`/api/v1/complaints/${w.complaintOne.id}/transmissions/${w.complaintOne.transmissionId}/package`);
    expect(leaked(transmitted.text, [q.narrative, q.contactEmail, q.attachment, q.note])).toHaveLength(4);
  });

  it("keeps each unit's complaints in its own inbox; the operator who recorded one cannot open it", async () => {
    const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((i) => i.id);
    const inboxA = await w.actors['A.handler'].client.get('/api/v1/complaints?limit=100');
    const inboxB = await w.actors['B.handler'].client.get('/api/v1/complaints?limit=100');
    expect(ids(inboxA)).toContain(w.complaintOne.id);
    expect(ids(inboxA)).not.toContain(w.complaintTwo.id);
    expect(ids(inboxB)).toContain(w.complaintTwo.id);
    expect(ids(inboxB)).not.toContain(w.complaintOne.id);
    // Inbox rows carry no text of the complaint.
    expect(leaked(inboxA.text + inboxB.text, allMarkers)).toEqual([]);
    // Searching another unit's folio finds nothing.
    expect(ids(await w.actors['B.handler'].client.get(`/api/v1/complaints?folio=${encodeURIComponent(w.complaintOne.folio)}`))).toEqual([]);

    // B's caseworker recorded complaint two by phone: 404, audited in B; A's handler: 404, audited in A.
    for (const key of ['B.cw', 'A.handler', 'B.sup'] as const) {
      const actor = w.actors[key];
      const before = await lastAuditId();
      const refused = await actor.client.get(`/api/v1/complaints/${w.complaintTwo.id}`);
      expect(refused.status, key).toBe(404);
      expect(leaked(refused.text, allMarkers), key).toEqual([]);
      expect(await deniedAuditSince(before, actor, w.complaintTwo.id), key).toHaveLength(1);
    }
    const seen = await w.actors['B.handler'].client.get(`/api/v1/complaints/${w.complaintTwo.id}`);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain(complaintTwoMarkers.narrative);
  });

  it('gives analysts complaint counts of their unit only, with small cells suppressed so that none can be recovered', async () => {
    type Stats = { total: number | null; suppressed_below: number } & Record<string, unknown>;
    const dimensions = ['by_kind', 'by_channel', 'by_state', 'by_authority_type', 'by_place_type', 'by_status', 'by_outcome'];
    const problems: string[] = [];
    for (const key of ['A.analyst', 'B.analyst'] as const) {
      const response = await w.actors[key].client.get<Stats>('/api/v1/complaints/statistics');
      expect(response.status, key).toBe(200);
      expect(response.body.suppressed_below, key).toBe(5);
      expect(leaked(response.text, [...allMarkers, w.complaintOne.folio, w.complaintTwo.folio]), key).toEqual([]);
      expect(response.text, key).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      // The total is a cell too.
      const total = response.body.total;
      if (total !== null && total > 0 && total < 5) problems.push(`${key} total = ${response.body.total} is shown`);
      for (const dimension of dimensions) {
        const cells = response.body[dimension] as Record<string, number | null>;
        const shown = Object.values(cells).filter((v): v is number => v !== null);
        const hidden = Object.entries(cells).filter(([, v]) => v === null);
        for (const [cell, value] of Object.entries(cells)) if (value !== null && value > 0 && value < 5) problems.push(`${key} ${dimension}.${cell} = ${value} is shown`);
        // Each dimension partitions the total: one hidden cell is the total minus the cells shown.
        // (A hidden total hides them all.)
        if (hidden.length === 1 && total !== null) problems.push(`${key} ${dimension}.${hidden[0]![0]} is hidden but equals total ${total} − shown ${shown.reduce((a, b) => a + b, 0)} = ${total - shown.reduce((a, b) => a + b, 0)}`);
      }
    }
    // A's unit: complaint one (the only report, the only web complaint) and the phone complaints of the walk.
    const handlerView = (await w.actors['A.handler'].client.get<Stats>('/api/v1/complaints/statistics')).body;
    expect((handlerView.by_kind as Record<string, number>).report).toBe(1);
    expect(problems).toEqual([]);
  });

  it('gives statistics readers aggregates only: no marker, folio or identifier in tables, exports or reports', async () => {
    const folios = [w.caseOne.folio, w.caseTwo.folio, w.receivingCase.folio, w.complaintOne.folio, w.complaintTwo.folio];
    const paths = [
      '/api/v1/statistics/query?indicator=people_attended&period=2020&by=sex,nationality',
      '/api/v1/statistics/query?indicator=services_provided&period=2020&by=institution,service_type',
      '/api/v1/statistics/query?indicator=victims_in_case_files&period=2020&by=sex',
      '/api/v1/statistics/export?indicator=people_attended&period=2020&by=age_group,sex&format=csv',
      '/api/v1/statistics/export?indicator=services_provided&period=2020&by=institution&format=json',
      '/api/v1/statistics/report?period=2020&format=html',
      '/api/v1/statistics/report?period=2020&format=json',
      '/api/v1/complaints/statistics',
    ];
    for (const key of ['A.analyst', 'A.sup', 'B.analyst', 'B.sup'] as const) {
      for (const path of paths) {
        const response = await w.actors[key].client.get(path);
        if (path.startsWith('/api/v1/complaints/') && key.endsWith('.sup')) {
          expect(response.status, `${key} ${path}`).toBe(403);
          continue;
        }
        expect(response.status, `${key} ${path}`).toBe(200);
        expect(leaked(response.text, [...allMarkers, ...folios]), `${key} ${path}`).toEqual([]);
      }
    }
    // Case one's single person is a cell of 1: never shown.
    const people = await w.actors['A.analyst'].client.get('/api/v1/statistics/query?indicator=people_attended&period=2020&by=sex');
    for (const cell of [people.body.total, ...people.body.cells]) if (cell.value !== null) expect(cell.value === 0 || cell.value >= 5, JSON.stringify(cell)).toBe(true);
  });
});

describe('account administration stays within the institution', () => {
  it("an administrator of A cannot obtain a password that opens B's data", async () => {
    const admin = w.actors['A.admin'].client;
    // A supervisor of B only; and a caseworker who works for both institutions.
    const onlyB = await makeUser(server.db, w.institutions.B.id, 'supervisor');
    const both = await makeUser(server.db, w.institutions.B.id, 'supervisor');
    await server.db.insertInto('memberships').values({ user_id: both.id, institution_id: w.institutions.A.id, role: 'caseworker' }).execute();

    // Attaching B's user to A is not A's to decide (it must not even confirm the account exists).
    const attach = await admin.request('PUT', `/api/v1/users/${onlyB.id}/membership`, { institution_id: w.institutions.A.id, role: 'caseworker' });
    expect.soft(attach.status, 'attach a user of B to A').toBe(404);

    const obtained: string[] = [];
    // A reset gives a one-time link, not a password: whoever follows it chooses the password.
    for (const target of [onlyB, both]) {
      const reset = await admin.post(`/api/v1/users/${target.id}/reset-password`);
      if (reset.status === 200) {
        const chosen = `taken over ${target.id.slice(0, 8)} password`;
        const followed = await new ApiClient(server.baseUrl).post('/api/v1/account/password-reset', { token: String(reset.body.reset_path).split('#')[1], new_password: chosen });
        if (followed.status === 204) obtained.push(chosen);
      }
    }
    // An invitation to A of B's user's email is a link like any other; followed by A's administrator
    // (not signed in as her), it sets no password and gives no membership.
    for (const target of [onlyB, both]) {
      const invited = await admin.post('/api/v1/users', { email: target.email, display_name: 'Invitada', role: 'caseworker', institution_id: w.institutions.A.id });
      expect.soft(invited.status, 'an invitation answers the same for any email').toBe(201);
      const chosen = `invited over ${target.id.slice(0, 8)} password`;
      const followed = await admin.post('/api/v1/account/invitation/accept', { token: String(invited.body.invitation_path).split('#')[1], new_password: chosen });
      if (followed.status === 200) obtained.push(chosen);
    }
    // Whatever came back, it must not sign anyone in to B.
    const openedB: string[] = [];
    for (const target of [onlyB, both]) {
      for (const password of [...obtained, TEST_PASSWORD]) {
        const client = new ApiClient(server.baseUrl);
        const login = await client.post('/api/v1/auth/login', { email: target.email, password, institution_id: w.institutions.B.id });
        if (login.status === 200 && password !== TEST_PASSWORD) openedB.push(target.email);
      }
    }
    expect.soft(obtained, 'passwords of users who also work for B, handed to A’s administrator').toEqual([]);
    expect(openedB, 'accounts of B taken over by A’s administrator').toEqual([]);
  });
});
