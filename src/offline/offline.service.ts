import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { sha256Hex } from '../platform/crypto/sha256.ts';
import { appendAudit, canonical } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { createPerson, personRowToView, updatePerson } from '../people/person.service.ts';
import { addNote, addService, caseAccess, createCase, updateCase } from '../cases/case.service.ts';
import { addAttachment } from '../cases/attachment.service.ts';
import { ownCaseCondition } from '../cases/case.policy.ts';
import { refreshDuplicateCandidates } from '../search/duplicates.ts';
import type { ConflictDetails, OfflineResult, OfflineWrite } from './offline.schema.ts';

export type OfflineSettings = { offlineDays: number; attachmentMaxBytes: number };

const DAY_MS = 86_400_000;
/** Device clocks drift: this much ahead of the server is still "now". */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * When the write was made, as the audit log records it: the device's clock, but never later than its
 * arrival nor earlier than the offline window allows (a device wipes its store after `offlineDays`
 * without the server, so nothing older can honestly arrive). A clock outside those bounds is named.
 */
export function boundMadeAt(madeAt: string, receivedAt: Date, offlineDays: number): { at: Date; deviceClock: 'ok' | 'ahead' | 'behind' } {
  const claimed = Date.parse(madeAt);
  const earliest = receivedAt.getTime() - (offlineDays + 1) * DAY_MS;
  if (claimed > receivedAt.getTime() + CLOCK_SLACK_MS) return { at: receivedAt, deviceClock: 'ahead' };
  if (claimed < earliest) return { at: new Date(earliest), deviceClock: 'behind' };
  return { at: new Date(Math.min(claimed, receivedAt.getTime())), deviceClock: 'ok' };
}

const same = (a: unknown, b: unknown) => canonical(a ?? null) === canonical(b ?? null);

/**
 * The fields changed both on the server (since the version the device saw) and on the device, to
 * different values: those the user must choose between. A field changed on one side only is no
 * conflict, and neither is the same change made on both.
 */
export function conflictingFields(server: Record<string, unknown>, base: Record<string, unknown>, yours: Record<string, unknown>, fields: string[]): ConflictDetails['fields'] {
  return fields.filter((f) => !same(server[f], base[f]) && !same(server[f], yours[f])).map((field) => ({ field, base: base[field] ?? null, server: server[field] ?? null, yours: yours[field] ?? null }));
}

function checkVersion(currentVersion: Date, write: { base_version: string; base: Record<string, unknown>; data: Record<string, unknown> }, current: Record<string, unknown>, fields: string[]) {
  if (currentVersion.getTime() === Date.parse(write.base_version)) return;
  const conflicts = conflictingFields(current, write.base, write.data, fields);
  if (conflicts.length) throw new AppError('offline_conflict', {}, { server_version: currentVersion.toISOString(), fields: conflicts } satisfies ConflictDetails);
}

async function apply(trx: Tx, cipher: FieldCipher, settings: OfflineSettings, actor: Actor, write: OfflineWrite): Promise<{ result: OfflineResult; record: { type: 'person' | 'case'; id: string } }> {
  const { operation } = write;
  switch (write.operation) {
    case 'person.create': {
      const person = await createPerson(trx, cipher, actor, write.data, write.id);
      return { result: { operation, id: person.id, version: person.updated_at.toISOString() }, record: { type: 'person', id: person.id } };
    }
    case 'person.update': {
      requireCapability(actor, 'people.write');
      const row = await trx.selectFrom('people').selectAll().where('id', '=', write.id).where('institution_id', '=', actor.institutionId).forUpdate().executeTakeFirst();
      if (!row) throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'person.update_denied', recordType: 'person', recordId: write.id, ip: actor.ip });
      checkVersion(row.updated_at, write, personRowToView(row, cipher), Object.keys(write.data).filter((f) => f !== 'reason'));
      const person = await updatePerson(trx, cipher, actor, write.id, write.data);
      return { result: { operation, id: person.id, version: person.updated_at.toISOString() }, record: { type: 'person', id: person.id } };
    }
    case 'case.create': {
      const created = await createCase(trx, cipher, actor, write.data, undefined, write.id);
      return { result: { operation, id: created.id, folio: created.folio }, record: { type: 'case', id: created.id } };
    }
    case 'case.update': {
      await caseAccess(trx, actor, write.id, { forUpdate: true });
      const row = await trx.selectFrom('cases').select(['updated_at', 'summary_enc', 'crime_types', 'rights_violations']).where('id', '=', write.id).executeTakeFirstOrThrow();
      const current = { summary: new FieldReader(cipher, 'case').text(row.summary_enc, 'summary'), crime_types: row.crime_types, rights_violations: row.rights_violations };
      checkVersion(row.updated_at, write, current, Object.keys(write.data));
      await updateCase(trx, cipher, actor, write.id, write.data);
      const after = await trx.selectFrom('cases').select('updated_at').where('id', '=', write.id).executeTakeFirstOrThrow();
      return { result: { operation, id: write.id, version: after.updated_at.toISOString() }, record: { type: 'case', id: write.id } };
    }
    case 'service.create':
      await addService(trx, cipher, actor, write.case_id, write.data, write.id);
      return { result: { operation, id: write.id }, record: { type: 'case', id: write.case_id } };
    case 'note.create':
      await addNote(trx, cipher, actor, write.case_id, write.data.body, write.id);
      return { result: { operation, id: write.id }, record: { type: 'case', id: write.case_id } };
    case 'attachment.create': {
      const bytes = Buffer.from(write.data.content_base64, 'base64');
      await addAttachment(trx, cipher, actor, write.case_id, { id: write.id, filename: write.data.filename, mediaType: write.data.media_type, bytes, maxBytes: settings.attachmentMaxBytes });
      return { result: { operation, id: write.id }, record: { type: 'case', id: write.case_id } };
    }
  }
}

