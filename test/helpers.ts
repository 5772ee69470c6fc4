import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDb, type Db, type Role } from '../src/platform/db/database.ts';
import { ensureDatabase } from '../src/platform/db/embedded.ts';
import { appRoleUrl } from '../src/platform/db/roles.ts';
import { FieldCipher, newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { loadConfig, type Config } from '../src/platform/config.ts';
import { createServer } from '../src/server.ts';
import { login } from '../src/platform/auth/auth.service.ts';
import { SESSION_COOKIE } from '../src/platform/http/app.ts';
import { createInstitution, type NewInstitution } from '../src/institutions/institution.service.ts';
import { createUser } from '../src/users/user.service.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

/** A fresh database cloned from the migrated template, for one test file. */
export async function freshDatabase(): Promise<{ db: Db; url: string }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `amparo_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await ensureDatabase(adminUrl, name, 'amparo_template');
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  return { db: createDb(url, { max: 10 }), url };
}

export type TestServer = {
  /** The owner's connection, for the tests' own reads and changes; the server uses `appDb`. */
  db: Db;
  /** The application role's connection (not a superuser; cannot rewrite the audit log), as in production. */
  appDb: Db;
  cipher: FieldCipher;
  config: Config;
  app: FastifyInstance;
  baseUrl: string;
  /** Every line the server logged, for tests that check what reaches the logs. */
  logs: string[];
  close: () => Promise<void>;
  /** Stops the HTTP server and starts a new one (new port, new in-memory state) over the same database and keys, as a process restart does. */
  restart: () => Promise<void>;
};

/** A real server on a random loopback port, over a fresh database. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const { db, url } = await freshDatabase();
  const appDb = createDb(appRoleUrl(url), { max: 10 });
  const ring = await newKeyRing();
  const config = { ...loadConfig({ LOG_LEVEL: 'info' }), ...overrides };
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const start = async () => {
    const cipher = await FieldCipher.fromRing(ring);
    const app = await createServer({ db: appDb, cipher, config }, { logger: { level: 'info', stream } as never });
    return { cipher, app, baseUrl: await app.listen({ port: 0, host: '127.0.0.1' }) };
  };
  const server: TestServer = {
    db,
    appDb,
    config,
    logs,
    ...(await start()),
    close: async () => {
      await server.app.close();
      await appDb.destroy();
      await db.destroy();
    },
    restart: async () => {
      await server.app.close();
      Object.assign(server, await start());
    },
  };
  return server;
}

let counter = 0;
export function uniqueCode(prefix = 'T'): string {
  counter++;
  return `${prefix}${counter}${Math.floor(Math.random() * 1000)}`.toUpperCase().slice(0, 12);
}

/**
 * An institution for a test. Its complaint handlers sign in without a second factor (the platform
 * default asks for one, issue 14) unless the test says `complaint_handlers_mfa: true`: most tests are
 * about something else; `src/platform/auth/auth.test.ts` checks the default.
 */
export async function makeInstitution(db: Db, overrides: Partial<NewInstitution> = {}) {
  return createInstitution(db, null, { code: uniqueCode('I'), name: `Institución ${counter}`, type: 'federal_agency', state_code: '07', complaint_handlers_mfa: false, ...overrides });
}

export async function makeUser(db: Db, institutionId: string, role: Role, email = `${role}-${randomUUID().slice(0, 8)}@test.amparo`) {
  const { id } = await createUser(db, null, { email, display_name: `${role} ${counter}`, password: TEST_PASSWORD, institution_id: institutionId, role });
  return { id, email };
}

/** Someone with that role in that institution, signed in over HTTP; `userId` is their account's id. */
export type SignedIn = ApiClient & { userId: string };
export async function signedIn(server: TestServer, institutionId: string, role: Role, language: 'es' | 'en' = 'es'): Promise<SignedIn> {
  const user = await makeUser(server.db, institutionId, role);
  return Object.assign(await ApiClient.signIn(server.baseUrl, user.email, TEST_PASSWORD, language), { userId: user.id });
}

/** A person as the registration form sends her (`POST /api/v1/people`), with what a test changes. */
export const samplePerson = (overrides: Record<string, unknown> = {}) => ({
  given_names: 'María Guadalupe',
  surname1: 'Hernández',
  surname2: 'López',
  sex: 'female',
  date_of_birth: '1990-04-12',
  nationalities: ['HND'],
  ...overrides,
});

/** A response with its raw text and bytes kept, so that leak checks see exactly what went over the wire. */
export type ApiResponse<T = any> = { status: number; body: T; text: string; bytes: Buffer; headers: Headers };

/**
 * The tests' one HTTP client: signs in like the web app (session cookie plus CSRF header), exposes
 * its cookie and CSRF token (so tests can check that neither reaches the logs), and can be built
 * from a session opened through the service (which does not spend the per-address sign-in limit).
 */
export class ApiClient {
  cookie = '';
  csrf = '';
  constructor(
    readonly baseUrl: string,
    readonly language: 'es' | 'en' = 'es',
  ) {}

  get sessionToken(): string {
    return this.cookie.slice(SESSION_COOKIE.length + 1);
  }

  /** Signs in over HTTP, like a browser. */
  static async signIn(baseUrl: string, email: string, password = TEST_PASSWORD, language: 'es' | 'en' = 'es'): Promise<ApiClient> {
    const client = new ApiClient(baseUrl, language);
    const login = await client.request('POST', '/api/v1/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${login.text}`);
    await client.refreshSession();
    return client;
  }

  /** A session opened through the auth service (no HTTP sign-in, so no rate limit is spent). */
  static async forSession(server: TestServer, email: string, language: 'es' | 'en' = 'es'): Promise<ApiClient> {
    const { sessionToken, state } = await login(server.db, { email, password: TEST_PASSWORD, ip: '127.0.0.1' });
    if (state !== 'active') throw new Error(`session for ${email} is ${state}`);
    const client = new ApiClient(server.baseUrl, language);
    client.cookie = `${SESSION_COOKIE}=${sessionToken}`;
    const session = await client.refreshSession();
    if (session.status !== 200) throw new Error(`no session: ${session.status} ${session.text}`);
    return client;
  }

  async refreshSession(): Promise<ApiResponse> {
    const session = await this.request('GET', '/api/v1/auth/session');
    if (session.status === 200) this.csrf = session.body.csrf_token;
    return session;
  }

  /** A string or bytes body is sent as is (give its content-type in `headers`); anything else as JSON. */
  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const isRaw = body instanceof Uint8Array || typeof body === 'string';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        'accept-language': this.language,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' && method !== 'HEAD' ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isRaw ? (body as BodyInit) : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie && setCookie.startsWith(`${SESSION_COOKIE}=`)) {
      const value = setCookie.split(';')[0]!;
      if (value !== `${SESSION_COOKIE}=`) this.cookie = value;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('application/json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed as T, text, bytes, headers: response.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body: unknown = {}) => this.request<T>('POST', path, body);
  patch = <T = any>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);
}
