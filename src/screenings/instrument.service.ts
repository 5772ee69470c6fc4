import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, forbidden } from '../platform/errors.ts';
import { can, requireCapability, type Actor } from '../platform/auth/policy.ts';
import { definitionLanguages, definitionProblems, instrumentDefinition, type InstrumentDefinition } from './definition.ts';

/**
 * Screening instruments: versioned definitions (src/screenings/definition.ts). The instruments shipped
 * with Amparo are the JSON files of `instruments/`, installed on first use; an administrator of the
 * platform adds an instrument, or a new version of one, from a definition file. A stored version is
 * never changed: screenings keep the version they were given under.
 */

const shippedFolder = new URL('./instruments/', import.meta.url);

/** A definition checked by its schema and for its references; `screening_definition_invalid` lists the problems. */
export function parseDefinition(input: unknown): InstrumentDefinition {
  const parsed = instrumentDefinition.safeParse(input);
  if (!parsed.success) {
    throw new AppError('screening_definition_invalid', {}, { problems: parsed.error.issues.slice(0, 50).map((i) => `${i.path.join('.') || '(definition)'}: ${i.message}`) });
  }
  const problems = definitionProblems(parsed.data);
  if (problems.length) throw new AppError('screening_definition_invalid', {}, { problems: problems.slice(0, 50) });
  return parsed.data;
}

/** The definitions shipped with Amparo (a broken file stops the start, as a broken migration would). */
export function shippedDefinitions(): InstrumentDefinition[] {
  return readdirSync(shippedFolder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseDefinition(JSON.parse(readFileSync(new URL(f, shippedFolder), 'utf8'))));
}

async function storeVersion(db: Db, definition: InstrumentDefinition, createdBy: string | null, shipped: boolean) {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('screening_instruments').values({ code: definition.code }).onConflict((oc) => oc.column('code').doNothing()).execute();
    // The instrument's row is the lock under which versions are numbered.
    const instrument = await trx.selectFrom('screening_instruments').select('id').where('code', '=', definition.code).forUpdate().executeTakeFirstOrThrow();
    const latest = await trx.selectFrom('screening_instrument_versions').select((eb) => eb.fn.max('version').as('v')).where('instrument_id', '=', instrument.id).executeTakeFirst();
    const latestVersion = latest?.v ?? 0;
    if (definition.version <= latestVersion) {
      if (shipped) return null;
      throw new AppError('screening_version_exists', { latest: latestVersion });
    }
    return trx
      .insertInto('screening_instrument_versions')
      .values({ instrument_id: instrument.id, version: definition.version, definition: JSON.stringify(definition), languages: definitionLanguages(definition), shipped, created_by: createdBy })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
  });
}

const installed = new WeakMap<Db, Promise<void>>();

/** Installs the shipped versions not yet in the database (once per process and database). */
export function ensureShippedInstruments(db: Db): Promise<void> {
  let done = installed.get(db);
  if (!done) {
    done = (async () => {
      for (const definition of shippedDefinitions()) await storeVersion(db, definition, null, true);
    })();
    done.catch(() => installed.delete(db));
    installed.set(db, done);
  }
  return done;
}

export async function addInstrumentVersion(db: Db, actor: Actor, input: unknown) {
  requireCapability(actor, 'screenings.manage_instruments');
  await ensureShippedInstruments(db);
  const definition = parseDefinition(input);
  const stored = await storeVersion(db, definition, actor.userId, false);
  if (!stored) throw new AppError('screening_version_exists', { latest: definition.version });
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'screening_instrument.version_added', recordType: 'screening_instrument_version', recordId: stored.id, ip: actor.ip, detail: { code: definition.code, version: stored.version } });
  return { id: stored.id, code: definition.code, version: stored.version };
}

const mayReadInstruments = (actor: Actor) => can(actor, 'screenings.give') || can(actor, 'screenings.manage_instruments');

/** Every instrument with its versions, newest first, and the texts of its latest version. */
export async function listInstruments(db: Db, actor: Actor) {
  if (!mayReadInstruments(actor)) throw forbidden();
  await ensureShippedInstruments(db);
  const rows = await db
    .selectFrom('screening_instrument_versions as v')
    .innerJoin('screening_instruments as i', 'i.id', 'v.instrument_id')
    .select(['i.code', 'v.id', 'v.version', 'v.definition', 'v.languages', 'v.shipped', 'v.created_at'])
    .orderBy('i.code')
    .orderBy('v.version', 'desc')
    .execute();
  const byCode = new Map<string, typeof rows>();
  for (const row of rows) byCode.set(row.code, [...(byCode.get(row.code) ?? []), row]);
  return [...byCode.entries()].map(([code, versions]) => {
    const latest = versions[0]!;
    const d = latest.definition as InstrumentDefinition;
    return {
      code,
      title: d.title,
      description: d.description,
      basis: d.basis,
      intended_for: d.intended_for,
      latest: { id: latest.id, version: latest.version, languages: latest.languages },
      versions: versions.map((v) => ({ id: v.id, version: v.version, shipped: v.shipped, languages: v.languages, created_at: v.created_at.toISOString() })),
    };
  });
}

/** One version's whole definition (a screen shows it; an administrator starts the next version from it). */
export async function getInstrumentVersion(db: Db, actor: Actor, versionId: string) {
  if (!mayReadInstruments(actor)) throw forbidden();
  const row = await db.selectFrom('screening_instrument_versions').select(['id', 'version', 'definition', 'languages', 'shipped', 'created_at']).where('id', '=', versionId).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return { id: row.id, version: row.version, languages: row.languages, shipped: row.shipped, created_at: row.created_at.toISOString(), definition: row.definition as InstrumentDefinition };
}
