import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { personBody } from './fixtures.ts';
import { translate } from '../src/platform/i18n/messages.ts';

let server: TestServer;
let caseworker: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  const institution = await makeInstitution(server.db);
  caseworker = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'caseworker')).email);
});
afterAll(async () => server?.close());

type Operation = { responses?: Record<string, unknown>; parameters?: { in: string; name: string; required?: boolean }[]; tags?: string[]; summary?: string };

describe('API reference', () => {
  it('serves a valid OpenAPI 3.1 document in which every /api/v1 path has operations with responses', async () => {
    const response = await new ApiClient(server.baseUrl).get('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const spec = response.body as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components?: { securitySchemes?: Record<string, unknown> } };
    expect(spec.openapi.startsWith('3.1')).toBe(true);
    expect(spec.info.title).toBeTruthy();
    expect(spec.info.version).toBeTruthy();
    expect(Object.keys(spec.components?.securitySchemes ?? {})).toEqual(expect.arrayContaining(['session', 'token']));

    const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    const v1 = Object.entries(spec.paths).filter(([path]) => path.startsWith('/api/v1/'));
    expect(v1.length).toBeGreaterThan(25);
    const problems: string[] = [];
    for (const [path, item] of v1) {
      const operations = Object.entries(item).filter(([key]) => methods.includes(key));
      if (operations.length === 0) problems.push(`${path}: no operation`);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      if (path.includes(':')) problems.push(`${path}: Fastify-style parameter in an OpenAPI path`);
      for (const [method, operation] of operations) {
        const where = `${method.toUpperCase()} ${path}`;
        const responses = Object.keys(operation.responses ?? {});
        if (responses.length === 0) problems.push(`${where}: no responses`);
        if (!responses.every((code) => /^([1-5]\d\d|[1-5]XX|default)$/.test(code))) problems.push(`${where}: bad response keys ${responses.join(',')}`);
        if (!responses.some((code) => code.startsWith('2'))) problems.push(`${where}: no success response`);
        if (!operation.summary) problems.push(`${where}: no summary`);
        // Every {param} in the path is declared as a required path parameter, and nothing else is.
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
        for (const name of templated) if (!declared.some((p) => p.name === name && p.required === true)) problems.push(`${where}: path parameter ${name} not declared as required`);
        for (const p of declared) if (!templated.includes(p.name)) problems.push(`${where}: path parameter ${p.name} is not in the path`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('serves the browsable reference', async () => {
    const response = await fetch(`${server.baseUrl}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html.toLowerCase()).toContain('<html');
    expect(html.toLowerCase()).toContain('swagger');
  });
});

describe('health', () => {
  it('reports the server and the database', async () => {
    const response = await new ApiClient(server.baseUrl).get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'ok' });
    expect(Number.isNaN(Date.parse(response.body.time))).toBe(false);
  });
});

describe('errors are JSON {code, message} in the request language', () => {
  it('answers an unknown route under /api with 404 route_not_found, in Spanish by default and in English on request', async () => {
    const spanish = await new ApiClient(server.baseUrl).request('GET', '/api/no-such-thing', undefined, { 'accept-language': '' });
    expect(spanish.status).toBe(404);
    expect(spanish.headers.get('content-type')).toContain('application/json');
    expect(spanish.body).toEqual({ code: 'route_not_found', message: translate('es', 'route_not_found') });

    const english = await new ApiClient(server.baseUrl, 'en').get('/api/no-such-thing');
    expect(english.status).toBe(404);
    expect(english.body).toEqual({ code: 'route_not_found', message: translate('en', 'route_not_found') });
    expect(english.body.message).not.toBe(spanish.body.message);

    // Also for a signed-in caller under /api/v1, and with another method.
    const signedIn = await caseworker.request('DELETE', '/api/v1/no-such-thing');
    expect(signedIn.status).toBe(404);
    expect(signedIn.body).toEqual({ code: 'route_not_found', message: translate('es', 'route_not_found') });
  });

  it('refuses a body over 1 MiB with 413 payload_too_large', async () => {
    const big = JSON.stringify(personBody({ given_names: 'Grande', other_names: ['x'.repeat(1024 * 1024 + 10)] }));
    const response = await caseworker.request('POST', '/api/v1/people', big, { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ code: 'payload_too_large', message: translate('es', 'payload_too_large') });
  });

  it('refuses a content type the endpoint does not take with 415 unsupported_media_type', async () => {
    const response = await caseworker.request('POST', '/api/v1/people', '<person/>', { 'content-type': 'application/xml' });
    expect(response.status).toBe(415);
    expect(response.body).toEqual({ code: 'unsupported_media_type', message: translate('es', 'unsupported_media_type') });
    const english = await new ApiClient(server.baseUrl, 'en').request('POST', '/api/v1/auth/login', '<login/>', { 'content-type': 'application/xml' });
    expect(english.status).toBe(415);
    expect(english.body).toEqual({ code: 'unsupported_media_type', message: translate('en', 'unsupported_media_type') });
  });

  it('refuses malformed JSON with 400 invalid_json', async () => {
    const response = await caseworker.request('POST', '/api/v1/people', '{"given_names": "Ana",', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: 'invalid_json', message: translate('es', 'invalid_json') });
    const english = await new ApiClient(server.baseUrl, 'en').request('POST', '/api/v1/auth/login', '{not json', { 'content-type': 'application/json' });
    expect(english.status).toBe(400);
    expect(english.body).toEqual({ code: 'invalid_json', message: translate('en', 'invalid_json') });
  });

  it('words validation issues in the request language, with the field path', async () => {
    const response = await new ApiClient(server.baseUrl, 'en').post('/api/v1/auth/login', { email: 'not an email', password: '' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.message).toBe(translate('en', 'validation_failed'));
    expect(response.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['email', 'password']));
  });
});
