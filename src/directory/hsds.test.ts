import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ApiClient, freshDatabase, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { shelterBody } from './testing/samples.ts';
import { exportTables, importTables, tablesFromCsv, tablesFromJson, tablesToCsv, tablesToJson } from './package.ts';

/**
 * HSDS conformance: every endpoint of /hsds answered by a real server and checked against the official
 * HSDS 3.0 compiled JSON Schemas (test/fixtures/hsds-3.0, with their licence) with a JSON Schema
 * 2020-12 validator; the filters do what HSDS says; an exported data package (JSON and CSV) imported
 * into an empty database gives the same directory.
 */
const HSDS_DIR = new URL('../../test/fixtures/hsds-3.0/', import.meta.url);
const load = (name: string) => JSON.parse(gunzipSync(readFileSync(new URL(`${name}.gz`, HSDS_DIR))).toString('utf8'));

let server: TestServer;
let editor: ApiClient;
let reviewer: ApiClient;
const ids: { shelter: string; legal: string; draft: string } = { shelter: '', legal: '', draft: '' };
let schemas: Record<'service' | 'serviceList' | 'organization' | 'organizationList' | 'sal' | 'salList' | 'term' | 'termOne' | 'taxonomy' | 'taxonomyOne' | 'page' | 'meta', ValidateFunction>;
let openapi: { paths: Record<string, unknown> };

function check(validate: ValidateFunction, value: unknown, what: string) {
  const ok = validate(value);
  expect(ok ? [] : validate.errors!.slice(0, 5).map((e) => `${what}${e.instancePath} ${e.message}`)).toEqual([]);
}

async function published(body: Record<string, unknown>): Promise<string> {
  const created = await editor.post('/api/v1/directory/services', body);
  expect(created.status, created.text).toBe(201);
  expect((await editor.post(`/api/v1/directory/services/${created.body.id}/submit`)).status).toBe(204);
  const done = await reviewer.post(`/api/v1/directory/services/${created.body.id}/publish`);
  expect(done.status, done.text).toBe(204);
  return created.body.id;
}

beforeAll(async () => {
  server = await startTestServer();
  const shelter = await makeInstitution(server.db, { name: 'Albergue Hospitalidad de prueba', type: 'shelter' });
  editor = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'directory_editor')).email);
  reviewer = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'directory_editor')).email);
  ids.shelter = await published(shelterBody());
  ids.legal = await published(shelterBody({ name: 'Asesoría jurídica en Tijuana', categories: ['legal_aid', 'asylum'], capacity_maximum: undefined, capacity_available: undefined, free: false, fees_description: 'Cuota de recuperación de 50 pesos.', required_documents: [], languages: ['spa'], location: { address_1: 'Av. Revolución 100', state_code: '02', municipality_code: '02004' } }));
  const draft = await editor.post('/api/v1/directory/services', shelterBody({ name: 'Comedor aún en borrador' }));
  ids.draft = draft.body.id;

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const service = load('compiled/service.json');
  const page = load('openapi.json').components.schemas.Page;
  const term = service.properties.attributes.items.properties.taxonomy_term;
  const listOf = (item: object) => ({ allOf: [page], properties: { contents: { type: 'array', items: item } }, required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'] });
  openapi = load('openapi.json');
  schemas = {
    service: ajv.compile(service),
    serviceList: ajv.compile(listOf(load('compiled/service_list.json'))),
    organization: ajv.compile(load('compiled/organization.json')),
    organizationList: ajv.compile(listOf(load('compiled/organization_list.json'))),
    sal: ajv.compile(load('compiled/service_at_location.json')),
    salList: ajv.compile(listOf(load('compiled/service_at_location_list.json'))),
    term: ajv.compile(listOf(term)),
    // taxonomy.json and taxonomy_term.json are not among the compiled schemas; their text is nested in compiled/service.json.
    termOne: ajv.compile({ ...term, required: ['id', 'name', 'description'] }),
    taxonomy: ajv.compile(listOf(term.properties.taxonomy_detail)),
    taxonomyOne: ajv.compile({ ...term.properties.taxonomy_detail, required: ['id', 'name', 'description'] }),
    page: ajv.compile(page),
    meta: ajv.compile({ ...load('openapi.json').paths['/'].get.responses['200'].content['application/json'].schema, required: ['version', 'profile', 'openapi_url'] }),
  };
}, 120_000);
afterAll(async () => server?.close());

