import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { pgErrorAnswer } from '../src/platform/http/pg-errors.ts';

let server: TestServer;
let admin: ApiClient;
let supervisor: ApiClient;
let searcher: ApiClient;
let handler: ApiClient;
let institutionId: string;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  institutionId = (await makeInstitution(server.db)).id;
  const platformAdmin = await makeUser(server.db, institutionId, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', platformAdmin.id).execute();
  admin = await ApiClient.forSession(server, platformAdmin.email);
  supervisor = await ApiClient.forSession(server, (await makeUser(server.db, institutionId, 'supervisor')).email);
  searcher = await ApiClient.forSession(server, (await makeUser(server.db, institutionId, 'search_officer')).email);
  handler = await ApiClient.forSession(server, (await makeUser(server.db, institutionId, 'complaint_handler')).email);
});
afterAll(async () => server?.close());

describe('a NUL byte or another value PostgreSQL refuses is the request’s fault, never a 500', () => {
  const expectRefused = (response: { status: number; body: { code?: string; message?: string } }) => {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(typeof response.body.code).toBe('string');
    expect(typeof response.body.message).toBe('string');
  };

  it('in query strings', async () => {
    expectRefused(await supervisor.get('/api/v1/cases?folio=%00'));
    expectRefused(await supervisor.get('/api/v1/cases?folio=A%00B'));
    expectRefused(await searcher.get('/api/v1/missing/found?q=Ana%00'));
    expectRefused(await searcher.get('/api/v1/missing/reports?q=%00L%C3%B3pez'));
    expectRefused(await handler.get('/api/v1/complaints?folio=Q%00'));
  });

  it('in JSON bodies', async () => {
    expectRefused(await supervisor.post('/api/v1/auth/tokens', { name: 'robot\u0000' }));
    expectRefused(await admin.post('/api/v1/users', { email: 'nul@test.amparo', display_name: 'Ana\u0000López', institution_id: institutionId, role: 'caseworker' }));
    expectRefused(await admin.post('/api/v1/institutions', { code: 'NUL1', name: 'Casa\u0000', type: 'shelter' }));
  });

  it('maps every data exception and integrity violation to 4xx, and an unavailable database to 503', () => {
    for (const code of ['22021', '22P02', '22001', '22003', '22007', '22008', '22012', '22P05', '2200H', '23502', '23503', '23514']) {
      expect(pgErrorAnswer({ code })).toEqual({ status: 400, code: 'validation_failed' });
    }
    expect(pgErrorAnswer({ code: '23505' })).toEqual({ status: 409, code: 'conflict' });
    for (const code of ['57014', '57P01', '08006', '53300', '55P03', '25P03', 'ECONNREFUSED', 'EPIPE']) expect(pgErrorAnswer({ code })?.status).toBe(503);
    expect(pgErrorAnswer({ message: 'timeout exceeded when trying to connect' })?.status).toBe(503);
    expect(pgErrorAnswer({ code: '42P01' })).toBeNull();
    expect(pgErrorAnswer({ code: 'XX000' })).toBeNull();
  });
});

describe('hardening headers', () => {
  it('sends a CSP on every page, the API reference included', async () => {
    for (const url of ['/api/docs', '/api/docs/static/index.html', '/api/health', '/quejas']) {
      const response = await fetch(`${server.baseUrl}${url}`);
      expect(response.headers.get('content-security-policy'), url).toContain("default-src 'self'");
    }
  });

  it('sends HSTS when cookies are Secure, and not over plain HTTP with automatic cookies', async () => {
    expect((await fetch(`${server.baseUrl}/api/health`)).headers.get('strict-transport-security')).toBeNull();
    const secure = await startTestServer({ logLevel: 'warn', secureCookies: 'on' });
    try {
      const response = await fetch(`${secure.baseUrl}/api/health`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    } finally {
      await secure.close();
    }
  });
});
