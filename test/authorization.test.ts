import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeInstitution, makeUser, startTestServer, uniqueCode, TEST_PASSWORD, type TestServer } from './helpers.ts';
import {
  Client,
  actorKeys,
  roleOf,
  buildWorld,
  caseOneMarkers,
  caseTwoPrivateMarkers,
  caseTwoSharedMarkers,
  leaked,
  markerList,
  personBody,
  type ActorKey,
  type WorldActor,
  type World,
} from './fixtures.ts';
import { buildApp, registerModules } from '../src/platform/http/app.ts';
import { modules } from '../src/modules.ts';
import { translate, type MessageKey } from '../src/platform/i18n/messages.ts';
import { capabilities } from '../src/platform/auth/policy.ts';
import { roles } from '../src/users/user.service.ts';

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

type Call = { path: string; body?: unknown; raw?: { data: string | Uint8Array; contentType: string }; client?: Client };

type RouteSpec = {
  /** The request, built per actor (fresh records where the call would otherwise change the next one). */
  call: (actor: WorldActor) => Call | Promise<Call>;
  /** Expected status by actor: keys are space-separated actor keys, or `rest` for everyone else. */
  expect: Record<string, number>;
  /** Actors entitled to case one and its person, whose responses may carry those markers. */
  entitled?: ActorKey[];
  /** Why an expected 404 here is not a refused record of another institution (no `_denied` audit owed). */
  unaudited404?: string;
};

const CASE_ROLES = 'A.sup A.cw A.cw2 B.sup B.cw B.cw2';
const CASE_ONE_DENIED = 'A.cw2 B.sup B.cw B.cw2';
const PERSON_ONE_READERS: ActorKey[] = ['A.sup', 'A.cw', 'A.cw2'];
const CASE_ONE_READERS: ActorKey[] = ['A.sup', 'A.cw'];

const otherInstitution = (actor: WorldActor) => (actor.institution === 'A' ? w.institutions.B.id : w.institutions.A.id);

/** A case of A with a new person, referred to B and left pending: a referral B may answer once. */
async function freshPendingReferralToB(): Promise<string> {
  const sup = w.actors['A.sup'].client;
  const person = await sup.post('/api/v1/people', personBody({ given_names: 'Canalizada' }));
  const opened = await sup.post('/api/v1/cases', { programme: 'shelter', opened_on: '2021-01-01', participants: [{ person_id: person.body.id, role: 'applicant' }] });
  const referral = await sup.post(`/api/v1/cases/${opened.body.id}/referrals`, { to_institution_id: w.institutions.B.id, reason: 'Requiere albergue.', consent_recorded_on: '2021-01-02', consent_method: 'verbal', shared_sections: ['services'] });
  if (referral.status !== 201) throw new Error(`fresh referral: ${referral.status} ${referral.text}`);
  return referral.body.id;
}

