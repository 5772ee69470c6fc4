import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { isoDaysAfter, localDate } from '../platform/dates.ts';
import { personVisibleTo } from '../people/person.policy.ts';
import { eventVisibleTo, mayChangeEvent, mayRecordAttendees } from './outreach.policy.ts';
import type { EventPatch, EventSummary, EventView, NewEvent } from './outreach.schema.ts';
import { fieldsOf } from '../platform/fields.ts';
import { fullName } from '../platform/names.ts';

/**
 * Outreach events: what a consulate or another unit records of its talks, workshops, fairs and mobile
 * consulates, with the attendance counted by sex and age band, and optionally the people it wants to
 * follow up. Events belong to the institution that held them (src/outreach/outreach.policy.ts); the
 * statistics count them from these tables (src/statistics/indicators.ts), and so does the seed
 * scenario, which records its events through `recordOutreachEvent` like the HTTP route.
 */

type Place = { country: string; state_code?: string | null | undefined; municipality_code?: string | null | undefined; city?: string | null | undefined };
type Attendance = NewEvent['attendance'];

/** An event in Mexico is placed by state (and municipality); abroad (a consulate's), by city. */
function checkPlace(place: Place): void {
  const mexico = place.country === 'MEX';
  if (mexico && !place.state_code) throw new AppError('outreach_place_invalid');
  if (!mexico && (place.state_code || place.municipality_code || !place.city)) throw new AppError('outreach_place_invalid');
  if (place.municipality_code && place.municipality_code.slice(0, 2) !== place.state_code) throw new AppError('outreach_place_invalid');
}

/** Dates from 2000 to a year ahead; attendance only for an event that has taken place. */
function checkDate(heldOn: string, attendance: Attendance): void {
  const today = localDate();
  if (heldOn < '2000-01-01' || heldOn > isoDaysAfter(today, 366)) throw new AppError('outreach_date_out_of_range');
  if (attendance.length && heldOn > today) throw new AppError('outreach_attendance_before_event');
}

function checkAttendance(attendance: Attendance): void {
  const seen = new Set<string>();
  for (const cell of attendance) {
    const key = `${cell.sex}|${cell.age_band}`;
    if (seen.has(key)) throw new AppError('outreach_attendance_repeated', { sex: cell.sex, age_band: cell.age_band });
    seen.add(key);
  }
}

const refused = (actor: Actor, eventId: string) =>
  new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'outreach.access_denied', recordType: 'outreach_event', recordId: eventId, ip: actor.ip });

/** The event, if the actor's institution holds it and it is not deleted; 404 (audited) otherwise. */
async function visibleEvent(db: Db | Tx, actor: Actor, eventId: string, forUpdate = false) {
  requireCapability(actor, 'outreach.record');
  let query = db.selectFrom('outreach_events').selectAll().where('id', '=', eventId).where(eventVisibleTo(actor));
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw refused(actor, eventId);
  return row;
}

async function changeableEvent(trx: Tx, actor: Actor, eventId: string) {
  const row = await visibleEvent(trx, actor, eventId, true);
  if (!mayChangeEvent(actor, row)) throw new AppError('outreach_not_author');
  return row;
}

/**
 * Records an event of the actor's institution with its attendance: one transaction with the audit
 * entry. The HTTP route and the seed scenario both call this.
 */
export async function recordOutreachEvent(db: Db, actor: Actor, input: NewEvent): Promise<{ id: string }> {
  requireCapability(actor, 'outreach.record');
  checkPlace(input);
  checkDate(input.held_on, input.attendance);
  checkAttendance(input.attendance);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('outreach_events')
      .values({
        institution_id: actor.institutionId,
        ...fieldsOf(input, ['title', 'kind', 'topic', 'programme', 'held_on', 'country', 'state_code', 'municipality_code', 'city', 'venue']),
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAttendance(trx, row.id, actor.institutionId, input.attendance);
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'outreach.event_recorded', recordType: 'outreach_event', recordId: row.id, ip: actor.ip, detail: { attendees: attendanceTotal(input.attendance) } });
    return row;
  });
}

async function writeAttendance(trx: Tx, eventId: string, institutionId: string, attendance: Attendance): Promise<void> {
  await trx.deleteFrom('outreach_attendance').where('event_id', '=', eventId).execute();
  if (attendance.length) await trx.insertInto('outreach_attendance').values(attendance.map((c) => ({ event_id: eventId, institution_id: institutionId, ...c }))).execute();
}

