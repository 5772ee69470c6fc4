import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, forbidden } from '../platform/errors.ts';
import { can, type Actor } from '../platform/auth/policy.ts';
import { localDate } from '../platform/dates.ts';
import { entryAccess, requireSecondPerson, requireTransition, type EntryAccess } from './directory.policy.ts';
import { placeOf, places } from './places.ts';
import { languages, STALE_MONTHS, type Weekday } from './vocabularies.ts';
import type { ServiceInput, ServicePatch, ServiceView } from './directory.schema.ts';

/**
 * The directory editors' and reviewers' side: entries of the actor's institution, written as one
 * service with its location, schedules, phones, languages and categories, then submitted, published by
 * a second person, verified. Every write is one transaction with its audit entry.
 */

/** The date before which an entry's last verification is too old (6 months before today). */
export function staleBefore(today: string = localDate()): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - STALE_MONTHS);
  return d.toISOString().slice(0, 10);
}
export const isStale = (verifiedOn: string | null, today?: string) => verifiedOn === null || verifiedOn < staleBefore(today);

const audit = (db: Db | Tx, actor: Actor, action: string, serviceId: string, detail?: Record<string, string | string[]>) =>
  appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: `directory_service.${action}`, recordType: 'directory_service', recordId: serviceId, ip: actor.ip, ...(detail ? { detail } : {}) });

/** The institution's organization in the directory, made from the institution the first time. */
async function organizationOf(trx: Tx, actor: Actor): Promise<string> {
  const found = await trx.selectFrom('directory_organizations').select('id').where('institution_id', '=', actor.institutionId).executeTakeFirst();
  if (found) return found.id;
  const institution = await trx.selectFrom('institutions').select('name').where('id', '=', actor.institutionId).executeTakeFirstOrThrow();
  const id = randomUUID();
  await trx.insertInto('directory_organizations').values({ id, institution_id: actor.institutionId, name: institution.name, description: institution.name }).onConflict((c) => c.column('institution_id').where('institution_id', 'is not', null).doNothing()).execute();
  return (await trx.selectFrom('directory_organizations').select('id').where('institution_id', '=', actor.institutionId).executeTakeFirstOrThrow()).id;
}

async function termIds(trx: Db | Tx, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const rows = await trx.selectFrom('directory_taxonomy_terms').select(['id', 'code']).where('code', 'in', codes).execute();
  if (rows.length !== new Set(codes).size) throw new AppError('directory_unknown_category');
  return rows.map((r) => r.id);
}

function locationValues(location: ServiceInput['location']) {
  const place = placeOf(location.municipality_code);
  if (!place || place.state !== location.state_code) throw new AppError('directory_unknown_place');
  return {
    name: location.name ?? null,
    address_1: location.address_1,
    city: place.name,
    municipality_code: place.code,
    state_code: place.state,
    postal_code: location.postal_code ?? '',
    transportation: location.transportation ?? null,
    latitude: location.latitude ?? place.lat,
    longitude: location.longitude ?? place.lon,
  };
}

type Parts = Pick<ServiceInput, 'categories' | 'languages' | 'phones' | 'schedules'>;

/** Replaces the lists that were sent (each list is written whole: the form sends what it shows). */
async function writeParts(trx: Tx, serviceId: string, parts: Partial<Parts>): Promise<void> {
  if (parts.categories) {
    const ids = await termIds(trx, parts.categories);
    await trx.deleteFrom('directory_service_terms').where('service_id', '=', serviceId).execute();
    await trx.insertInto('directory_service_terms').values(ids.map((term_id) => ({ id: randomUUID(), service_id: serviceId, term_id }))).execute();
  }
  if (parts.languages) {
    await trx.deleteFrom('directory_service_languages').where('service_id', '=', serviceId).execute();
    const codes = [...new Set(parts.languages)];
    if (codes.length) await trx.insertInto('directory_service_languages').values(codes.map((code) => ({ id: randomUUID(), service_id: serviceId, code }))).execute();
  }
  if (parts.phones) {
    await trx.deleteFrom('directory_phones').where('service_id', '=', serviceId).execute();
    if (parts.phones.length) await trx.insertInto('directory_phones').values(parts.phones.map((p) => ({ id: randomUUID(), service_id: serviceId, number: p.number, type: p.type, description: p.description ?? null }))).execute();
  }
  if (parts.schedules) {
    await trx.deleteFrom('directory_schedules').where('service_id', '=', serviceId).execute();
    if (parts.schedules.length) await trx.insertInto('directory_schedules').values(parts.schedules.map((s) => ({ id: randomUUID(), service_id: serviceId, byday: s.days.join(','), opens_at: s.opens_at, closes_at: s.closes_at, description: s.description ?? null }))).execute();
  }
}

