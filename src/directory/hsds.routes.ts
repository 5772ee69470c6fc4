import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { AppError } from '../platform/errors.ts';
import { idParams } from '../platform/http/schemas.ts';
import { partsOf } from './directory.service.ts';
import * as hsds from './hsds.service.ts';

/**
 * The Open Referral HSDS 3.0 API over the published directory, at `/hsds` (docs/directory.md): open
 * data, no session, read only. Its description is HSDS's own OpenAPI document (linked from `/hsds/`),
 * so these routes stay out of Amparo's API reference. Lists are paginated with HSDS's `Page`
 * (`page`, `per_page`) or, with `format=ndjson`, streamed whole as one JSON object per line.
 */
export const HSDS_BASE = '/hsds';

const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['json', 'ndjson']).default('json'),
};
const serviceQuery = z.strictObject({
  ...paging,
  search: z.string().max(200).optional(),
  taxonomy_term_id: z.uuid().optional(),
  taxonomy_id: z.uuid().optional(),
  organization_id: z.uuid().optional(),
  modified_after: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});
const searchQuery = z.strictObject({ ...paging, search: z.string().max(200).optional() });
const termQuery = z.strictObject({ ...paging, search: z.string().max(200).optional(), taxonomy_id: z.uuid().optional(), parent_id: z.uuid().optional(), top_only: z.enum(['true', 'false']).optional() });

type Paging = { page: number; per_page: number; format: 'json' | 'ndjson' };
const window = (q: Paging) => ({ offset: (q.page - 1) * q.per_page, limit: q.per_page });

function pageOf(q: Paging, total: number, contents: unknown[]) {
  const totalPages = Math.max(1, Math.ceil(total / q.per_page));
  return { total_items: total, total_pages: totalPages, page_number: q.page, size: contents.length, first_page: q.page === 1, last_page: q.page >= totalPages, empty: total === 0, contents };
}

const ndjson = (reply: FastifyReply, items: unknown[]) => reply.type('application/x-ndjson; charset=utf-8').send(items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : ''));