const table: Record<string, RouteSpec> = {
  // --- auth (login, session, logout and totp are public) ---
  'POST /api/v1/auth/login': { call: () => ({ path: '/api/v1/auth/login', body: { email: `nobody-${randomUUID().slice(0, 8)}@test.amparo`, password: 'not the password' } }), expect: { rest: 401 } },
  'GET /api/v1/auth/session': { call: () => ({ path: '/api/v1/auth/session' }), expect: { anon: 401, rest: 200 } },
  'POST /api/v1/auth/logout': {
    // Each signed-in actor logs out a session of its own opened for the purpose, keeping the walk's one.
    call: async (actor) => ({ path: '/api/v1/auth/logout', client: actor.email ? await Client.forSession(server, actor.email, actor.client.language) : actor.client }),
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
  'POST /api/v1/users/{id}/disable': { call: () => ({ path: `/api/v1/users/${w.managedUserA.id}/disable`, body: { disabled: false } }), expect: { anon: 401, 'A.admin': 204, 'B.admin': 404, rest: 403 } },

  // --- people (a person belongs to the institution: every caseworker of A may open A's people) ---
  'GET /api/v1/people/search': { call: () => ({ path: `/api/v1/people/search?q=${encodeURIComponent(`${caseOneMarkers.givenNames} ${caseOneMarkers.surname1}`)}` }), expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 }, entitled: PERSON_ONE_READERS },
  'POST /api/v1/people': { call: () => ({ path: '/api/v1/people', body: personBody({ given_names: 'Registro' }) }), expect: { anon: 401, [CASE_ROLES]: 201, rest: 403 } },
  'GET /api/v1/people/{id}': { call: () => ({ path: `/api/v1/people/${w.personOne.id}` }), expect: { anon: 401, 'A.sup A.cw A.cw2': 200, 'B.sup B.cw B.cw2': 404, rest: 403 }, entitled: PERSON_ONE_READERS },
  'PATCH /api/v1/people/{id}': {
    call: () => ({ path: `/api/v1/people/${w.personOne.id}`, body: { languages: ['spa', 'eng'] } }),
    expect: { anon: 401, 'A.sup A.cw A.cw2': 200, 'B.sup B.cw B.cw2': 404, rest: 403 },
    entitled: PERSON_ONE_READERS,
  },

  // --- cases (case one: A's, assigned to A.cw, referred to B and still pending) ---
  'GET /api/v1/vocabularies': { call: () => ({ path: '/api/v1/vocabularies' }), expect: { anon: 401, rest: 200 } },
  'GET /api/v1/cases': { call: () => ({ path: '/api/v1/cases?limit=100' }), expect: { anon: 401, [CASE_ROLES]: 200, rest: 403 } },
  'POST /api/v1/cases': {
    call: () => ({ path: '/api/v1/cases', body: { programme: 'legal_aid', opened_on: '2020-06-01', participants: [{ person_id: w.personOne.id, role: 'applicant' }] } }),
    // B may not link A's person: the same 400 as for a person that does not exist.
    expect: { anon: 401, 'A.sup A.cw A.cw2': 201, 'B.sup B.cw B.cw2': 400, rest: 403 },
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
  'GET /api/v1/dashboard': { call: () => ({ path: '/api/v1/dashboard' }), expect: { anon: 401, 'A.auditor B.auditor': 403, rest: 200 } },
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

const PUBLIC_ROUTES = new Set(['POST /api/v1/auth/login', 'GET /api/v1/auth/session', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/totp']);
const allMarkers = [...markerList(caseOneMarkers), ...markerList(caseTwoPrivateMarkers), ...markerList(caseTwoSharedMarkers)];

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

/** Every route the server registers (bar HEAD), and which of them are reachable without signing in. */
async function registeredRoutes(): Promise<{ all: Set<string>; public: Set<string> }> {
  const all = new Set<string>();
  const open = new Set<string>();
  const context = { db: server.db, cipher: server.cipher, config: server.config };
  const app = await buildApp(context, { logger: false });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || !route.url.startsWith('/api/v1/')) continue;
      const key = `${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`;
      all.add(key);
      if ((route.config as { public?: boolean } | undefined)?.public) open.add(key);
    }
  });
  await registerModules(app, context, modules);
  await app.ready();
  await app.close();
  return { all, public: open };
}

describe('the expectation table', () => {
  it('covers every /api/v1 route the server registers, and the API reference documents each one', async () => {
    const { all: registered, public: open } = await registeredRoutes();

    const spec = (await w.actors['A.sup'].client.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const method of Object.keys(operations)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) documented.add(`${method.toUpperCase()} ${path}`);
    }

    // Making a route reachable without signing in is a decision this list records.
    expect.soft([...open].sort(), 'routes reachable without signing in').toEqual([...PUBLIC_ROUTES].sort());
    expect(registered.size).toBeGreaterThan(30);
    expect.soft([...registered].filter((r) => !(r in table)), 'routes without a row in the table').toEqual([]);
    expect.soft([...documented].filter((r) => !(r in table)), 'documented routes without a row in the table').toEqual([]);
    expect.soft(Object.keys(table).filter((r) => !registered.has(r)), 'rows for routes that do not exist').toEqual([]);
    expect.soft([...registered].filter((r) => !documented.has(r)), 'routes hidden from the API reference').toEqual([]);
    // Every role the capability table or account administration knows is walked by some actor.
    const known = new Set<string>([...roles, ...Object.values(capabilities).flat()]);
    const walked = new Set<string>(Object.values(roleOf));
    expect.soft([...known].filter((role) => !walked.has(role)), 'roles no actor of the walk has').toEqual([]);
    for (const route of Object.keys(table)) {
      for (const keys of Object.keys(table[route]!.expect)) {
        for (const key of keys.split(' ')) if (key !== 'rest') expect(actorKeys, `${route}: unknown actor ${key}`).toContain(key);
      }
    }
  });
});