export async function createService(db: Db, actor: Actor, input: ServiceInput): Promise<{ id: string }> {
  if (!can(actor, 'directory.edit')) throw forbidden();
  const location = locationValues(input.location);
  return db.transaction().execute(async (trx) => {
    const organizationId = await organizationOf(trx, actor);
    const id = randomUUID();
    const locationId = randomUUID();
    await trx.insertInto('directory_locations').values({ id: locationId, organization_id: organizationId, ...location }).execute();
    await trx
      .insertInto('directory_services')
      .values({
        id,
        organization_id: organizationId,
        institution_id: actor.institutionId,
        ...scalarValues(input),
        capacity_updated_at: input.capacity_available !== undefined ? new Date() : null,
        changed_by: actor.userId,
      })
      .execute();
    await trx.insertInto('directory_service_at_locations').values({ id: randomUUID(), service_id: id, location_id: locationId, description: null }).execute();
    await writeParts(trx, id, input);
    await audit(trx, actor, 'created', id);
    return { id };
  });
}

/** The service's own columns from an input (only those present, for a PATCH). */
function scalarValues(input: Partial<ServiceInput>) {
  const v: Record<string, unknown> = {};
  const nullable = ['alternate_name', 'url', 'email', 'application_process', 'fees_description', 'eligibility_description', 'minimum_age', 'maximum_age', 'alert', 'capacity_maximum', 'capacity_available'] as const;
  for (const key of ['name', 'description', 'status', 'free', 'required_documents'] as const) if (input[key] !== undefined) v[key] = input[key];
  for (const key of nullable) if (key in input) v[key] = input[key] ?? null;
  return v as { name: string; description?: string; status?: ServiceInput['status']; free?: boolean; required_documents?: string[] } & Record<(typeof nullable)[number], never>;
}

export async function updateService(db: Db, actor: Actor, id: string, patch: ServicePatch): Promise<void> {
  const location = patch.location ? locationValues(patch.location) : null;
  await db.transaction().execute(async (trx) => {
    const entry = await entryAccess(trx, actor, id, 'edit', { forUpdate: true });
    const current = await trx.selectFrom('directory_services').select(['minimum_age', 'maximum_age', 'capacity_maximum', 'capacity_available']).where('id', '=', id).executeTakeFirstOrThrow();
    const merged = { ...current, ...patch };
    if (merged.minimum_age != null && merged.maximum_age != null && merged.minimum_age > merged.maximum_age) throw new AppError('validation_failed');
    if (merged.capacity_available != null && merged.capacity_maximum != null && merged.capacity_available > merged.capacity_maximum) throw new AppError('validation_failed');
    // A change of a published entry goes back through review: the public sees only what a second person published.
    await trx
      .updateTable('directory_services')
      .set({ ...(scalarValues(patch) as object), ...(patch.capacity_available !== undefined ? { capacity_updated_at: new Date() } : {}), review_state: 'draft', changed_by: actor.userId, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    if (location) {
      const link = await trx.selectFrom('directory_service_at_locations').select('location_id').where('service_id', '=', id).executeTakeFirstOrThrow();
      await trx.updateTable('directory_locations').set({ ...location, updated_at: new Date() }).where('id', '=', link.location_id).execute();
    }
    await writeParts(trx, id, patch);
    await audit(trx, actor, 'updated', id, { fields: Object.keys(patch).sort(), was: entry.reviewState });
  });
}

async function move(db: Db, actor: Actor, id: string, step: 'submit' | 'publish' | 'return', note?: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const entry: EntryAccess = await entryAccess(trx, actor, id, step === 'submit' ? 'edit' : 'review', { forUpdate: true });
    const to = requireTransition(entry, step);
    if (step !== 'submit') requireSecondPerson(actor, entry);
    const now = new Date();
    const set =
      step === 'submit'
        ? { review_state: to, submitted_at: now, changed_by: actor.userId, review_note: null }
        : step === 'publish'
          ? // Publishing is a verification too: the reviewer checked the entry today.
            { review_state: to, published_by: actor.userId, published_at: now, verified_on: localDate(now), verified_by: actor.userId, review_note: null, updated_at: now }
          : { review_state: to, review_note: note ?? null };
    await trx.updateTable('directory_services').set(set).where('id', '=', id).execute();
    await audit(trx, actor, step === 'submit' ? 'submitted' : step === 'publish' ? 'published' : 'returned', id);
  });
}

