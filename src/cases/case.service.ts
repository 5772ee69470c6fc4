import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { anyUuid, inTransaction, type CaseStatus, type Db, type Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit, auditAppendCall } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible, badRequest, forbidden, notFound } from '../platform/errors.ts';
import { can, requireCapability, rolesWith, type Actor } from '../platform/auth/policy.ts';
import { ownCaseCondition, receivedReferralCondition } from './case.policy.ts';
import { localDate } from '../platform/dates.ts';
import { personVisibleTo } from '../people/person.policy.ts';
import { searchPersons } from '../search/engine.ts';
import type { CaseListQuery, CasePatch, CaseView, NewCase, ServicePatch } from './case.schema.ts';
import { fullName } from '../platform/names.ts';

export async function recordEvent(trx: Tx, actor: Actor, caseRow: { id: string; institution_id: string }, kind: string, data: Record<string, unknown> = {}) {
  await trx.insertInto('case_events').values({ institution_id: caseRow.institution_id, case_id: caseRow.id, actor_user_id: actor.userId, kind, data: JSON.stringify(data) }).execute();
}

async function checkAssignee(trx: Db | Tx, institutionId: string, userId: string | null | undefined) {
  if (!userId) return;
  const member = await trx
    .selectFrom('memberships')
    .select('role')
    .where('user_id', '=', userId)
    .where('institution_id', '=', institutionId)
    .where('role', 'in', rolesWith('cases.take'))
    .executeTakeFirst();
  if (!member) throw new AppError('user_not_in_institution');
}

/** People must be visible to the actor, and born before the case was opened. */
async function checkParticipants(db: Db | Tx, actor: Actor, openedOn: string, personIds: string[]) {
  // Almost always the people are the institution's own: one indexed read; the wider visibility
  // rule (people reached through referrals) only when that does not account for all of them.
  let people = await db.selectFrom('people').select(['id', 'date_of_birth', 'merged_into']).where('id', '=', anyUuid(personIds)).where('institution_id', '=', actor.institutionId).execute();
  if (people.length !== personIds.length) {
    people = await db.selectFrom('people').select(['id', 'date_of_birth', 'merged_into']).where('id', '=', anyUuid(personIds)).where(personVisibleTo(actor)).execute();
  }
  if (people.length !== new Set(personIds).size) throw new AppError('person_not_visible');
  // A record merged into another (src/people/merge.service.ts) takes no new cases: the survivor does.
  if (people.some((p) => p.merged_into)) throw new AppError('person_merged');
  if (people.some((p) => p.date_of_birth && p.date_of_birth > openedOn)) throw new AppError('birth_after_case_opened');
}

/** A file opened through a consulate names an institution of type consulate (any, not only one's own: CEAV's files come through the SRE's). */
async function checkConsulate(db: Db | Tx, id: string): Promise<void> {
  const row = await db.selectFrom('institutions').select('type').where('id', '=', id).executeTakeFirst();
  if (row?.type !== 'consulate') throw new AppError('case_consulate_invalid');
}

/**
 * Opens a case with its participants in one transaction. `origin` is set when a referral is accepted:
 * the referred people are then not yet visible to the receiving institution, and the referral, with
 * the person's recorded consent, is what authorises linking them.
 */