export function hsdsRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  app.get(`${HSDS_BASE}/`, { schema: hide }, async () => ({ version: hsds.HSDS_VERSION, profile: hsds.PROFILE_URL, openapi_url: hsds.OPENAPI_URL }));

  app.get(`${HSDS_BASE}/services`, { schema: { ...hide, querystring: serviceQuery } }, async (request, reply) => {
    const q = request.query;
    if (q.format === 'ndjson') {
      const { rows } = await hsds.serviceRows(db, q);
      return ndjson(reply, await hsds.fullServices(db, rows));
    }
    const { rows, total } = await hsds.serviceRows(db, q, window(q));
    return pageOf(q, total, rows.map(hsds.serviceBrief));
  });

  app.get(`${HSDS_BASE}/services/:id`, { schema: { ...hide, params: idParams } }, async (request) => {
    const { rows } = await hsds.serviceRows(db, { ids: [request.params.id] });
    if (!rows.length) throw new AppError('not_found');
    return (await hsds.fullServices(db, rows))[0];
  });

  app.get(`${HSDS_BASE}/service_at_locations`, { schema: { ...hide, querystring: serviceQuery } }, async (request, reply) => {
    const q = request.query;
    const base = hsds.publishedServices(db, q).innerJoin('directory_service_at_locations as sl', 'sl.service_id', 's.id');
    const all = q.format === 'ndjson';
    let rowsQuery = base.select(['sl.id as link_id', 'sl.description as link_description', 's.id']).orderBy('s.name').orderBy('sl.id');
    if (!all) rowsQuery = rowsQuery.offset(window(q).offset).limit(q.per_page);
    const [links, count] = await Promise.all([rowsQuery.execute(), all ? null : base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
    const serviceIds = [...new Set(links.map((l) => l.id))];
    const [services, parts] = await Promise.all([hsds.serviceRows(db, { ids: serviceIds }).then((r) => new Map(r.rows.map((s) => [s.id, s]))), partsOf(db, serviceIds)]);
    const items = links.map((l) => {
      const location = parts.locations(l.id).find((x) => x.link_id === l.link_id)!;
      const { addresses: _addresses, ...oneToOne } = hsds.locationObject(location);
      return hsds.compact({ id: l.link_id, service_id: l.id, location_id: location.id, description: l.link_description, location: oneToOne, service: hsds.serviceBrief(services.get(l.id)!) });
    });
    if (all) return ndjson(reply, items);
    return pageOf(q, Number(count!.n), items);
  });

  // HSDS 3.0's OpenAPI document points this answer at compiled/service.json, but describes it as a
  // "fully nested service_at_location": it is that, valid against compiled/service_at_location.json.
  app.get(`${HSDS_BASE}/service_at_locations/:id`, { schema: { ...hide, params: idParams } }, async (request) => {
    const link = await hsds.publishedServices(db, {}).innerJoin('directory_service_at_locations as sl', 'sl.service_id', 's.id').where('sl.id', '=', request.params.id).select('s.id').executeTakeFirst();
    if (!link) throw new AppError('not_found');
    const { rows } = await hsds.serviceRows(db, { ids: [link.id] });
    const { service_at_locations: links, ...service } = (await hsds.fullServices(db, rows))[0]! as { service_at_locations: Array<Record<string, unknown>> };
    return { ...links.find((l) => l.id === request.params.id)!, service };
  });

  app.get(`${HSDS_BASE}/organizations`, { schema: { ...hide, querystring: searchQuery } }, async (request, reply) => {
    const q = request.query;
    const base = hsds.publicOrganizations(db, q.search);
    let rowsQuery = base.select(['o.id', 'o.name', 'o.alternate_name', 'o.description', 'o.email', 'o.website']).orderBy('o.name').orderBy('o.id');
    if (q.format === 'ndjson') return ndjson(reply, (await rowsQuery.execute()).map(hsds.organizationBrief));
    rowsQuery = rowsQuery.offset(window(q).offset).limit(q.per_page);
    const [rows, count] = await Promise.all([rowsQuery.execute(), base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
    return pageOf(q, Number(count.n), rows.map(hsds.organizationBrief));
  });

  app.get(`${HSDS_BASE}/organizations/:id`, { schema: { ...hide, params: idParams } }, async (request) => {
    const org = await hsds.publicOrganizations(db).where('o.id', '=', request.params.id).select(['o.id', 'o.name', 'o.alternate_name', 'o.description', 'o.email', 'o.website']).executeTakeFirst();
    if (!org) throw new AppError('not_found');
    const { rows } = await hsds.serviceRows(db, { organization_id: org.id });
    const parts = await partsOf(db, rows.map((r) => r.id));
    const locations = new Map(rows.flatMap((r) => parts.locations(r.id)).map((l) => [l.id, hsds.locationObject(l)]));
    return { ...hsds.organizationBrief(org), services: rows.map(hsds.serviceBrief), locations: [...locations.values()] };
  });

  app.get(`${HSDS_BASE}/taxonomies`, { schema: { ...hide, querystring: searchQuery } }, async (request, reply) => {
    const q = request.query;
    let base = db.selectFrom('directory_taxonomies');
    if (q.search) base = base.where(hsds.foldedSql('name'), 'like', hsds.likePattern(q.search));
    const rows = (await base.selectAll().orderBy('name').execute()).map(hsds.taxonomyObject);
    if (q.format === 'ndjson') return ndjson(reply, rows);
    const { offset, limit } = window(q);
    return pageOf(q, rows.length, rows.slice(offset, offset + limit));
  });

  app.get(`${HSDS_BASE}/taxonomies/:id`, { schema: { ...hide, params: idParams } }, async (request) => {
    const taxonomy = await db.selectFrom('directory_taxonomies').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (!taxonomy) throw new AppError('not_found');
    return hsds.taxonomyObject(taxonomy);
  });

  app.get(`${HSDS_BASE}/taxonomy_terms/:id`, { schema: { ...hide, params: idParams } }, async (request) => {
    const term = await db.selectFrom('directory_taxonomy_terms').select(['id', 'code', 'name', 'description', 'taxonomy_id', 'parent_id']).where('id', '=', request.params.id).executeTakeFirst();
    if (!term) throw new AppError('not_found');
    const taxonomy = await db.selectFrom('directory_taxonomies').selectAll().where('id', '=', term.taxonomy_id).executeTakeFirst();
    return hsds.termObject(term, taxonomy);
  });

  app.get(`${HSDS_BASE}/taxonomy_terms`, { schema: { ...hide, querystring: termQuery } }, async (request, reply) => {
    const q = request.query;
    let base = db.selectFrom('directory_taxonomy_terms');
    if (q.search) base = base.where((eb) => eb.or([eb(hsds.foldedSql('name'), 'like', hsds.likePattern(q.search!)), eb(hsds.foldedSql('name_en'), 'like', hsds.likePattern(q.search!))]));
    if (q.taxonomy_id) base = base.where('taxonomy_id', '=', q.taxonomy_id);
    if (q.parent_id) base = base.where('parent_id', '=', q.parent_id);
    if (q.top_only === 'true') base = base.where('parent_id', 'is', null);
    const taxonomies = new Map((await db.selectFrom('directory_taxonomies').selectAll().execute()).map((t) => [t.id, t]));
    const rows = (await base.select(['id', 'code', 'name', 'description', 'taxonomy_id', 'parent_id']).orderBy('name').orderBy('id').execute()).map((t) => hsds.termObject(t, taxonomies.get(t.taxonomy_id)));
    if (q.format === 'ndjson') return ndjson(reply, rows);
    const { offset, limit } = window(q);
    return pageOf(q, rows.length, rows.slice(offset, offset + limit));
  });
}
