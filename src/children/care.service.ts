import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { open, seal, writeOnFile } from './file-access.ts';
import type { z } from 'zod';
import type { facilityInput, placementInput } from './children.schema.ts';

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/**
 * Alternative care (UN Guidelines for the Alternative Care of Children; LGDNNA art. 26): family-based
 * care first; residential care in a Centro de Asistencia Social only as a last resort, for the
 * shortest time, and with the written reason no family-based option was available; never a migration
 * station (Migration Law as reformed in 2020). One current placement per child; a new one ends the
 * current one with the reason for the change.
 */
export async function loadCare(db: Db, reader: FieldReader, caseId: string, today: string) {
  const rows = await db
    .selectFrom('placements as pl')
    .leftJoin('care_facilities as cf', 'cf.id', 'pl.facility_id')
    .selectAll('pl')
    .select(['cf.name as facility_name'])
    .where('pl.case_id', '=', caseId)
    .orderBy('pl.started_on')
    .orderBy('pl.created_at')
    .execute();
  return rows.map((p) => ({
    id: p.id,
    care_type: p.care_type,
    facility: p.facility_id ? { id: p.facility_id, name: p.facility_name ?? '' } : null,
    place: open(reader, p.place_enc, 'place'),
    started_on: p.started_on,
    ended_on: p.ended_on,
    change_reason: p.change_reason,
    justification: open(reader, p.justification_enc, 'justification'),
    days: daysBetween(p.started_on, p.ended_on ?? today),
  }));
}

export async function placeChild(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, input: z.infer<typeof placementInput>) {
  // Refused before anything is read: no file, no role and no wording makes this allowed.
  if (input.care_type === 'migration_station') throw new AppError('placement_migration_station');
  const careType = input.care_type;
  if (careType === 'residential') {
    if (!input.justification?.trim()) throw new AppError('placement_justification_required');
    if (!input.facility_id) throw new AppError('placement_facility_required');
  }
  return writeOnFile(db, actor, caseId, 'child_file.placed', async (trx, file) => {
    if (input.facility_id) {
      // Lock the facility so that two placements cannot both take its last place.
      const facility = await trx.selectFrom('care_facilities').select(['id', 'capacity', 'active']).where('id', '=', input.facility_id).forUpdate().executeTakeFirst();
      if (!facility || !facility.active) throw new AppError('validation_failed');
      const { n } = await trx
        .selectFrom('placements')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('facility_id', '=', input.facility_id)
        .where('ended_on', 'is', null)
        .where('case_id', '<>', caseId)
        .executeTakeFirstOrThrow();
      if (n >= facility.capacity) throw new AppError('facility_full');
    }
    const current = await trx.selectFrom('placements').select(['id', 'started_on']).where('case_id', '=', caseId).where('ended_on', 'is', null).executeTakeFirst();
    if (current) {
      if (!input.change_reason?.trim()) throw new AppError('placement_change_reason_required');
      if (input.started_on < current.started_on) throw new AppError('placement_dates_invalid');
      await trx.updateTable('placements').set({ ended_on: input.started_on, change_reason: input.change_reason }).where('id', '=', current.id).execute();
    }
    const { id } = await trx
      .insertInto('placements')
      .values({
        institution_id: file.institutionId,
        case_id: caseId,
        care_type: careType,
        facility_id: input.facility_id ?? null,
        place_enc: seal(cipher, input.place) ?? null,
        started_on: input.started_on,
        justification_enc: seal(cipher, input.justification) ?? null,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: { id }, detail: { care_type: careType, ...(current ? { ended: current.id } : {}) } };
  });
}

/** Care facilities with their current occupancy (a count, no personal data): every child-protection worker may see them. */
export async function listFacilities(db: Db, actor: Actor) {
  requireCapability(actor, 'children.read');
  const rows = await db
    .selectFrom('care_facilities as cf')
    .select(['cf.id', 'cf.name', 'cf.kind', 'cf.state', 'cf.capacity'])
    .select((eb) => eb.selectFrom('placements').select(sql<number>`count(*)::int`.as('n')).whereRef('placements.facility_id', '=', 'cf.id').where('placements.ended_on', 'is', null).as('occupied'))
    .where('cf.active', '=', true)
    .orderBy('cf.name')
    .execute();
  return rows.map((r) => ({ ...r, occupied: r.occupied ?? 0 }));
}

export async function createFacility(db: Db, actor: Actor, input: z.infer<typeof facilityInput>) {
  requireCapability(actor, 'children.write');
  const { id } = await db
    .insertInto('care_facilities')
    .values({ institution_id: actor.institutionId, name: input.name, kind: input.kind, state: input.state ?? null, capacity: input.capacity })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'care_facility.created', recordType: 'care_facility', recordId: id, ip: actor.ip });
  return { id };
}
