import type { Db } from '../platform/db/database.ts';
import { partsOf } from './directory.service.ts';
import { isStale } from './directory.service.ts';
import { foldedSql, likePattern } from './hsds.service.ts';
import { distanceKm, placeOf } from './places.ts';

/**
 * The public search of the directory (/servicios): published entries only, filtered by words,
 * category, state, municipality, language, age and free beds, and ordered by distance from a chosen
 * town (coordinates are data: ./places.ts) or by name. The filters run in SQL; the distance is
 * computed here for the rows that pass them.
 */
export type PublicFilters = {
  words?: string | undefined;
  /** Any of these taxonomy codes. */
  categories?: string[] | undefined;
  state?: string | undefined;
  municipality?: string | undefined;
  language?: string | undefined;
  age?: number | undefined;
  /** Services open to someone under 18 (`child`) or of 18 or more (`adult`); the guide's coarse answer. */
  ageGroup?: 'child' | 'adult' | undefined;
  near?: string | undefined;
  beds?: boolean | undefined;
};

export const PAGE_SIZE = 15;

export async function publicSearch(db: Db, f: PublicFilters, page: number) {
  let q = db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
    .innerJoin('directory_service_at_locations as sl', 'sl.service_id', 's.id')
    .innerJoin('directory_locations as l', 'l.id', 'sl.location_id')
    .where('s.review_state', '=', 'published')
    .where('s.status', '!=', 'defunct');
  for (const word of (f.words ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8)) {
    const like = likePattern(word);
    q = q.where((eb) => eb.or([eb(foldedSql('s.name'), 'like', like), eb(foldedSql('s.description'), 'like', like), eb(foldedSql('o.name'), 'like', like), eb(foldedSql('l.city'), 'like', like)]));
  }
  if (f.categories?.length) {
    const codes = f.categories;
    q = q.where((eb) => eb.exists(eb.selectFrom('directory_service_terms as st').innerJoin('directory_taxonomy_terms as t', 't.id', 'st.term_id').select('st.id').whereRef('st.service_id', '=', 's.id').where('t.code', 'in', codes)));
  }
  if (f.state) q = q.where('l.state_code', '=', f.state);
  if (f.municipality) q = q.where('l.municipality_code', '=', f.municipality);
  if (f.language) q = q.where((eb) => eb.exists(eb.selectFrom('directory_service_languages as sg').select('sg.id').whereRef('sg.service_id', '=', 's.id').where('sg.code', '=', f.language!)));
  if (f.age !== undefined) q = q.where((eb) => eb.and([eb.or([eb('s.minimum_age', 'is', null), eb('s.minimum_age', '<=', f.age!)]), eb.or([eb('s.maximum_age', 'is', null), eb('s.maximum_age', '>=', f.age!)])]));
  if (f.ageGroup === 'child') q = q.where((eb) => eb.or([eb('s.minimum_age', 'is', null), eb('s.minimum_age', '<', 18)]));
  if (f.ageGroup === 'adult') q = q.where((eb) => eb.or([eb('s.maximum_age', 'is', null), eb('s.maximum_age', '>=', 18)]));
  if (f.beds) q = q.where('s.capacity_available', '>', 0);

  const rows = await q
    .select(['s.id', 's.name', 's.free', 's.status', 's.capacity_available', 's.capacity_maximum', 's.capacity_updated_at', 's.verified_on', 'o.name as organization', 'l.city', 'l.state_code', 'l.latitude', 'l.longitude'])
    .execute();
  // One row per service (a service at several places is listed at its nearest one).
  const from = placeOf(f.near);
  const scored = rows.map((r) => ({ ...r, km: from && r.latitude !== null && r.longitude !== null ? distanceKm(from, { lat: r.latitude, lon: r.longitude }) : null }));
  scored.sort((a, b) => (from ? (a.km ?? Infinity) - (b.km ?? Infinity) : 0) || a.name.localeCompare(b.name, 'es') || a.id.localeCompare(b.id));
  const seen = new Set<string>();
  const unique = scored.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
  const pages = Math.max(1, Math.ceil(unique.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const slice = unique.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const parts = await partsOf(db, slice.map((r) => r.id));
  return {
    total: unique.length,
    page: current,
    pages,
    near: from ?? null,
    items: slice.map((r) => ({ ...r, stale: isStale(r.verified_on), categories: parts.terms(r.id).map((t) => t.code), languages: parts.languages(r.id).map((l) => l.code) })),
  };
}

/** One published service for its public page, or null. */
export async function publicService(db: Db, id: string) {
  const row = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
    .selectAll('s')
    .select('o.name as organization')
    .where('s.id', '=', id)
    .where('s.review_state', '=', 'published')
    .executeTakeFirst();
  if (!row) return null;
  const parts = await partsOf(db, [id]);
  return {
    ...row,
    stale: isStale(row.verified_on),
    categories: parts.terms(id).map((t) => t.code),
    languages: parts.languages(id).map((l) => l.code),
    phones: parts.phones(id),
    schedules: parts.schedules(id),
    locations: parts.locations(id),
  };
}

export async function categoryNames(db: Db): Promise<Array<{ code: string; es: string; en: string }>> {
  const rows = await db.selectFrom('directory_taxonomy_terms').select(['code', 'name', 'name_en']).orderBy('name').execute();
  return rows.map((r) => ({ code: r.code, es: r.name, en: r.name_en }));
}
