import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDb, type Db, type Role } from '../src/platform/db/database.ts';
import { ensureDatabase } from '../src/platform/db/embedded.ts';
import { FieldCipher, newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { loadConfig, type Config } from '../src/platform/config.ts';
import { createServer } from '../src/server.ts';
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
  db: Db;
  cipher: FieldCipher;
  config: Config;
  app: FastifyInstance;
  baseUrl: string;
  /** Every line the server logged, for tests that check what reaches the logs. */
  logs: string[];
  close: () => Promise<void>;
};

/** A real server on a random loopback port, over a fresh database. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const { db } = await freshDatabase();
  const cipher = await FieldCipher.fromRing(await newKeyRing());
  const config = { ...loadConfig({ LOG_LEVEL: 'info' }), ...overrides };
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await createServer({ db, cipher, config }, { logger: { level: 'info', stream } as never });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    db,
    cipher,
    config,
    app,
    baseUrl: address,
    logs,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}

let counter = 0;
export function uniqueCode(prefix = 'T'): string {
  counter++;
  return `${prefix}${counter}${Math.floor(Math.random() * 1000)}`.toUpperCase().slice(0, 12);
}

export async function makeInstitution(db: Db, overrides: Partial<NewInstitution> = {}) {
  return createInstitution(db, null, { code: uniqueCode('I'), name: `Institución ${counter}`, type: 'federal_agency', state_code: '07', ...overrides });
}

export async function makeUser(db: Db, institutionId: string, role: Role, email = `${role}-${randomUUID().slice(0, 8)}@test.amparo`) {
  const { id } = await createUser(db, null, { email, display_name: `${role} ${counter}`, password: TEST_PASSWORD, institution_id: institutionId, role });
  return { id, email };
}

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers; bytes: Buffer };

/** An HTTP client that signs in like the web app does: session cookie plus CSRF header. */
export class ApiClient {
  private cookie = '';
  private csrf = '';
  constructor(
    readonly baseUrl: string,
    readonly language: 'es' | 'en' = 'es',
  ) {}

  static async signIn(baseUrl: string, email: string, password = TEST_PASSWORD, language: 'es' | 'en' = 'es'): Promise<ApiClient> {
    const client = new ApiClient(baseUrl, language);
    const login = await client.request('POST', '/api/v1/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${JSON.stringify(login.body)}`);
    await client.refreshSession();
    return client;
  }

  async refreshSession(): Promise<ApiResponse> {
    const session = await this.request('GET', '/api/v1/auth/session');
    if (session.status === 200) this.csrf = session.body.csrf_token;
    return session;
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const isRaw = body instanceof Uint8Array || typeof body === 'string';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        'accept-language': this.language,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isRaw ? (body as BodyInit) : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const type = response.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    const parsed = type.includes('application/json') && text ? JSON.parse(text) : text;
    return { status: response.status, body: parsed as T, headers: response.headers, bytes };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body ?? {});
  patch = <T = any>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);
}