describe('every endpoint with every role of two institutions and an anonymous caller', () => {
  it.each(Object.keys(table))('%s', async (route) => {
    const spec = table[route]!;
    const [method, template] = route.split(' ') as [string, string];
    const problems: string[] = [];
    for (const key of actorKeys) {
      const actor = w.actors[key];
      const call = await spec.call(actor);
      const client = call.client ?? actor.client;
      const before = await lastAuditId();
      const response = await client.request(method, call.path, call.body, call.raw ? { raw: call.raw } : {});
      const want = expectedStatus(route, key);
      const say = (what: string) => problems.push(`${key}: ${what}`);

      if (response.status !== want) say(`expected ${want}, got ${response.status} ${response.text.slice(0, 160)}`);
      if (response.status >= 500) say(`server error ${response.status}`);
      for (const problem of errorBodyProblems(response.status, response.body, client.language)) say(problem);

      // Nobody receives a marker they are not entitled to; case two's private sections reach no one here.
      const allowed = spec.entitled?.includes(key) && response.status < 300 ? markerList(caseOneMarkers) : [];
      const found = leaked(response.text, allMarkers.filter((m) => !allowed.includes(m)));
      if (found.length) say(`response leaks ${found.join(', ')}`);

      // A refused record of another institution: 404, and an audit entry in the caller's chain.
      if (response.status === 404 && want === 404 && actor.institutionId && !spec.unaudited404) {
        const recordId = pathParam(template, call.path)!;
        const rows = await deniedAuditSince(before, actor, recordId);
        if (rows.length === 0) say(`404 on ${recordId} left no *_denied audit entry in the caller's institution`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('anonymous callers', () => {
  it('get 401 {code: unauthenticated} on every registered /api/v1 route except the public ones', async () => {
    const anon = new Client(server.baseUrl, 'en');
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
      for (const counts of [dashboard.body.cases_by_status, dashboard.body.cases_by_programme]) {
        for (const value of Object.values(counts)) expect(typeof value).toBe('number');
      }
      const folios = [w.caseOne.folio, w.caseTwo.folio, w.receivingCase.folio, `${w.institutions.A.code}-`, `${w.institutions.B.code}-`];
      expect(leaked(dashboard.text, [...allMarkers, ...folios]), key).toEqual([]);
      expect(dashboard.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    }
    // The analyst of A does count A's cases.
    const counts = (await w.actors['A.analyst'].client.get('/api/v1/dashboard')).body.cases_by_status as Record<string, number>;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
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
    expect(leaked(JSON.stringify(everything), allMarkers)).toEqual([]);
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
    for (const target of [onlyB, both]) {
      const reset = await admin.post(`/api/v1/users/${target.id}/reset-password`);
      if (reset.status === 200) obtained.push(reset.body.password);
    }
    // Whatever came back, it must not sign anyone in to B.
    const openedB: string[] = [];
    for (const target of [onlyB, both]) {
      for (const password of [...obtained, TEST_PASSWORD]) {
        const client = new Client(server.baseUrl);
        const login = await client.post('/api/v1/auth/login', { email: target.email, password, institution_id: w.institutions.B.id });
        if (login.status === 200 && password !== TEST_PASSWORD) openedB.push(target.email);
      }
    }
    expect.soft(obtained, 'passwords of users who also work for B, handed to A’s administrator').toEqual([]);
    expect(openedB, 'accounts of B taken over by A’s administrator').toEqual([]);
  });
});