const attendanceTotal = (attendance: Attendance) => attendance.reduce((n, c) => n + c.attendees, 0);

/**
 * Corrects an event (its author, or a supervisor of the institution): the fields sent change, and
 * `attendance`, when sent, replaces the whole attendance. The audit keeps which fields changed and the
 * attendance before and after (counts, nobody named).
 */
export async function correctOutreachEvent(db: Db, actor: Actor, eventId: string, patch: EventPatch): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await changeableEvent(trx, actor, eventId);
    const place = {
      country: patch.country ?? current.country,
      state_code: patch.state_code !== undefined ? patch.state_code : current.state_code,
      municipality_code: patch.municipality_code !== undefined ? patch.municipality_code : current.municipality_code,
      city: patch.city !== undefined ? patch.city : current.city,
    };
    // A move abroad clears the state, and a move to Mexico the city, unless the correction sets them.
    if (patch.country && patch.country !== current.country) {
      if (patch.country === 'MEX' && patch.city === undefined) place.city = null;
      if (patch.country !== 'MEX' && patch.state_code === undefined) [place.state_code, place.municipality_code] = [null, null];
    }
    checkPlace(place);
    const before = await attendanceOf(trx, eventId);
    const attendance = patch.attendance ?? before;
    checkDate(patch.held_on ?? current.held_on, attendance);
    checkAttendance(attendance);
    const { attendance: _replaced, ...fields } = patch;
    const changed = Object.keys(patch).filter((k) => patch[k as keyof EventPatch] !== undefined);
    if (!changed.length) return;
    await trx
      .updateTable('outreach_events')
      .set({ ...fields, ...place, updated_by: actor.userId, updated_at: new Date() })
      .where('id', '=', eventId)
      .execute();
    if (patch.attendance) await writeAttendance(trx, eventId, current.institution_id, patch.attendance);
    await appendAudit(trx, {
      institutionId: current.institution_id,
      actorUserId: actor.userId,
      action: 'outreach.event_corrected',
      recordType: 'outreach_event',
      recordId: eventId,
      ip: actor.ip,
      detail: { fields: changed, ...(patch.attendance ? { attendees_before: attendanceTotal(before), attendees_after: attendanceTotal(patch.attendance) } : {}) },
    });
  });
}

/** Deletes an event with its reason: it stays recorded (who, when, why) and leaves lists and statistics. */
export async function deleteOutreachEvent(db: Db, actor: Actor, eventId: string, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await changeableEvent(trx, actor, eventId);
    await trx.updateTable('outreach_events').set({ deleted_at: new Date(), deleted_by: actor.userId, deletion_reason: reason }).where('id', '=', eventId).execute();
    await appendAudit(trx, { institutionId: current.institution_id, actorUserId: actor.userId, action: 'outreach.event_deleted', recordType: 'outreach_event', recordId: eventId, ip: actor.ip, detail: { held_on: current.held_on } });
  });
}

async function attendanceOf(db: Db | Tx, eventId: string): Promise<Attendance> {
  return db.selectFrom('outreach_attendance').select(['sex', 'age_band', 'attendees']).where('event_id', '=', eventId).orderBy('sex').orderBy('age_band').execute();
}

const summaryColumns = ['e.id', 'e.title', 'e.kind', 'e.topic', 'e.programme', 'e.held_on', 'e.country', 'e.state_code', 'e.municipality_code', 'e.city', 'e.venue'] as const;
const attendeesTotal = sql<number>`coalesce((select sum(a.attendees) from outreach_attendance a where a.event_id = e.id), 0)::int`;

function summaryOf(row: { id: string; title: string; kind: string; topic: string; programme: string; held_on: string; country: string; state_code: string | null; municipality_code: string | null; city: string | null; venue: string | null; attendees_total: number }): EventSummary {
  return { ...row, held_on: String(row.held_on), attendees_total: Number(row.attendees_total) };
}