/**
 * Applies a write queued on a device, exactly once per idempotency key and user. The key is claimed
 * first, in the write's own transaction: a second request with the key (a retry after a lost answer, a
 * second tab, a sync resumed after the tab was closed) waits for the first to commit and then gets its
 * answer, and writes nothing; if the first failed, nothing was kept and the second applies the write.
 * The same key with a different write is refused. The audit log says the write was made offline, and
 * when (boundMadeAt).
 */
export async function applyOfflineWrite(db: Db, cipher: FieldCipher, settings: OfflineSettings, actor: Actor, key: string, write: OfflineWrite): Promise<{ result: OfflineResult; replayed: boolean }> {
  const fingerprint = sha256Hex(canonical({ institution_id: actor.institutionId, write }));
  const receivedAt = new Date();
  const made = boundMadeAt(write.made_at, receivedAt, settings.offlineDays);
  const outcome = await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('offline_writes')
      .values({ user_id: actor.userId, idempotency_key: key, institution_id: actor.institutionId, operation: write.operation, request_sha256: fingerprint, record_id: write.id, response: '{}', made_at: made.at })
      .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (!claimed) {
      const first = await trx.selectFrom('offline_writes').select(['request_sha256', 'response']).where('user_id', '=', actor.userId).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
      if (first.request_sha256 !== fingerprint) throw new AppError('idempotency_key_reused');
      return { result: first.response as OfflineResult, replayed: true };
    }
    const { result, record } = await apply(trx, cipher, settings, actor, write);
    await appendAudit(trx, {
      institutionId: actor.institutionId,
      actorUserId: actor.userId,
      action: 'offline.synced',
      recordType: record.type,
      recordId: record.id,
      ip: actor.ip,
      detail: { operation: write.operation, written_id: write.id, made_at: made.at.toISOString(), device_clock: made.deviceClock },
    });
    await trx.updateTable('offline_writes').set({ response: JSON.stringify(result) }).where('user_id', '=', actor.userId).where('idempotency_key', '=', key).execute();
    return { result, replayed: false };
  });
  if (outcome.replayed || write.operation !== 'person.create') return outcome;
  // The device checked only what it held; the server checks the whole institution now, and what it
  // finds waits on the supervisors' de-duplication screen (src/people/merge.service.ts).
  const result = { ...outcome.result, possible_duplicates: await duplicatesFound(db, actor.institutionId, write.id) };
  await db.updateTable('offline_writes').set({ response: JSON.stringify(result) }).where('user_id', '=', actor.userId).where('idempotency_key', '=', key).execute();
  return { result, replayed: false };
}

/**
 * Keys no device can still send again: a write without an answer is sent again at the device's next
 * sync, minutes later, and a device wipes its store after `offlineDays` without the server. Kept four
 * windows (at least 30 days) to be safe; returns how many were dropped.
 */
