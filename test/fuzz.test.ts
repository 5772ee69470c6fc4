import type { Role } from '../src/platform/db/database.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { buildWorld, type World } from './fixtures.ts';

/**
 * The OpenAPI document drives a fuzzer over every operation: signed in as real users of several
 * roles (and anonymous), it sends values the schema allows and values it does not (NUL and
 * bidirectional characters, wrong types, missing and unknown fields, out-of-range numbers, ids of
 * other records). It fails on any 5xx, on a documented status whose body does not match its schema,
 * on an undocumented success, and on an error that is not `{code, message}`.
 *
 * One server, one process; requests are cheap except those that hash a password or a receipt,
 * which get a smaller share. AMPARO_FUZZ_REQUESTS (default 20,000) and AMPARO_FUZZ_SEED change the
 * run; the seed is printed so that a failure can be replayed.
 */
const TOTAL = Number(process.env.AMPARO_FUZZ_REQUESTS ?? 20_000);
const SEED = Number(process.env.AMPARO_FUZZ_SEED ?? 20261206);
const LANES = 4;

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
};
type Parameter = { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: Schema };
type Operation = {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { contentType: string; schema: Schema; required: boolean };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
type FuzzRequest = { actor: number; path: string; query: string; body: { kind: 'json'; value: unknown } | { kind: 'raw'; data: string; contentType: string } | null };

/** Operations that end or change the caller's own credentials: fuzzed as a throwaway user. */
const SELF_ALTERING = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/password', 'POST /api/v1/auth/totp/enable', 'POST /api/v1/auth/switch-institution']);
/** Operations that hash a password or receipt (argon2, tens of ms each): a smaller share. */
const EXPENSIVE = [/\/auth\/login$/, /\/auth\/password$/, /\/auth\/totp/, /\/users$/, /reset-password$/, /\/complaints$/, /\/complaints\/acuse$/, /\/missing\/public\//, /\/missing\/reports$/, /\/missing\/import\//, /\/statistics\/report$/, /\/transmissions/, /\/export$/];

const nasty = ['\u0000', 'a\u0000b', '\u202eexe.pdf', '\u200f', '\ud800', '💥', "' or 1=1 --", '%00', '../../etc/passwd', '\\', 'null', '-1', '1e309', 'NaN', '9'.repeat(30), '2020-02-30', '0000-00-00', '99999-12-31', ' ', '', 'x'.repeat(2100)];
const nastyString = fc.oneof(fc.constantFrom(...nasty), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 12 }).map((s) => `${s}\u0000${s}`));
const anyJson = fc.jsonValue({ maxDepth: 2 });

let server: TestServer;
let world: World;
let clients: ApiClient[] = [];
let actorEmails: (string | null)[] = [];
let throwawayInstitutionId = '';
let passwordHashes = new Map<string, string>();
let memberships: { user_id: string; institution_id: string; role: Role }[] = [];
let ids: string[] = [];
let operations: Operation[] = [];
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  world = await buildWorld(server);
  const a = world.actors;
  const platformAdmin = await makeUser(server.db, world.institutions.A.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', platformAdmin.id).execute();
  const actors = [a.anon, a['A.admin'], a['A.sup'], a['A.cw'], a['A.handler'], a['A.searcher'], a['A.auditor'], a['A.analyst'], a['B.sup']];
  clients = [...actors.map((actor) => actor.client), await ApiClient.forSession(server, platformAdmin.email)];
  actorEmails = [...actors.map((actor) => actor.email), platformAdmin.email];
  const rows = await server.db.selectFrom('users').select(['email', 'password_hash']).where('email', 'in', actorEmails.filter((e): e is string => e !== null)).execute();
  passwordHashes = new Map(rows.map((row) => [row.email, row.password_hash]));
  memberships = await server.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.user_id', 'memberships.institution_id', 'memberships.role'])
    .where('users.email', 'in', actorEmails.filter((e): e is string => e !== null))
    .execute();
  // Not among the ids the fuzzer knows, so its MFA policy stays as it is.
  throwawayInstitutionId = (await makeInstitution(server.db, { name: 'Throwaway' })).id;
  ids = [...new Set(JSON.stringify(world).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])];
  const spec = (await clients[0]!.get('/api/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }; responses: Operation['responses'] }>> };
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const content = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: content ? { contentType: content[0], schema: content[1].schema, required: op.requestBody?.required ?? false } : undefined,
        responses: op.responses,
      });
    }
  }
}, 240_000);
afterAll(async () => server?.close());

