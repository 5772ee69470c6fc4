import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { mxStateList } from '../platform/mx-states.ts';
import { partsOf } from './directory.service.ts';
import { languages } from './vocabularies.ts';

/**
 * The directory as Open Referral HSDS 3.0 objects (docs/directory.md): only published entries, shaped
 * field by field so that no internal column (review state, who changed it) reaches the API. Absent
 * values are left out rather than sent as null (HSDS types them as strings and numbers). The shelter's
 * beds go out as HSDS 3.1 `capacities` (service_capacity), an extension 3.0 validators accept.
 */

export const HSDS_VERSION = '3.0';
export const PROFILE_URL = 'https://github.com/openreferral/specification/tree/3.0';
export const OPENAPI_URL = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json';

type Json = Record<string, unknown>;
/** The object without its null and undefined members. */
export function compact<T extends Json>(o: T): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** A stable id for a row HSDS wants and Amparo keeps as part of another (a document of a service): the same on every export. */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const stateName = (code: string) => mxStateList.find((s) => s.code === code)?.name ?? code;

export type ServiceFilters = { search?: string | undefined; taxonomy_term_id?: string | undefined; taxonomy_id?: string | undefined; organization_id?: string | undefined; modified_after?: string | undefined; ids?: string[] | undefined };

/** Lower case without accents, for word search in Spanish ("medico" finds "Médico"). */
export const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const FOLD_FROM = 'áéíóúüñàèìòùâêîôûäëïöç';
const FOLD_TO = 'aeiouunaeiouaeiouaeioc';
export const foldedSql = (column: string) => sql<string>`translate(lower(${sql.ref(column)}), ${FOLD_FROM}, ${FOLD_TO})`;
export const likePattern = (words: string) => `%${fold(words).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function publishedServices(db: Db, f: ServiceFilters) {
  let q = db.selectFrom('directory_services as s').innerJoin('directory_organizations as o', 'o.id', 's.organization_id').where('s.review_state', '=', 'published');
  if (f.search) {
    for (const word of f.search.trim().split(/\s+/).slice(0, 8)) {
      const like = likePattern(word);
      q = q.where((eb) => eb.or([eb(foldedSql('s.name'), 'like', like), eb(foldedSql('s.description'), 'like', like), eb(foldedSql('o.name'), 'like', like)]));
    }
  }
  if (f.taxonomy_term_id) q = q.where((eb) => eb.exists(eb.selectFrom('directory_service_terms as st').select('st.id').whereRef('st.service_id', '=', 's.id').where('st.term_id', '=', f.taxonomy_term_id!)));
  if (f.taxonomy_id) q = q.where((eb) => eb.exists(eb.selectFrom('directory_service_terms as st').innerJoin('directory_taxonomy_terms as t', 't.id', 'st.term_id').select('st.id').whereRef('st.service_id', '=', 's.id').where('t.taxonomy_id', '=', f.taxonomy_id!)));
  if (f.organization_id) q = q.where('s.organization_id', '=', f.organization_id);
  if (f.ids) q = f.ids.length ? q.where('s.id', 'in', f.ids) : q.where(sql<boolean>`false`);
  if (f.modified_after) q = q.where('s.updated_at', '>', new Date(f.modified_after));
  return q;
}

type ServiceRow = {
  id: string; organization_id: string; name: string; alternate_name: string | null; description: string; url: string | null; email: string | null; status: string;
  application_process: string | null; free: boolean; fees_description: string | null; eligibility_description: string | null; minimum_age: number | null; maximum_age: number | null;
  required_documents: string[]; alert: string | null; capacity_maximum: number | null; capacity_available: number | null; capacity_updated_at: Date | null; verified_on: string | null; updated_at: Date;
  o_name: string; o_alternate_name: string | null; o_description: string; o_email: string | null; o_website: string | null;
};

const serviceColumns = [
  's.id', 's.organization_id', 's.name', 's.alternate_name', 's.description', 's.url', 's.email', 's.status', 's.application_process', 's.free', 's.fees_description', 's.eligibility_description',
  's.minimum_age', 's.maximum_age', 's.required_documents', 's.alert', 's.capacity_maximum', 's.capacity_available', 's.capacity_updated_at', 's.verified_on', 's.updated_at',
  'o.name as o_name', 'o.alternate_name as o_alternate_name', 'o.description as o_description', 'o.email as o_email', 'o.website as o_website',
] as const;

export async function serviceRows(db: Db, f: ServiceFilters, page?: { offset: number; limit: number }): Promise<{ rows: ServiceRow[]; total: number }> {
  const base = publishedServices(db, f);
  let q = base.select([...serviceColumns]).orderBy('s.name').orderBy('s.id');
  if (page) q = q.offset(page.offset).limit(page.limit);
  const [rows, total] = await Promise.all([q.execute(), page ? base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow().then((r) => r.n) : Promise.resolve(-1)]);
  return { rows: rows as ServiceRow[], total: page ? total : rows.length };
}

export const organizationOf = (r: Pick<ServiceRow, 'organization_id' | 'o_name' | 'o_alternate_name' | 'o_description' | 'o_email' | 'o_website'>) =>
  compact({ id: r.organization_id, name: r.o_name, alternate_name: r.o_alternate_name, description: r.o_description, email: r.o_email, website: r.o_website });

/** The one-to-one fields of a service (HSDS `service_list`). */
export function serviceBrief(r: ServiceRow): Json {
  return compact({
    id: r.id,
    organization_id: r.organization_id,
    name: r.name,
    alternate_name: r.alternate_name,
    description: r.description,
    url: r.url,
    email: r.email,
    status: r.status,
    application_process: r.application_process,
    fees_description: r.fees_description,
    eligibility_description: r.eligibility_description,
    minimum_age: r.minimum_age,
    maximum_age: r.maximum_age,
    assured_date: r.verified_on,
    alert: r.alert,
    last_modified: r.updated_at.toISOString(),
    organization: organizationOf(r),
  });
}

type Parts = Awaited<ReturnType<typeof partsOf>>;
type LocationRow = ReturnType<Parts['locations']>[number];

export function locationObject(l: LocationRow): Json {
  return compact({
    id: l.id,
    location_type: 'physical',
    organization_id: l.organization_id,
    name: l.name,
    description: l.description,
    transportation: l.transportation,
    latitude: l.latitude,
    longitude: l.longitude,
    external_identifier: l.municipality_code,
    external_identifier_type: l.municipality_code ? 'INEGI municipio' : null,
    addresses: [{ id: derivedId(l.id, 'address'), location_id: l.id, address_1: l.address_1, city: l.city, state_province: stateName(l.state_code), postal_code: l.postal_code, country: 'MX', address_type: 'physical' }],
  });
}

/** A whole service with everything attached to it (HSDS `service`). */
export function serviceFull(r: ServiceRow, parts: Parts, terms: Map<string, { id: string; code: string; name: string; description: string; taxonomy_id: string }>): Json {
  const id = r.id;
  return {
    ...serviceBrief(r),
    phones: parts.phones(id).map((p) => compact({ id: p.id, service_id: id, number: p.number, type: p.type, description: p.description })),
    schedules: parts.schedules(id).map((s) => compact({ id: s.id, service_id: id, freq: 'WEEKLY', wkst: 'MO', byday: s.byday, opens_at: s.opens_at.slice(0, 5), closes_at: s.closes_at.slice(0, 5), description: s.description })),
    languages: parts.languages(id).map((l) => ({ id: derivedId(id, 'language', l.code), service_id: id, code: l.code, name: languages[l.code as keyof typeof languages]?.en ?? l.code })),
    service_at_locations: parts.locations(id).map((l) => compact({ id: l.link_id, service_id: id, location_id: l.id, description: l.link_description, location: locationObject(l) })),
    cost_options: r.free ? [{ id: derivedId(id, 'cost'), service_id: id, option: 'free', amount: 0, currency: 'MXN' }] : [],
    required_documents: r.required_documents.map((document, i) => ({ id: derivedId(id, 'document', String(i)), service_id: id, document })),
    attributes: parts.terms(id).flatMap((t) => {
      const term = terms.get(t.code);
      return term ? [{ id: derivedId(id, 'attribute', term.id), link_id: id, link_type: 'service', link_entity: 'service', taxonomy_term_id: term.id, taxonomy_term: compact({ ...term }) }] : [];
    }),
    // HSDS 3.1 service_capacity, ahead of 3.0: a shelter's beds.
    capacities:
      r.capacity_maximum === null && r.capacity_available === null
        ? []
        : [compact({ id: derivedId(id, 'capacity'), service_id: id, unit: { id: derivedId('unit', 'bed'), name: 'bed' }, maximum: r.capacity_maximum, available: r.capacity_available, updated: (r.capacity_updated_at ?? r.updated_at).toISOString() })],
  };
}

export async function termsByCode(db: Db) {
  const rows = await db.selectFrom('directory_taxonomy_terms').select(['id', 'code', 'name', 'description', 'taxonomy_id', 'parent_id']).execute();
  return new Map(rows.map((t) => [t.code, { id: t.id, code: t.code, name: t.name, description: t.description, taxonomy_id: t.taxonomy_id }]));
}

export async function fullServices(db: Db, rows: ServiceRow[]): Promise<Json[]> {
  const [parts, terms] = await Promise.all([partsOf(db, rows.map((r) => r.id)), termsByCode(db)]);
  return rows.map((r) => serviceFull(r, parts, terms));
}

/** Organizations that publish at least one service. */
export function publicOrganizations(db: Db, search?: string) {
  let q = db.selectFrom('directory_organizations as o').where((eb) => eb.exists(eb.selectFrom('directory_services as s').select('s.id').whereRef('s.organization_id', '=', 'o.id').where('s.review_state', '=', 'published')));
  if (search) for (const word of search.trim().split(/\s+/).slice(0, 8)) q = q.where(foldedSql('o.name'), 'like', likePattern(word));
  return q;
}

export const organizationBrief = (o: { id: string; name: string; alternate_name: string | null; description: string; email: string | null; website: string | null }) =>
  compact({ id: o.id, name: o.name, alternate_name: o.alternate_name, description: o.description, email: o.email, website: o.website });

export function termObject(t: { id: string; code: string; name: string; description: string; taxonomy_id: string; parent_id: string | null }, taxonomy?: { id: string; name: string; description: string; uri: string | null; version: string | null }): Json {
  return compact({ id: t.id, code: t.code, name: t.name, description: t.description, parent_id: t.parent_id, taxonomy_id: t.taxonomy_id, language: 'es', taxonomy_detail: taxonomy ? taxonomyObject(taxonomy) : null });
}
export const taxonomyObject = (t: { id: string; name: string; description: string; uri: string | null; version: string | null }) => compact({ id: t.id, name: t.name, description: t.description, uri: t.uri, version: t.version });