export async function forgetOldOfflineWrites(db: Db, offlineDays: number, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - Math.max(30, 4 * offlineDays) * DAY_MS);
  const result = await db.deleteFrom('offline_writes').where('received_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function duplicatesFound(db: Db, institutionId: string, personId: string): Promise<number> {
  await refreshDuplicateCandidates(db, institutionId, { maxPeople: 200, maxMs: 2000 });
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from person_duplicate_candidates
    where institution_id = ${institutionId} and (person_a = ${personId} or person_b = ${personId})`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * What a device keeps for working offline: the cases the user worked on (or was assigned) in the
 * offline window that she still sees in full, their people, and the people she registered in that
 * window. Everything read is named in the audit entry.
 */
export async function offlineSnapshot(db: Db, cipher: FieldCipher, actor: Actor, offlineDays: number) {
  requireCapability(actor, 'cases.read');
  const since = new Date(Date.now() - offlineDays * DAY_MS);
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'folio', 'programme', 'status', 'opened_on', 'updated_at', 'summary_enc', 'crime_types', 'rights_violations'])
    .where(ownCaseCondition(actor))
    .where((eb) =>
      eb.or([
        eb.and([eb('cases.assigned_to', '=', actor.userId), eb('cases.status', '<>', 'closed')]),
        eb('cases.id', 'in', eb.selectFrom('case_events').select('case_events.case_id').where('case_events.actor_user_id', '=', actor.userId).where('case_events.at', '>=', since)),
      ]),
    )
    .orderBy('updated_at', 'desc')
    .limit(50)
    .execute();
  const caseIds = cases.map((c) => c.id);
  const [participants, services, counts, registered] = await Promise.all([
    caseIds.length
      ? db
          .selectFrom('case_participants')
          .innerJoin('people', 'people.id', 'case_participants.person_id')
          .select(['case_participants.case_id', 'case_participants.role', 'people.id', 'people.given_names', 'people.surname1', 'people.surname2', 'people.sex', 'people.date_of_birth', 'people.estimated_age', 'people.nationalities', 'people.updated_at'])
          .where('case_participants.case_id', 'in', caseIds)
          .execute()
      : [],
    caseIds.length ? db.selectFrom('services').select(['id', 'case_id', 'person_id', 'service_type', 'provided_on']).where('case_id', 'in', caseIds).orderBy('provided_on').execute() : [],
    caseIds.length
      ? sql<{ case_id: string; notes: number; attachments: number }>`
          select c.id as case_id, (select count(*)::int from case_notes n where n.case_id = c.id) as notes, (select count(*)::int from attachments a where a.case_id = c.id) as attachments
          from cases c where c.id = any(${caseIds}::uuid[])`.execute(db).then((r) => r.rows)
      : [],
    db
      .selectFrom('people')
      .select(['id', 'given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'estimated_age', 'nationalities', 'updated_at'])
      .where('institution_id', '=', actor.institutionId)
      .where('created_by', '=', actor.userId)
      .where('created_at', '>=', since)
      .where('merged_into', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute(),
  ]);
  const summary = (p: (typeof registered)[number]) => ({
    id: p.id,
    given_names: p.given_names,
    surname1: p.surname1,
    surname2: p.surname2,
    sex: p.sex,
    date_of_birth: p.date_of_birth,
    estimated_age: p.estimated_age,
    nationalities: p.nationalities.map((n) => n.trim()),
  });
  const people = new Map<string, ReturnType<typeof summary> & { version: string }>();
  for (const p of [...registered, ...participants]) people.set(p.id, { ...summary(p), version: p.updated_at.toISOString() });
  const read = new FieldReader(cipher, 'case');
  const countsOf = new Map(counts.map((c) => [c.case_id, c]));
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'offline.snapshot_read', recordType: 'case', ip: actor.ip, detail: { case_ids: caseIds, person_ids: [...people.keys()] } });
  return {
    offline_days: offlineDays,
    taken_at: new Date().toISOString(),
    cases: cases.map((c) => ({
      id: c.id,
      folio: c.folio,
      programme: c.programme,
      status: c.status,
      opened_on: c.opened_on,
      version: c.updated_at.toISOString(),
      summary: read.text(c.summary_enc, `${c.id}.summary`),
      crime_types: c.crime_types,
      rights_violations: c.rights_violations,
      participants: participants.filter((p) => p.case_id === c.id).map((p) => ({ role: p.role, person: summary(p) })),
      services: services.filter((s) => s.case_id === c.id).map((s) => ({ id: s.id, person_id: s.person_id, service_type: s.service_type, provided_on: s.provided_on })),
      notes: countsOf.get(c.id)?.notes ?? 0,
      attachments: countsOf.get(c.id)?.attachments ?? 0,
    })),
    people: [...people.values()],
  };
}