export async function createCase(db: Db | Tx, cipher: FieldCipher, actor: Actor, input: NewCase, origin?: { referralId: string }, clientId?: string): Promise<{ id: string; folio: string }> {
  requireCapability(actor, 'cases.write');
  if (input.programme === 'victim_assistance' && !input.participants.some((p) => p.role === 'direct_victim')) throw new AppError('direct_victim_required');
  const personIds = input.participants.map((p) => p.person_id);
  if (new Set(personIds).size !== personIds.length) throw new AppError('validation_failed');
  // Without `cases.assign` a new case is one's own: assigned to oneself, whatever was asked.
  const mayAssign = can(actor, 'cases.assign');
  const assignedTo = input.assigned_to === undefined ? (mayAssign ? null : actor.userId) : input.assigned_to;
  if (!mayAssign && assignedTo !== actor.userId) throw forbidden();

  // Checks first (reads), then one statement that numbers the folio, inserts the case, its
  // participants and first event, and appends the audit entry: atomic on its own, one round trip, and
  // the folio counter and audit chain are locked only until it commits. The id is made here so that
  // the audit entry can name it.
  // A caseworker assigning to themselves is a member by definition of the actor.
  if (assignedTo !== actor.userId) await checkAssignee(db, actor.institutionId, assignedTo);
  if (!origin) await checkParticipants(db, actor, input.opened_on, personIds);
  if (input.through_consulate_id) await checkConsulate(db, input.through_consulate_id);

  const id = clientId ?? randomUUID();
  const year = Number(input.opened_on.slice(0, 4));
  const participants = input.participants;
  const eventData = { programme: input.programme, participants: participants.length, ...(origin ? { referral_id: origin.referralId } : {}) };
  const audit = auditAppendCall({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'case.created', recordType: 'case', recordId: id, ip: actor.ip, detail: { participants: personIds } });
  const { rows } = await sql<{ id: string; folio: string }>`
    with counter as (
      insert into case_folio_counters (institution_id, year, last_number) values (${actor.institutionId}, ${year}, 1)
      on conflict (institution_id, year) do update set last_number = case_folio_counters.last_number + 1
      returning last_number
    ), created as (
      insert into cases (id, institution_id, folio, programme, status, opened_on, assigned_to, summary_enc, crime_types, rights_violations, origin_referral_id, through_consulate_id, created_by)
      select ${id}::uuid, ${actor.institutionId}::uuid,
             (select code from institutions where id = ${actor.institutionId}) || '-' || ${String(year)} || '-' || lpad(counter.last_number::text, 6, '0'),
             ${input.programme}, 'open', ${input.opened_on}::date, ${assignedTo}::uuid, ${input.summary ? cipher.encryptText(input.summary) : null},
             ${input.crime_types}::text[], ${input.rights_violations}::text[], ${origin?.referralId ?? null}::uuid, ${input.through_consulate_id ?? null}::uuid, ${actor.userId}::uuid
      from counter
      returning id, institution_id, folio
    ), people as (
      insert into case_participants (institution_id, case_id, person_id, role, relationship)
      select created.institution_id, created.id, p.person_id, p.role, p.relationship
      from created, unnest(${participants.map((p) => p.person_id)}::uuid[], ${participants.map((p) => p.role)}::text[], ${participants.map((p) => p.relationship ?? null)}::text[]) as p(person_id, role, relationship)
    ), opened as (
      insert into case_events (institution_id, case_id, actor_user_id, kind, data)
      select created.institution_id, created.id, ${actor.userId}, 'case.opened', ${JSON.stringify(eventData)}::jsonb from created
    )
    select created.id, created.folio, ${audit} from created`.execute(db);
  const row = rows[0]!;
  return { id: row.id, folio: row.folio };
}

/** Beyond this many matching cases the list says "more than" instead of counting them all. */
export const COUNT_CAP = 10_000;

