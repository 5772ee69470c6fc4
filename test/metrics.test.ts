import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { missingReportBody, personBody } from './fixtures.ts';

/** Issue 14, "what to build" 9: Prometheus metrics, for platform administrators (session or API token) only. */
let server: TestServer;
let admin: ApiClient;
let caseworker: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ matchingWorker: false });
  const institution = await makeInstitution(server.db);
  const adminUser = await makeUser(server.db, institution.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', adminUser.id).execute();
  admin = await ApiClient.forSession(server, adminUser.email);
  caseworker = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'caseworker')).email);
  const officer = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'search_officer')).email);
  expect((await officer.post('/api/v1/missing/reports', missingReportBody())).status).toBe(201);
});
afterAll(() => server.close());

const sample = (text: string, name: string, labels = '') => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels}`) && /\s-?[\d.e+]+$/.test(l));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('/api/v1/metrics', () => {
  it('reports latency per route template, the pool, the matching queue and its lag, and unreadable fields', async () => {
    const person = await caseworker.post('/api/v1/people', personBody());
    expect(person.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await caseworker.get(`/api/v1/people/${person.body.id}`)).status).toBe(200);
    await server.db.updateTable('people').set({ contact_enc: 'k1:AAAA' }).where('id', '=', person.body.id).execute();
    expect((await caseworker.get(`/api/v1/people/${person.body.id}`)).body.unreadable_fields).toEqual(['contact']);

    await sql`insert into missing_decision_marks (side, record_id, marked_at) values ('R', gen_random_uuid(), now() - interval '3 seconds')`.execute(server.db);
    const metrics = await admin.get('/api/v1/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = metrics.text;
    expect(sample(text, 'amparo_http_request_duration_seconds_count', '{method="GET",route="/api/v1/people/:id",status="2xx"}')).toBe(4);
    expect(sample(text, 'amparo_http_request_duration_seconds_bucket', '{method="GET",route="/api/v1/people/:id",status="2xx",le="+Inf"}')).toBe(4);
    expect(text).toContain('# TYPE amparo_http_request_duration_seconds histogram');
    expect(text).not.toContain(person.body.id);
    expect(sample(text, 'amparo_db_pool_max')).toBe(10);
    expect(sample(text, 'amparo_db_pool_connections', '{state="total"}')).toBeGreaterThan(0);
    expect(sample(text, 'amparo_matching_queue_depth')).toBe(1);
    expect(sample(text, 'amparo_matching_lag_seconds')).toBeGreaterThan(0);
    expect(sample(text, 'amparo_matching_decisions_pending')).toBe(1);
    expect(sample(text, 'amparo_matching_decision_lag_seconds')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'amparo_unreadable_fields_total')).toBeGreaterThanOrEqual(1);

    // Prometheus scrapes with a platform administrator's API token.
    const token = await admin.post('/api/v1/auth/tokens', { name: 'prometheus' });
    expect(token.status).toBe(201);
    const scraped = await fetch(`${server.baseUrl}/api/v1/metrics`, { headers: { authorization: `Bearer ${token.body.token}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('amparo_matching_queue_depth 1');
  });

  it('is refused to other users and to anonymous callers', async () => {
    expect((await caseworker.get('/api/v1/metrics')).status).toBe(403);
    expect((await new ApiClient(server.baseUrl).get('/api/v1/metrics')).status).toBe(401);
  });
});