/** Values the schema allows (mostly), with known record ids for uuids. */
function valid(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return anyJson;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => valid(s, depth + 1)));
  if (schema.allOf) return valid(Object.assign({}, ...schema.allOf), depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null')[0] : schema.type;
  switch (type) {
    case 'string':
      return validString(schema);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 100_000);
      return type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, 2 ** 31)) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, Math.max(3, schema.minItems ?? 0)) });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) model[key] = valid(value, depth + 1);
      return fc.record(model, { requiredKeys: Object.keys(properties).filter((key) => required.has(key)) });
    }
    case 'null':
      return fc.constant(null);
    default:
      return anyJson;
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, 200);
  if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid({ version: 4 }));
  if (schema.format === 'date') return fc.date({ min: new Date('1950-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  // Shaped strings (codes, folios) from their pattern, within the lengths; free text (a pattern that
  // only excludes control characters) below, with control characters on purpose: generating it from
  // its pattern and filtering by a minimum length could loop for ever.
  if (schema.pattern && !schema.pattern.startsWith('^[^')) {
    const re = new RegExp(schema.pattern);
    return fc.stringMatching(re, { size: 'small' }).filter((s) => s.length >= min && s.length <= max);
  }
  // The schema allows any text here, so NUL, bidirectional and unpaired-surrogate characters too.
  const upTo = Math.max(min, Math.min(max, 40));
  return fc.oneof(
    fc.string({ minLength: min, maxLength: upTo }),
    fc.string({ unit: 'binary', minLength: min, maxLength: upTo }),
    fc.tuple(fc.string({ maxLength: upTo }), fc.constantFrom('\u0000', '\u202e', '\ud800', '\u0007')).map(([text, odd]) => `${odd}${text}`.slice(0, upTo).padEnd(min, odd)),
  );
}

/** A value the schema refuses, or one at its edges. */
function invalid(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  const edges: fc.Arbitrary<unknown>[] = [nastyString, anyJson, fc.constantFrom(null, true, -1, 1e308, 2 ** 53, [], {})];
  if (type === 'string' && schema?.maxLength !== undefined) edges.push(fc.constant('é'.repeat(schema.maxLength + 1)));
  if (type === 'object' && schema?.properties) {
    // One field replaced by a nasty value, or a required one removed, or an unknown one added.
    edges.push(
      fc.tuple(valid(schema), fc.constantFrom(...Object.keys(schema.properties)), fc.oneof(nastyString, anyJson)).map(([value, key, bad]) => ({ ...(value as object), [key]: bad })),
      fc.tuple(valid(schema), fc.constantFrom(...Object.keys(schema.properties))).map(([value, key]) => {
        const copy = { ...(value as Record<string, unknown>) };
        delete copy[key];
        return copy;
      }),
      valid(schema).map((value) => ({ ...(value as object), unexpected_field: 'x' })),
    );
  }
  return fc.oneof(...edges);
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** Percent-encodes every byte outside the unreserved set; a lone surrogate goes as U+FFFD's bytes. */
const encodePathSegment = (text: string): string =>
  [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`)).join('');

function requestFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const parameter = (p: Parameter) => fc.oneof({ weight: 4, arbitrary: valid(p.schema) }, { weight: 1, arbitrary: invalid(p.schema) });
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const path = fc.tuple(...pathParams.map(parameter)).map((values) => {
    let result = operation.path;
    pathParams.forEach((p, i) => (result = result.replace(`{${p.name}}`, encodePathSegment(asText(values[i])))));
    return result;
  });
  const queryModel: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of queryParams) queryModel[p.name] = parameter(p);
  const query = fc.record(queryModel, { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) }).map((values) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) {
      for (const item of Array.isArray(value) ? value : [value]) search.append(key, asText(item));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  });
  const spec = operation.body;
  const body: fc.Arbitrary<FuzzRequest['body']> = !spec
    ? fc.constant(null)
    : spec.contentType === 'application/json'
      ? fc.oneof({ weight: 3, arbitrary: valid(spec.schema) }, { weight: 2, arbitrary: invalid(spec.schema) }).map((value) => ({ kind: 'json' as const, value }))
      : fc.oneof(nastyString, fc.constant('name,surname\nAna,López\n'), fc.constant('\u0000,\u202e\n1,2\n')).map((data) => ({ kind: 'raw' as const, data, contentType: spec.contentType }));
  return fc.record({ actor: fc.nat({ max: clients.length - 1 }), path, query, body });
}

type Failure = { operation: string; request: string; status: number; problem: string };

function check(operation: Operation, status: number, contentType: string, text: string): string | null {
  if (status >= 500) return `status ${status}: ${text.slice(0, 200)}`;
  const documented = operation.responses[String(status)];
  const isJson = contentType.includes('application/json');
  const body = isJson && text ? (JSON.parse(text) as unknown) : undefined;
  if (!documented) {
    if (status < 400) return `undocumented success ${status}`;
    if (!isJson) return `error ${status} without a JSON body`;
    const error = body as { code?: unknown; message?: unknown };
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') return `error ${status} is not {code, message}: ${text.slice(0, 200)}`;
    return null;
  }
  const schema = documented.content?.['application/json']?.schema;
  if (!schema || !isJson) return null;
  const validate = ajv.compile(schema);
  if (!validate(body)) return `body does not match the documented ${status} schema: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`;
  return null;
}

/**
 * What one operation's fuzzing may have done to the actors (an institution now requiring a second
 * factor, an account disabled or its password reset) is undone before the next, so that every
 * operation is fuzzed by signed-in users and not only by refused ones.
 */
let lastOperation = '';
async function restoreActors(): Promise<void> {
  await server.db.updateTable('institutions').set({ require_mfa: false }).execute();
  const emails = actorEmails.filter((email): email is string => email !== null);
  await server.db.updateTable('users').set({ disabled_at: null, locked_until: null, failed_logins: 0 }).where('email', 'in', emails).execute();
  await server.db.deleteFrom('attempt_throttle').execute();
  // An administrator's fuzzed request may have reset a password: the actors' own come back.
  for (const [email, hash] of passwordHashes) await server.db.updateTable('users').set({ password_hash: hash }).where('email', '=', email).execute();
  // An administrator's fuzzed request may have changed a role or removed a membership: the actors' own come back.
  const actorIds = [...new Set(memberships.map((m) => m.user_id))];
  if (actorIds.length) {
    await server.db
      .insertInto('memberships')
      .values(memberships)
      .onConflict((oc) => oc.columns(['user_id', 'institution_id']).doUpdateSet((eb) => ({ role: eb.ref('excluded.role') })))
      .execute();
  }
  for (let i = 0; i < actorEmails.length; i++) {
    const email = actorEmails[i];
    if (!email) continue;
    const session = await clients[i]!.request('GET', '/api/v1/auth/session');
    if (session.status !== 200) {
      // Lanes run at once: another lane's fuzzed request (an administrator disabling accounts) may undo
      // the reset between it and this sign-in, so the account is reset again and the sign-in retried.
      for (let attempt = 1; ; attempt++) {
        try {
          clients[i] = await ApiClient.forSession(server, email);
          break;
        } catch (error) {
          if (attempt >= 5) {
            const row = await server.db.selectFrom('users').select(['disabled_at', 'password_hash']).where('email', '=', email).executeTakeFirst();
            throw new Error(`${email} cannot sign in again: ${JSON.stringify({ found: !!row, disabled: row?.disabled_at, same: row?.password_hash === passwordHashes.get(email), last: lastOperation })}`, { cause: error });
          }
          await server.db.updateTable('users').set({ disabled_at: null, password_hash: passwordHashes.get(email)! }).where('email', '=', email).execute();
          await server.db.deleteFrom('attempt_throttle').execute();
        }
      }
    }
  }
}

async function send(operation: Operation, request: FuzzRequest): Promise<{ status: number; contentType: string; text: string }> {
  const client = clients[request.actor]!;
  const url = request.path + request.query;
  const response =
    request.body === null
      ? await client.request(operation.method, url)
      : request.body.kind === 'json'
        ? await client.request(operation.method, url, JSON.stringify(request.body.value) ?? 'null', { 'content-type': 'application/json' })
        : await client.request(operation.method, url, request.body.data, { 'content-type': request.body.contentType });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: response.text };
}

describe('OpenAPI-driven fuzzing', () => {
  it(`sends ${TOTAL} generated requests over every operation without a 5xx or a schema mismatch`, async () => {
    expect(operations.length).toBeGreaterThan(90);
    const weights = operations.map((op) => (EXPENSIVE.some((re) => re.test(op.path)) || SELF_ALTERING.has(`${op.method} ${op.path}`) ? 1 : 10));
    const unit = TOTAL / weights.reduce((a, b) => a + b, 0);
    const budgets = weights.map((w) => Math.max(5, Math.ceil(w * unit)));
    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const started = Date.now();

    const fuzzOne = async (index: number) => {
      const operation = operations[index]!;
      const name = `${operation.method} ${operation.path}`;
      const selfAltering = SELF_ALTERING.has(name);
      lastOperation = name;
      const samples = fc.sample(requestFor(operation), { numRuns: budgets[index]!, seed: SEED + index });
      for (const request of samples) {
        // Operations that change the caller's credentials run as a throwaway user, so that the
        // other operations keep their signed-in actors.
        if (selfAltering && request.actor !== 0) {
          const user = await makeUser(server.db, throwawayInstitutionId, 'caseworker');
          clients.push(await ApiClient.forSession(server, user.email));
          request.actor = clients.length - 1;
        }
        const response = await send(operation, request);
        sent++;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problem = check(operation, response.status, response.contentType, response.text);
        if (problem && failures.length < 50) failures.push({ operation: name, request: JSON.stringify(request).slice(0, 400), status: response.status, problem });
        if (selfAltering && request.actor !== 0) clients.pop();
      }
      await restoreActors();
    };
    // Self-altering operations run alone at the end (they add and remove throwaway clients).
    const ordinary = operations.map((_, i) => i).filter((i) => !SELF_ALTERING.has(`${operations[i]!.method} ${operations[i]!.path}`));
    const lanes = Array.from({ length: LANES }, async (_, lane) => {
      for (let i = lane; i < ordinary.length; i += LANES) await fuzzOne(ordinary[i]!);
    });
    await Promise.all(lanes);
    for (let i = 0; i < operations.length; i++) if (!ordinary.includes(i)) await fuzzOne(i);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ');
    process.stdout.write(`OpenAPI fuzzer: ${sent} requests over ${operations.length} operations in ${seconds} s (seed ${SEED}); statuses ${byStatus}; failures ${failures.length}\n`);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(TOTAL);
  }, 600_000);
});