const anon = () => new ApiClient(server.baseUrl, 'es');

describe('the HSDS API conforms to HSDS 3.0 on every endpoint', () => {
  it('/ names the version, profile and OpenAPI document', async () => {
    const res = await anon().get('/hsds/');
    expect(res.status).toBe(200);
    check(schemas.meta, res.body, '/');
    expect(res.body.version).toBe('3.0');
  });

  it('/services pages published services only, and each is valid', async () => {
    const res = await anon().get('/hsds/services?per_page=1&page=2');
    expect(res.status).toBe(200);
    check(schemas.serviceList, res.body, '/services');
    expect(res.body).toMatchObject({ total_items: 2, total_pages: 2, page_number: 2, size: 1, first_page: false, last_page: true, empty: false });
    const all = await anon().get('/hsds/services');
    expect(all.body.contents.map((s: { id: string }) => s.id).sort()).toEqual([ids.shelter, ids.legal].sort());
  });

  it('/services filters by search, taxonomy_term_id, organization_id and modified_after, cumulatively', async () => {
    const terms = await anon().get('/hsds/taxonomy_terms?search=albergue');
    const shelterTerm = terms.body.contents.find((t: { code: string }) => t.code === 'shelter').id;
    const byTerm = await anon().get(`/hsds/services?taxonomy_term_id=${shelterTerm}`);
    expect(byTerm.body.contents.map((s: { id: string }) => s.id)).toEqual([ids.shelter]);
    const bySearch = await anon().get('/hsds/services?search=juridica tijuana');
    expect(bySearch.body.contents.map((s: { id: string }) => s.id)).toEqual([ids.legal]);
    const both = await anon().get(`/hsds/services?search=tijuana&taxonomy_term_id=${shelterTerm}`);
    expect(both.body).toMatchObject({ total_items: 0, empty: true, contents: [] });
    check(schemas.serviceList, both.body, 'empty page');
    const org = (await anon().get(`/hsds/services/${ids.shelter}`)).body.organization_id;
    expect((await anon().get(`/hsds/services?organization_id=${org}`)).body.total_items).toBe(2);
    expect((await anon().get(`/hsds/services?organization_id=${crypto.randomUUID()}`)).body.total_items).toBe(0);
    expect((await anon().get(`/hsds/services?modified_after=${new Date(Date.now() + 60_000).toISOString()}`)).body.total_items).toBe(0);
    expect((await anon().get('/hsds/services?modified_after=2000-01-01')).body.total_items).toBe(2);
    const bad = await anon().get('/hsds/services?per_page=0');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('/services/{id} gives the whole service, valid, with its beds as service_capacity; a draft is not found', async () => {
    const res = await anon().get(`/hsds/services/${ids.shelter}`);
    expect(res.status).toBe(200);
    check(schemas.service, res.body, '/services/{id}');
    // The validator does refuse what HSDS does not allow.
    expect(schemas.service({ id: 'not-a-uuid', name: 'x', status: 'open' })).toBe(false);
    expect(res.body.capacities[0]).toMatchObject({ maximum: 80, available: 12 });
    expect(res.body.languages.map((l: { code: string }) => l.code).sort()).toEqual(['eng', 'fra', 'hat', 'spa']);
    expect(res.body.service_at_locations[0].location.addresses[0]).toMatchObject({ city: 'Tapachula', state_province: 'Chiapas', country: 'MX' });
    expect(res.body.assured_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    check(schemas.service, (await anon().get(`/hsds/services/${ids.legal}`)).body, '/services/{id} legal');
    expect((await anon().get(`/hsds/services/${ids.draft}`)).status).toBe(404);
    expect((await anon().get('/hsds/services/not-a-uuid')).status).toBe(400);
  });

  it('format=ndjson streams every service whole, one valid object per line', async () => {
    const res = await anon().get('/hsds/services?format=ndjson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const line of lines) check(schemas.service, line, 'ndjson');
  });

  it('/organizations and /organizations/{id}', async () => {
    const list = await anon().get('/hsds/organizations');
    check(schemas.organizationList, list.body, '/organizations');
    expect(list.body.total_items).toBe(1);
    const one = await anon().get(`/hsds/organizations/${list.body.contents[0].id}`);
    check(schemas.organization, one.body, '/organizations/{id}');
    expect(one.body.services).toHaveLength(2);
    expect((await anon().get(`/hsds/organizations/${crypto.randomUUID()}`)).status).toBe(404);
    const ndjson = await anon().get('/hsds/organizations?format=ndjson');
    expect(ndjson.text.trim().split('\n')).toHaveLength(1);
  });

  it('/service_at_locations', async () => {
    const res = await anon().get('/hsds/service_at_locations?search=tapachula');
    check(schemas.salList, res.body, '/service_at_locations');
    expect(res.body.contents.map((x: { service_id: string }) => x.service_id)).toEqual([ids.shelter]);
    const lines = (await anon().get('/hsds/service_at_locations?format=ndjson')).text.trim().split('\n');
    expect(lines).toHaveLength(2);
  });

  it('/service_at_locations/{id} gives the whole service at its location, valid', async () => {
    const list = await anon().get('/hsds/service_at_locations?search=tapachula');
    const res = await anon().get(`/hsds/service_at_locations/${list.body.contents[0].id}`);
    expect(res.status).toBe(200);
    check(schemas.sal, res.body, '/service_at_locations/{id}');
    expect(res.body).toMatchObject({ id: list.body.contents[0].id, service_id: ids.shelter, location: { addresses: [{ city: 'Tapachula' }] }, service: { id: ids.shelter, capacities: [{ maximum: 80 }] } });
    expect(res.body.service.phones.length).toBeGreaterThan(0);
    expect((await anon().get(`/hsds/service_at_locations/${crypto.randomUUID()}`)).status).toBe(404);
    const draftLink = await server.db.selectFrom('directory_service_at_locations').select('id').where('service_id', '=', ids.draft).executeTakeFirstOrThrow();
    expect((await anon().get(`/hsds/service_at_locations/${draftLink.id}`)).status).toBe(404);
  });

  it('/taxonomies/{id} and /taxonomy_terms/{id}', async () => {
    const taxonomy = (await anon().get('/hsds/taxonomies')).body.contents[0];
    const one = await anon().get(`/hsds/taxonomies/${taxonomy.id}`);
    check(schemas.taxonomyOne, one.body, '/taxonomies/{id}');
    expect(one.body).toEqual(taxonomy);
    const term = (await anon().get('/hsds/taxonomy_terms?search=albergue')).body.contents.find((t: { code: string }) => t.code === 'shelter');
    const termOne = await anon().get(`/hsds/taxonomy_terms/${term.id}`);
    check(schemas.termOne, termOne.body, '/taxonomy_terms/{id}');
    expect(termOne.body).toEqual(term);
    expect(termOne.body.taxonomy_detail.id).toBe(taxonomy.id);
    for (const path of ['taxonomies', 'taxonomy_terms']) expect((await anon().get(`/hsds/${path}/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('answers every path of HSDS 3.0’s OpenAPI document, each valid', async () => {
    const org = (await anon().get('/hsds/organizations')).body.contents[0].id;
    const link = (await anon().get('/hsds/service_at_locations')).body.contents[0].id;
    const taxonomy = (await anon().get('/hsds/taxonomies')).body.contents[0].id;
    const term = (await anon().get('/hsds/taxonomy_terms')).body.contents[0].id;
    const cases: Record<string, [string, ValidateFunction]> = {
      '/': ['/', schemas.meta],
      '/services': ['/services', schemas.serviceList],
      '/services/{id}': [`/services/${ids.shelter}`, schemas.service],
      '/organizations': ['/organizations', schemas.organizationList],
      '/organizations/{id}': [`/organizations/${org}`, schemas.organization],
      '/service_at_locations': ['/service_at_locations', schemas.salList],
      '/service_at_locations/{id}': [`/service_at_locations/${link}`, schemas.sal],
      '/taxonomies': ['/taxonomies', schemas.taxonomy],
      '/taxonomies/{id}': [`/taxonomies/${taxonomy}`, schemas.taxonomyOne],
      '/taxonomy_terms': ['/taxonomy_terms', schemas.term],
      '/taxonomy_terms/{id}': [`/taxonomy_terms/${term}`, schemas.termOne],
    };
    expect(Object.keys(openapi.paths).sort()).toEqual(Object.keys(cases).sort());
    for (const [path, [url, validate]] of Object.entries(cases)) {
      const res = await anon().get(`/hsds${url}`);
      expect(res.status, path).toBe(200);
      check(validate, res.body, path);
      if (path.endsWith('s')) {
        // Every list also streams as NDJSON, one valid object per line.
        const stream = await anon().get(`/hsds${url}?format=ndjson`);
        expect(stream.headers.get('content-type'), path).toContain('application/x-ndjson');
        const lines = stream.text.trim().split('\n').map((l) => JSON.parse(l));
        expect(lines.length, path).toBe(res.body.total_items);
      }
    }
  });

  it('/taxonomies and /taxonomy_terms', async () => {
    const taxonomies = await anon().get('/hsds/taxonomies');
    check(schemas.taxonomy, taxonomies.body, '/taxonomies');
    expect(taxonomies.body.total_items).toBe(1);
    const terms = await anon().get(`/hsds/taxonomy_terms?taxonomy_id=${taxonomies.body.contents[0].id}&per_page=200&top_only=true`);
    check(schemas.term, terms.body, '/taxonomy_terms');
    expect(terms.body.contents.map((t: { code: string }) => t.code)).toEqual(expect.arrayContaining(['shelter', 'food', 'legal_aid', 'mental_health', 'documents', 'child_protection', 'education', 'employment', 'financing', 'remittances', 'health', 'technology']));
  });
});

describe('an HSDS data package', () => {
  it('exported as JSON and as CSV and imported into an empty database gives the same directory', async () => {
    const before = await exportTables(server.db);
    expect(before.service).toHaveLength(2);
    for (const [form, text] of [['json', tablesToJson(before)], ['csv', JSON.stringify(tablesToCsv(before))]] as const) {
      const { db } = await freshDatabase();
      try {
        const tables = form === 'json' ? tablesFromJson(text) : tablesFromCsv(JSON.parse(text));
        expect(await importTables(db, tables)).toEqual({ organizations: 1, services: 2 });
        const after = await exportTables(db);
        expect(after, form).toEqual(before);
        expect(tablesToJson(after)).toBe(tablesToJson(before));
      } finally {
        await db.destroy();
      }
    }
  });

  it('refuses a package with a bad id, whole', async () => {
    const tables = await exportTables(server.db);
    tables.phone.push({ id: 'not-an-id', service_id: ids.shelter, number: '1', type: 'voice', description: null });
    const { db } = await freshDatabase();
    try {
      await expect(importTables(db, tables)).rejects.toMatchObject({ code: 'directory_invalid_package' });
      expect(await db.selectFrom('directory_services').select('id').execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