export const submitService = (db: Db, actor: Actor, id: string) => move(db, actor, id, 'submit');
export const publishService = (db: Db, actor: Actor, id: string) => move(db, actor, id, 'publish');
export const returnService = (db: Db, actor: Actor, id: string, note: string) => move(db, actor, id, 'return', note);

/**
 * "Still true today": the editor confirms the entry, and may give the free places of a shelter. Neither
 * changes what the entry says, so a published entry stays published.
 */
export async function verifyService(db: Db, actor: Actor, id: string, input: { capacity_available?: number | undefined }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await entryAccess(trx, actor, id, 'edit', { forUpdate: true });
    const now = new Date();
    if (input.capacity_available !== undefined) {
      const row = await trx.selectFrom('directory_services').select('capacity_maximum').where('id', '=', id).executeTakeFirstOrThrow();
      if (row.capacity_maximum !== null && input.capacity_available > row.capacity_maximum) throw new AppError('validation_failed');
    }
    await trx
      .updateTable('directory_services')
      .set({ verified_on: localDate(now), verified_by: actor.userId, updated_at: now, ...(input.capacity_available !== undefined ? { capacity_available: input.capacity_available, capacity_updated_at: now } : {}) })
      .where('id', '=', id)
      .execute();
    await audit(trx, actor, 'verified', id);
  });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Categories, languages, phones, schedules and the first location of some services, by service id. */
export async function partsOf(db: Db | Tx, ids: string[]) {
  const empty = ids.length === 0;
  const [terms, langs, phones, schedules, locations] = empty
    ? [[], [], [], [], []]
    : await Promise.all([
        db.selectFrom('directory_service_terms as st').innerJoin('directory_taxonomy_terms as t', 't.id', 'st.term_id').select(['st.service_id', 't.code']).where('st.service_id', 'in', ids).orderBy('t.code').execute(),
        db.selectFrom('directory_service_languages').select(['service_id', 'code']).where('service_id', 'in', ids).orderBy('code').execute(),
        db.selectFrom('directory_phones').select(['id', 'service_id', 'number', 'type', 'description']).where('service_id', 'in', ids).orderBy('id').execute(),
        db.selectFrom('directory_schedules').select(['id', 'service_id', 'byday', 'opens_at', 'closes_at', 'description']).where('service_id', 'in', ids).orderBy('opens_at').orderBy('id').execute(),
        db.selectFrom('directory_service_at_locations as sl').innerJoin('directory_locations as l', 'l.id', 'sl.location_id').selectAll('l').select(['sl.service_id', 'sl.id as link_id', 'sl.description as link_description']).where('sl.service_id', 'in', ids).orderBy('sl.id').execute(),
      ]);
  const group = <T extends { service_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.service_id, [...(map.get(row.service_id) ?? []), row]);
    return (id: string) => map.get(id) ?? [];
  };
  return { terms: group(terms), languages: group(langs), phones: group(phones), schedules: group(schedules), locations: group(locations) };
}

const hhmm = (t: string) => t.slice(0, 5);