/** The institution's events, newest first, with their attendance totals. */
export async function listOutreachEvents(db: Db, actor: Actor, query: { from?: string | undefined; to?: string | undefined; kind?: string | undefined; topic?: string | undefined; limit: number; offset: number }) {
  requireCapability(actor, 'outreach.record');
  if (query.from && query.to && query.from > query.to) throw new AppError('outreach_date_out_of_range');
  const base = db
    .selectFrom('outreach_events as e')
    .where('e.institution_id', '=', actor.institutionId)
    .where('e.deleted_at', 'is', null)
    .$if(Boolean(query.from), (q) => q.where('e.held_on', '>=', query.from!))
    .$if(Boolean(query.to), (q) => q.where('e.held_on', '<=', query.to!))
    .$if(Boolean(query.kind), (q) => q.where('e.kind', '=', query.kind!))
    .$if(Boolean(query.topic), (q) => q.where('e.topic', '=', query.topic!));
  const [rows, count] = await Promise.all([
    base.select([...summaryColumns, attendeesTotal.as('attendees_total')]).orderBy('e.held_on', 'desc').orderBy('e.created_at', 'desc').limit(query.limit).offset(query.offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(summaryOf), total: Number(count.n), limit: query.limit, offset: query.offset };
}

/** One event with its attendance; the people who attended only for those who may read people (audited). */
export async function getOutreachEvent(db: Db, actor: Actor, eventId: string): Promise<EventView> {
  const row = await visibleEvent(db, actor, eventId);
  const [attendance, institution, author] = await Promise.all([
    attendanceOf(db, eventId),
    db.selectFrom('institutions').select(['id', 'name']).where('id', '=', row.institution_id).executeTakeFirstOrThrow(),
    row.created_by ? db.selectFrom('users').select('display_name').where('id', '=', row.created_by).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  let attendees: EventView['attendees'];
  if (mayRecordAttendees(actor)) {
    const people = await db
      .selectFrom('outreach_attendees as a')
      .innerJoin('people', 'people.id', 'a.person_id')
      .select(['a.person_id', 'a.added_at', 'people.given_names', 'people.surname1', 'people.surname2'])
      .where('a.event_id', '=', eventId)
      .orderBy('a.added_at')
      .execute();
    attendees = people.map((p) => ({ person_id: p.person_id, name: fullName(p), added_at: p.added_at.toISOString() }));
    if (attendees.length) await appendAudit(db, { institutionId: row.institution_id, actorUserId: actor.userId, action: 'outreach.attendees_read', recordType: 'outreach_event', recordId: eventId, ip: actor.ip, detail: { people: attendees.length } });
  }
  return {
    ...summaryOf({ ...row, attendees_total: attendanceTotal(attendance) }),
    institution: { id: institution.id, name: institution.name },
    attendance,
    ...(attendees ? { attendees } : {}),
    created_by: author?.display_name ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    can_edit: mayChangeEvent(actor, row),
  };
}

/** Records that a person the actor may see attended, for follow-up. */
export async function addOutreachAttendee(db: Db, actor: Actor, eventId: string, personId: string): Promise<void> {
  requireCapability(actor, 'people.read');
  await db.transaction().execute(async (trx) => {
    const event = await visibleEvent(trx, actor, eventId, true);
    if (event.held_on > localDate()) throw new AppError('outreach_attendance_before_event');
    const person = await trx.selectFrom('people').select('id').where('id', '=', personId).where('merged_into', 'is', null).where(personVisibleTo(actor)).executeTakeFirst();
    if (!person) throw new AppError('person_not_visible');
    const added = await trx.insertInto('outreach_attendees').values({ event_id: eventId, person_id: personId, institution_id: event.institution_id, added_by: actor.userId }).onConflict((oc) => oc.doNothing()).returning('event_id').executeTakeFirst();
    if (!added) throw new AppError('outreach_attendee_exists');
    await appendAudit(trx, { institutionId: event.institution_id, actorUserId: actor.userId, action: 'outreach.attendee_added', recordType: 'outreach_event', recordId: eventId, ip: actor.ip, detail: { person_id: personId } });
  });
}

export async function removeOutreachAttendee(db: Db, actor: Actor, eventId: string, personId: string): Promise<void> {
  requireCapability(actor, 'people.read');
  await db.transaction().execute(async (trx) => {
    const event = await visibleEvent(trx, actor, eventId, true);
    const removed = await trx.deleteFrom('outreach_attendees').where('event_id', '=', eventId).where('person_id', '=', personId).returning('person_id').executeTakeFirst();
    if (!removed) throw new AppError('not_found');
    await appendAudit(trx, { institutionId: event.institution_id, actorUserId: actor.userId, action: 'outreach.attendee_removed', recordType: 'outreach_event', recordId: eventId, ip: actor.ip, detail: { person_id: personId } });
  });
}