export async function listCases(db: Db, actor: Actor, query: CaseListQuery) {
  requireCapability(actor, 'cases.read');
  let base = db.selectFrom('cases').where(ownCaseCondition(actor));
  if (query.status) base = base.where('cases.status', '=', query.status);
  if (query.programme) base = base.where('cases.programme', '=', query.programme);
  if (query.assigned === 'me') base = base.where('cases.assigned_to', '=', actor.userId);
  if (query.assigned === 'unassigned') base = base.where('cases.assigned_to', 'is', null);
  if (query.opened_from) base = base.where('cases.opened_on', '>=', query.opened_from);
  if (query.opened_to) base = base.where('cases.opened_on', '<=', query.opened_to);
  if (query.folio) base = base.where('cases.folio', 'ilike', `%${query.folio.replace(/[%_\\]/g, '\\$&')}%`);
  if (query.name) {
    const people = await searchPersons(db, actor.institutionId, { text: query.name, date_of_birth: null, sex: null, nationalities: null }, { limit: NAME_FILTER_PEOPLE });
    const best = people[0]?.result.probability ?? 0;
    const ids = people.filter((hit) => hit.result.probability >= best * NAME_FILTER_RELATIVE_PROBABILITY).map((hit) => hit.person.id);
    base = base.where('cases.id', 'in', (eb) => eb.selectFrom('case_participants').select('case_participants.case_id').where(sql<boolean>`case_participants.person_id = any(${ids}::uuid[])`));
  }

  const [rows, count] = await Promise.all([
    base
      .leftJoin('users', 'users.id', 'cases.assigned_to')
      .select(['cases.id', 'cases.folio', 'cases.programme', 'cases.status', 'cases.opened_on', 'cases.closed_on', 'cases.assigned_to', 'users.display_name as assigned_name'])
      .select((eb) => eb.selectFrom('case_participants').select(eb.fn.countAll<number>().as('n')).whereRef('case_participants.case_id', '=', 'cases.id').as('participant_count'))
      .orderBy('cases.opened_on', 'desc')
      .orderBy('cases.id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    // Counting stops past COUNT_CAP: an institution with 150,000 cases does not need them counted on
    // every page view (bench/intake: the count was most of a large supervisor list's time).
    db.selectFrom(base.select(sql<number>`1`.as('one')).limit(COUNT_CAP + 1).as('capped')).select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const participants = await listParticipantNames(db, rows.map((r) => r.id));
  const items = rows.map((r) => ({
    id: r.id,
    folio: r.folio,
    programme: r.programme,
    status: r.status,
    opened_on: r.opened_on,
    closed_on: r.closed_on,
    assigned_to: r.assigned_to ? { id: r.assigned_to, display_name: r.assigned_name ?? '' } : null,
    participant_count: Number(r.participant_count ?? 0),
    participants: participants.get(r.id) ?? [],
  }));
  await appendAudit(db, {
    institutionId: actor.institutionId,
    actorUserId: actor.userId,
    action: 'case.listed',
    recordType: 'case',
    ip: actor.ip,
    detail: { record_ids: items.map((i) => i.id), person_ids: items.flatMap((i) => i.participants.map((p) => p.person_id)), name_filter: Boolean(query.name) },
  });
  const total = Number(count.total);
  return { items, total: Math.min(total, COUNT_CAP), total_is_lower_bound: total > COUNT_CAP, limit: query.limit, offset: query.offset };
}

/** How many people a name filter takes from the engine, and how likely each must be. */
const NAME_FILTER_PEOPLE = 50;
/**
 * The name filter keeps the people who could be the one named: a hit's probability is shared among
 * namesakes (docs/search.md), so the cut is relative to the best hit, not absolute.
 */
const NAME_FILTER_RELATIVE_PROBABILITY = 0.2;
const PARTICIPANTS_SHOWN = 3;
const roleOrder = sql<number>`case case_participants.role when 'direct_victim' then 0 when 'indirect_victim' then 1 else 2 end`;

/** The first participants of each case (direct victims first), with their names as recorded. */
async function listParticipantNames(db: Db, caseIds: string[]): Promise<Map<string, { person_id: string; name: string; role: string }[]>> {
  const out = new Map<string, { person_id: string; name: string; role: string }[]>();
  if (!caseIds.length) return out;
  const rows = await db
    .selectFrom('case_participants')
    .innerJoin('people', 'people.id', 'case_participants.person_id')
    .select(['case_participants.case_id', 'case_participants.person_id', 'case_participants.role', 'people.given_names', 'people.surname1', 'people.surname2'])
    .where(sql<boolean>`case_participants.case_id = any(${caseIds}::uuid[])`)
    .orderBy('case_participants.case_id')
    .orderBy(roleOrder)
    .orderBy('case_participants.created_at')
    .execute();
  for (const r of rows) {
    const list = out.get(r.case_id) ?? [];
    if (list.length < PARTICIPANTS_SHOWN) list.push({ person_id: r.person_id, name: fullName(r), role: r.role });
    out.set(r.case_id, list);
  }
  return out;
}

type Access = { mode: 'full' | 'shared'; sections: string[]; canEdit: boolean; row: { id: string; institution_id: string; status: CaseStatus; opened_on: string; assigned_to: string | null } };

/** Resolves what the actor may do with a case; 404 (and an audit entry) when it may not see it at all. */
export async function caseAccess(db: Db | Tx, actor: Actor, caseId: string, options: { forUpdate?: boolean } = {}): Promise<Access> {
  requireCapability(actor, 'cases.read');
  let own = db.selectFrom('cases').select(['id', 'institution_id', 'status', 'opened_on', 'assigned_to']).where('id', '=', caseId).where(ownCaseCondition(actor));
  if (options.forUpdate) own = own.forUpdate();
  const row = await own.executeTakeFirst();
  if (row) return { mode: 'full', sections: ['participants', 'services', 'notes', 'attachments', 'summary'], canEdit: can(actor, 'cases.write'), row };
  const shared = await db
    .selectFrom('referrals')
    .innerJoin('cases', 'cases.id', 'referrals.case_id')
    .select(['cases.id', 'cases.institution_id', 'cases.status', 'cases.opened_on', 'cases.assigned_to', 'referrals.shared_sections'])
    .where('referrals.case_id', '=', caseId)
    .where(receivedReferralCondition(actor))
    .execute();
  if (shared.length) {
    const sections = [...new Set(shared.flatMap((s) => s.shared_sections))];
    const { shared_sections: _omit, ...first } = shared[0]!;
    return { mode: 'shared', sections, canEdit: false, row: first };
  }
  throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'case.access_denied', recordType: 'case', recordId: caseId, ip: actor.ip });
}

function requireEditable(access: Access) {
  if (!access.canEdit) throw notFound();
}

export async function getCase(db: Db, cipher: FieldCipher, actor: Actor, caseId: string): Promise<CaseView> {
  const access = await caseAccess(db, actor, caseId);
  const show = (section: string) => access.sections.includes(section);
  const row = await db
    .selectFrom('cases')
    .innerJoin('institutions', 'institutions.id', 'cases.institution_id')
    .leftJoin('users', 'users.id', 'cases.assigned_to')
    .leftJoin('institutions as consulate', 'consulate.id', 'cases.through_consulate_id')
    .selectAll('cases')
    .select(['institutions.name as institution_name', 'institutions.code as institution_code', 'users.display_name as assigned_name', 'consulate.name as consulate_name', 'consulate.code as consulate_code'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();

  const [participants, services, notes, attachments, referrals, timeline] = await Promise.all([
    show('participants')
      ? db
          .selectFrom('case_participants')
          .innerJoin('people', 'people.id', 'case_participants.person_id')
          .select(['case_participants.id', 'case_participants.role', 'case_participants.relationship', 'people.id as person_id', 'people.given_names', 'people.surname1', 'people.surname2', 'people.sex', 'people.date_of_birth', 'people.estimated_age', 'people.nationalities'])
          .where('case_participants.case_id', '=', caseId)
          .orderBy('case_participants.created_at')
          .execute()
      : [],
    show('services') ? db.selectFrom('services').selectAll().where('case_id', '=', caseId).orderBy('provided_on').orderBy('created_at').execute() : [],
    show('notes') ? db.selectFrom('case_notes').leftJoin('users', 'users.id', 'case_notes.author_id').select(['case_notes.id', 'case_notes.body_enc', 'case_notes.author_id', 'users.display_name', 'case_notes.created_at']).where('case_id', '=', caseId).orderBy('case_notes.created_at').execute() : [],
    show('attachments') ? db.selectFrom('attachments').select(['id', 'filename_enc', 'media_type', 'size_bytes', 'sha256', 'created_at']).where('case_id', '=', caseId).orderBy('created_at').execute() : [],
    access.mode === 'full' ? referralQuery(db).where('referrals.case_id', '=', caseId).orderBy('referrals.created_at').execute() : [],
    access.mode === 'full'
      ? db.selectFrom('case_events').leftJoin('users', 'users.id', 'case_events.actor_user_id').select(['case_events.at', 'case_events.kind', 'case_events.actor_user_id', 'users.display_name', 'case_events.data']).where('case_id', '=', caseId).orderBy('case_events.id').execute()
      : [],
  ]);

  await appendAudit(db, { institutionId: row.institution_id, actorUserId: actor.userId, action: access.mode === 'full' ? 'case.read' : 'case.read_shared', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { by_institution: actor.institutionId } });

  const read = new FieldReader(cipher, 'case');
  return {
    id: row.id,
    institution: { id: row.institution_id, name: row.institution_name, code: row.institution_code },
    folio: row.folio,
    programme: row.programme,
    status: row.status,
    closure_reason: row.closure_reason,
    opened_on: row.opened_on,
    closed_on: row.closed_on,
    assigned_to: row.assigned_to ? { id: row.assigned_to, display_name: row.assigned_name ?? '' } : null,
    summary: show('summary') ? read.text(row.summary_enc, 'summary') : null,
    crime_types: row.crime_types,
    rights_violations: row.rights_violations,
    origin_referral_id: row.origin_referral_id,
    through_consulate: row.through_consulate_id ? { id: row.through_consulate_id, name: row.consulate_name ?? '', code: row.consulate_code ?? '' } : null,
    view: access.mode,
    shared_sections: access.sections,
    can_edit: access.canEdit,
    participants: participants.map((p) => ({
      id: p.id,
      role: p.role,
      relationship: p.relationship,
      person: { id: p.person_id, given_names: p.given_names, surname1: p.surname1, surname2: p.surname2, sex: p.sex, date_of_birth: p.date_of_birth, estimated_age: p.estimated_age, nationalities: p.nationalities.map((n) => n.trim()) },
    })),
    services: services.map((s) => ({ id: s.id, person_id: s.person_id, service_type: s.service_type, provided_on: s.provided_on, provider_unit: s.provider_unit, notes: read.text(s.notes_enc, `services.${s.id}.notes`), created_at: s.created_at })),
    notes: notes.map((n) => ({ id: n.id, body: read.text(n.body_enc, `notes.${n.id}.body`), author: n.author_id ? { id: n.author_id, display_name: n.display_name ?? '' } : null, created_at: n.created_at })),
    attachments: attachments.map((a) => ({ id: a.id, filename: read.text(a.filename_enc, `attachments.${a.id}.filename`), media_type: a.media_type, size_bytes: a.size_bytes, sha256: a.sha256, created_at: a.created_at })),
    referrals: referrals.map(referralRowToView),
    timeline: timeline.map((e) => ({ at: e.at, kind: e.kind, actor: e.actor_user_id ? { id: e.actor_user_id, display_name: e.display_name ?? '' } : null, data: e.data })),
    created_at: row.created_at,
    updated_at: row.updated_at,
    unreadable_fields: read.unreadable,
  };
}

const transitions: Record<CaseStatus, CaseStatus[]> = {
  open: ['in_progress', 'closed'],
  in_progress: ['closed'],
  reopened: ['in_progress', 'closed'],
  closed: ['reopened'],
};

export async function updateCase(db: Db | Tx, cipher: FieldCipher, actor: Actor, caseId: string, patch: CasePatch): Promise<void> {
  await inTransaction(db, async (trx) => {
    const access = await caseAccess(trx, actor, caseId, { forUpdate: true });
    requireEditable(access);
    const current = access.row;
    const changes: Record<string, unknown> = {};
    const event: Record<string, unknown> = {};

    if (patch.status && patch.status !== current.status) {
      if (!transitions[current.status].includes(patch.status)) throw new AppError('invalid_status_transition', { from: current.status, to: patch.status });
      if (patch.status === 'closed' || patch.status === 'reopened') requireCapability(actor, 'cases.close');
      if (patch.status === 'closed') {
        if (!patch.closure_reason) throw new AppError('closure_reason_required');
        const closedOn = patch.closed_on ?? localDate();
        if (closedOn < current.opened_on) throw new AppError('date_before_case_opened');
        Object.assign(changes, { status: 'closed', closure_reason: patch.closure_reason, closed_on: closedOn });
        Object.assign(event, { status: 'closed', closure_reason: patch.closure_reason });
      } else {
        Object.assign(changes, { status: patch.status, closure_reason: null, closed_on: null });
        event.status = patch.status;
      }
    } else if (patch.closure_reason || patch.closed_on) {
      throw new AppError('invalid_status_transition', { from: current.status, to: current.status });
    }
    if (patch.assigned_to !== undefined && patch.assigned_to !== current.assigned_to) {
      requireCapability(actor, 'cases.assign');
      await checkAssignee(trx, current.institution_id, patch.assigned_to);
      changes.assigned_to = patch.assigned_to;
      event.assigned_to = patch.assigned_to;
    }
    if (patch.summary !== undefined) {
      changes.summary_enc = patch.summary ? cipher.encryptText(patch.summary) : null;
      event.summary = 'changed';
    }
    if (patch.crime_types) changes.crime_types = event.crime_types = patch.crime_types;
    if (patch.rights_violations) changes.rights_violations = event.rights_violations = patch.rights_violations;
    if (Object.keys(changes).length === 0) return;

    await trx.updateTable('cases').set({ ...changes, updated_at: new Date() }).where('id', '=', caseId).execute();
    await recordEvent(trx, actor, current, 'case.updated', event);
    await appendAudit(trx, { institutionId: current.institution_id, actorUserId: actor.userId, action: 'case.updated', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { fields: Object.keys(patch) } });
  });
}

export async function addParticipant(db: Db, actor: Actor, caseId: string, input: { person_id: string; role: NewCase['participants'][number]['role']; relationship?: string | undefined }) {
  return db.transaction().execute(async (trx) => {
    const access = await caseAccess(trx, actor, caseId, { forUpdate: true });
    requireEditable(access);
    await checkParticipants(trx, actor, access.row.opened_on, [input.person_id]);
    const existing = await trx.selectFrom('case_participants').select('id').where('case_id', '=', caseId).where('person_id', '=', input.person_id).executeTakeFirst();
    if (existing) throw new AppError('conflict');
    const row = await trx
      .insertInto('case_participants')
      .values({ institution_id: access.row.institution_id, case_id: caseId, person_id: input.person_id, role: input.role, relationship: input.relationship ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, actor, access.row, 'participant.added', { person_id: input.person_id, role: input.role });
    await appendAudit(trx, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'case.participant_added', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { person_id: input.person_id } });
    return row;
  });
}

/** `id`: chosen by a device that recorded the service offline (src/offline), else by the database. */
export async function addService(db: Db | Tx, cipher: FieldCipher, actor: Actor, caseId: string, input: { person_id: string; service_type: string; provided_on: string; provider_unit?: string | undefined; notes?: string | undefined }, id?: string) {
  return inTransaction(db, async (trx) => {
    const access = await caseAccess(trx, actor, caseId);
    requireEditable(access);
    if (input.provided_on < access.row.opened_on) throw new AppError('date_before_case_opened');
    const participant = await trx.selectFrom('case_participants').select('id').where('case_id', '=', caseId).where('person_id', '=', input.person_id).executeTakeFirst();
    if (!participant) throw new AppError('participant_not_in_case');
    const row = await trx
      .insertInto('services')
      .values({
        ...(id ? { id } : {}),
        institution_id: access.row.institution_id,
        case_id: caseId,
        person_id: input.person_id,
        service_type: input.service_type,
        provided_on: input.provided_on,
        provider_unit: input.provider_unit ?? null,
        notes_enc: input.notes ? cipher.encryptText(input.notes) : null,
        created_by: actor.userId,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    if (access.row.status === 'open') await trx.updateTable('cases').set({ status: 'in_progress', updated_at: new Date() }).where('id', '=', caseId).execute();
    await recordEvent(trx, actor, access.row, 'service.recorded', { service_id: row.id, service_type: input.service_type, provided_on: input.provided_on });
    await appendAudit(trx, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'case.service_added', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { service_id: row.id, person_id: input.person_id } });
    return row;
  });
}

/**
 * Corrects a service (type, date, unit, notes) with the same rules as recording one; the timeline keeps
 * what changed, and the statistics follow (triggers on services).
 */
export async function updateService(db: Db, cipher: FieldCipher, actor: Actor, caseId: string, serviceId: string, patch: ServicePatch) {
  return db.transaction().execute(async (trx) => {
    const access = await caseAccess(trx, actor, caseId);
    requireEditable(access);
    const current = await trx.selectFrom('services').select(['id', 'service_type', 'provided_on', 'provider_unit']).where('id', '=', serviceId).where('case_id', '=', caseId).forUpdate().executeTakeFirst();
    if (!current) throw notFound();
    if (patch.provided_on && patch.provided_on < access.row.opened_on) throw badRequest('date_before_case_opened');
    const changes: Record<string, unknown> = {};
    if (patch.service_type !== undefined) changes.service_type = patch.service_type;
    if (patch.provided_on !== undefined) changes.provided_on = patch.provided_on;
    if (patch.provider_unit !== undefined) changes.provider_unit = patch.provider_unit;
    if (patch.notes !== undefined) changes.notes_enc = patch.notes ? cipher.encryptText(patch.notes) : null;
    if (!Object.keys(changes).length) return;
    await trx.updateTable('services').set(changes).where('id', '=', serviceId).execute();
    const fields = Object.keys(patch).filter((k) => patch[k as keyof ServicePatch] !== undefined);
    // Dates and types are not personal data; the notes' content stays out of the timeline and the audit.
    await recordEvent(trx, actor, access.row, 'service.corrected', { service_id: serviceId, fields, from: { service_type: current.service_type, provided_on: current.provided_on }, to: { service_type: patch.service_type ?? current.service_type, provided_on: patch.provided_on ?? current.provided_on } });
    await appendAudit(trx, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'case.service_corrected', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { service_id: serviceId, fields } });
  });
}

export async function addNote(db: Db | Tx, cipher: FieldCipher, actor: Actor, caseId: string, body: string, id?: string) {
  return inTransaction(db, async (trx) => {
    const access = await caseAccess(trx, actor, caseId);
    requireEditable(access);
    const row = await trx.insertInto('case_notes').values({ ...(id ? { id } : {}), institution_id: access.row.institution_id, case_id: caseId, body_enc: cipher.encryptText(body), author_id: actor.userId }).returning('id').executeTakeFirstOrThrow();
    await recordEvent(trx, actor, access.row, 'note.added', { note_id: row.id });
    await appendAudit(trx, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'case.note_added', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { note_id: row.id } });
    return row;
  });
}

/** A supervisor opens a case of the institution to one of its caseworkers. */
export async function grantCaseAccess(db: Db, actor: Actor, caseId: string, userId: string) {
  requireCapability(actor, 'cases.assign');
  await db.transaction().execute(async (trx) => {
    const access = await caseAccess(trx, actor, caseId);
    requireEditable(access);
    await checkAssignee(trx, access.row.institution_id, userId);
    await trx.insertInto('case_access').values({ case_id: caseId, institution_id: access.row.institution_id, user_id: userId, granted_by: actor.userId }).onConflict((oc) => oc.doNothing()).execute();
    await recordEvent(trx, actor, access.row, 'access.granted', { user_id: userId });
    await appendAudit(trx, { institutionId: access.row.institution_id, actorUserId: actor.userId, action: 'case.access_granted', recordType: 'case', recordId: caseId, ip: actor.ip, detail: { user_id: userId } });
  });
}

export function referralQuery(db: Db | Tx) {
  return db
    .selectFrom('referrals')
    .innerJoin('cases', 'cases.id', 'referrals.case_id')
    .innerJoin('institutions as source', 'source.id', 'referrals.institution_id')
    .innerJoin('institutions as target', 'target.id', 'referrals.to_institution_id')
    .selectAll('referrals')
    .select(['cases.folio as case_folio', 'source.name as from_name', 'target.name as to_name']);
}

export function referralRowToView(r: Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>) {
  return {
    id: r.id,
    case_id: r.case_id,
    case_folio: r.case_folio,
    from_institution: { id: r.institution_id, name: r.from_name },
    to_institution: { id: r.to_institution_id, name: r.to_name },
    reason: r.reason,
    consent_recorded_on: r.consent_recorded_on,
    consent_method: r.consent_method,
    shared_sections: r.shared_sections,
    status: r.status,
    response_note: r.response_note,
    responded_at: r.responded_at,
    receiving_case_id: r.receiving_case_id,
    created_at: r.created_at,
  };
}

export type CaseFindItem = { id: string; folio: string; programme: string; status: string; opened_on: string; participants: { person_id: string; name: string; role: string }[] };

/**
 * For the search box: the visible cases with this folio (exact, any case) and the visible cases of
 * these people, newest first. Not audited here: the caller audits what it shows.
 */
export async function findCases(db: Db, actor: Actor, input: { folios: string[]; personIds: string[]; limit: number }): Promise<CaseFindItem[]> {
  if (!can(actor, 'cases.read') || (!input.folios.length && !input.personIds.length)) return [];
  const rows = await db
    .selectFrom('cases')
    .select(['cases.id', 'cases.folio', 'cases.programme', 'cases.status', 'cases.opened_on'])
    .where(ownCaseCondition(actor))
    // One id list from both lookups (folio index, participants' person index): an OR across them would
    // make PostgreSQL walk the institution's cases by date instead (seconds at a million cases).
    .where(
      sql<boolean>`cases.id in (
        select c.id from cases c where c.institution_id = ${actor.institutionId} and c.folio = any(${input.folios.map((f) => f.toUpperCase())}::text[])
        union all
        select cp.case_id from case_participants cp where cp.person_id = any(${input.personIds}::uuid[]) and cp.institution_id = ${actor.institutionId})`,
    )
    .orderBy('cases.opened_on', 'desc')
    .limit(input.limit)
    .execute();
  const participants = await listParticipantNames(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, participants: participants.get(r.id) ?? [] }));
}