export async function getService(db: Db, actor: Actor, id: string): Promise<ServiceView> {
  await entryAccess(db, actor, id, 'read');
  const row = await db.selectFrom('directory_services as s').innerJoin('directory_organizations as o', 'o.id', 's.organization_id').selectAll('s').select('o.name as organization_name').where('s.id', '=', id).executeTakeFirstOrThrow();
  const parts = await partsOf(db, [id]);
  const location = parts.locations(id)[0]!;
  return {
    id: row.id,
    organization: { id: row.organization_id, name: row.organization_name },
    name: row.name,
    alternate_name: row.alternate_name,
    description: row.description,
    url: row.url,
    email: row.email,
    status: row.status,
    application_process: row.application_process,
    free: row.free,
    fees_description: row.fees_description,
    eligibility_description: row.eligibility_description,
    minimum_age: row.minimum_age,
    maximum_age: row.maximum_age,
    required_documents: row.required_documents,
    alert: row.alert,
    capacity_maximum: row.capacity_maximum,
    capacity_available: row.capacity_available,
    capacity_updated_at: iso(row.capacity_updated_at),
    categories: parts.terms(id).map((t) => t.code),
    languages: parts.languages(id).map((l) => l.code),
    phones: parts.phones(id).map((p) => ({ number: p.number, type: p.type, description: p.description })),
    schedules: parts.schedules(id).map((s) => ({ days: s.byday.split(',') as Weekday[], opens_at: hhmm(s.opens_at), closes_at: hhmm(s.closes_at), description: s.description })),
    location: { name: location.name, address_1: location.address_1, city: location.city, state_code: location.state_code, municipality_code: location.municipality_code, postal_code: location.postal_code, transportation: location.transportation, latitude: location.latitude, longitude: location.longitude },
    review_state: row.review_state,
    review_note: row.review_note,
    verified_on: row.verified_on,
    stale: isStale(row.verified_on),
    published_at: iso(row.published_at),
    updated_at: row.updated_at.toISOString(),
    changed_by_me: row.changed_by === actor.userId,
  };
}

export async function listServices(db: Db, actor: Actor, query: { state?: 'draft' | 'pending' | 'published' | undefined; stale?: 'true' | 'false' | undefined; limit: number; offset: number }) {
  if (!can(actor, 'directory.edit') && !can(actor, 'directory.review')) throw forbidden();
  const before = staleBefore();
  let base = db.selectFrom('directory_services as s').where('s.institution_id', '=', actor.institutionId);
  if (query.state) base = base.where('s.review_state', '=', query.state);
  if (query.stale === 'true') base = base.where((eb) => eb.or([eb('s.verified_on', 'is', null), eb('s.verified_on', '<', before)]));
  if (query.stale === 'false') base = base.where('s.verified_on', '>=', before);
  const [{ total }, rows] = await Promise.all([
    base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    base
      .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
      .select(['s.id', 's.name', 'o.name as organization', 's.review_state', 's.verified_on', 's.updated_at', 's.changed_by'])
      .orderBy(sql`case s.review_state when 'pending' then 0 when 'draft' then 1 else 2 end`)
      .orderBy('s.verified_on', (o) => o.asc().nullsFirst())
      .orderBy('s.name')
      .orderBy('s.id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
  ]);
  const parts = await partsOf(db, rows.map((r) => r.id));
  return {
    total,
    limit: query.limit,
    offset: query.offset,
    items: rows.map((r) => {
      const location = parts.locations(r.id)[0];
      return {
        id: r.id,
        name: r.name,
        organization: r.organization,
        municipality: location?.city ?? '',
        state_code: location?.state_code ?? '',
        categories: parts.terms(r.id).map((t) => t.code),
        review_state: r.review_state,
        verified_on: r.verified_on,
        stale: isStale(r.verified_on),
        updated_at: r.updated_at.toISOString(),
        changed_by_me: r.changed_by === actor.userId,
      };
    }),
  };
}

export async function directoryVocabularies(db: Db, actor: Actor) {
  if (!can(actor, 'directory.edit') && !can(actor, 'directory.review')) throw forbidden();
  const terms = await db.selectFrom('directory_taxonomy_terms').select(['code', 'name', 'name_en']).orderBy('name').execute();
  return {
    categories: terms.map((t) => ({ code: t.code, es: t.name, en: t.name_en })),
    languages: Object.entries(languages).map(([code, l]) => ({ code, es: l.es, en: l.en })),
    places: places.map((p) => ({ code: p.code, state: p.state, name: p.name })),
  };
}
