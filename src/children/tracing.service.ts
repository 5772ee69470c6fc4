import { sql, type SqlBool } from 'kysely';
import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { FieldReader } from '../platform/crypto/unreadable.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError, RecordNotVisible } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { ageOn, localDate } from '../platform/dates.ts';
import { ownCaseCondition } from '../cases/case.policy.ts';
import { createScorer, prepareQuery, scoreRecord, type MatchQuery, type PersonRecord } from '../search/model.ts';
import { inWords } from '../missing/evidence.ts';
import { open, pageOf, seal } from './file-access.ts';
import type { z } from 'zod';
import type { TracingChannel } from '../platform/db/children-tables.ts';
import type { tracingMatchQuery, tracingRequestInput, tracingRequestQuery, tracingReviewInput } from './children.schema.ts';
import { fullName } from '../platform/names.ts';

/**
 * Family tracing (Inter-agency Guiding Principles on Unaccompanied and Separated Children; Primero's
 * tracing requests): relatives ask for children in person, through a consulate abroad or from the
 * families' public page; each request names the children sought. The name-matching engine
 * (src/search, `scorePair`'s scorer) compares each child sought with the children who have a file, and
 * the relative who asks with the family members recorded in those files (siblings, parents and other
 * relatives linked, adults under verification). A pair above the threshold is proposed for review.
 *
 * The consent rule: a child's file takes part in matching only while tracing may go ahead for her,
 * that is her consent is recorded as given, or an approved best-interests determination decided to
 * trace her family without it. No pair is proposed for any other child, and pairs proposed before her
 * consent changed are not shown (every read applies the rule again). Recording her consent, or the
 * approval of such a determination, runs matching for her file: the pairs appear then.
 */

export const TRACING_THRESHOLD = 0.5;

/** Family members recorded in a file who may be the relative asking. */
const FAMILY_LINKS = ['parent', 'relative', 'sibling'] as const;

/** The rule, over `child_files as f`: the child's consent given, or an approved determination to trace. */
export const traceable = sql<SqlBool>`(f.tracing_consent = 'given' or exists (
  select 1 from best_interests bi where bi.case_id = f.case_id and bi.kind = 'determination' and bi.status = 'approved' and bi.decision = 'trace_family'))`;

type Explanation = { field: string; level: string; weight: number; detail?: string }[];
type Proposal = { request_id: string; request_institution_id: string; case_id: string; child_institution_id: string; via: 'child' | 'family_member'; sought_id: string | null; family_person_id: string | null; probability: number; weight: number; explanation: Explanation };

const PERSON_FIELDS = ['p.id', 'p.given_names', 'p.surname1', 'p.surname2', 'p.other_names', 'p.sex', 'p.date_of_birth', 'p.estimated_age', 'p.age_estimated_on', 'p.nationalities'] as const;
const asRecord = (p: PersonRecord & { nationalities: string[] }): PersonRecord => ({ ...p, nationalities: p.nationalities.map((n) => n.trim()) });

/**
 * Proposes pairs for the given requests or child files (inside the write's transaction). Only open
 * requests and open, traceable files take part; a pair already reviewed keeps its review, a pair still
 * proposed gets its new score.
 */
export async function proposeTracingMatches(db: Db | Tx, scope: { caseIds?: string[]; requestIds?: string[] }): Promise<number> {
  let files = db
    .selectFrom('child_files as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('people as p', 'p.id', 'f.person_id')
    .select(['f.case_id', 'f.institution_id'])
    .select(PERSON_FIELDS)
    .where('c.status', '<>', 'closed')
    .where(traceable);
  if (scope.caseIds) files = files.where('f.case_id', 'in', scope.caseIds.length ? scope.caseIds : ['00000000-0000-0000-0000-000000000000']);
  let requests = db.selectFrom('tracing_requests').select(['id', 'institution_id', 'requester_name', 'requester_country']).where('status', '=', 'open');
  if (scope.requestIds) requests = requests.where('id', 'in', scope.requestIds.length ? scope.requestIds : ['00000000-0000-0000-0000-000000000000']);
  const [children, open] = await Promise.all([files.execute(), requests.execute()]);
  if (!children.length || !open.length) return 0;
  const caseIds = children.map((c) => c.case_id);
  const requestIds = open.map((r) => r.id);
  const [sought, linked, adults] = await Promise.all([
    db.selectFrom('tracing_sought_children').selectAll().where('request_id', 'in', requestIds).execute(),
    db.selectFrom('child_links as l').innerJoin('people as p', 'p.id', 'l.person_id').select('l.case_id').select(PERSON_FIELDS).where('l.case_id', 'in', caseIds).where('l.relationship', 'in', FAMILY_LINKS).execute(),
    db.selectFrom('verifications as v').innerJoin('people as p', 'p.id', 'v.adult_person_id').select('v.case_id').select(PERSON_FIELDS).where('v.case_id', 'in', caseIds).execute(),
  ]);
  const requestById = new Map(open.map((r) => [r.id, r]));
  const fileById = new Map(children.map((c) => [c.case_id, c]));
  const best = new Map<string, Proposal>();
  const keep = (p: Proposal) => {
    const key = `${p.request_id}/${p.case_id}/${p.via}`;
    if (p.probability >= TRACING_THRESHOLD && (best.get(key)?.weight ?? -Infinity) < p.weight) best.set(key, p);
  };

  // Each child sought against each child with a file.
  for (const s of sought) {
    const request = requestById.get(s.request_id)!;
    const query: MatchQuery = { given_names: s.given_names, surname1: s.surname1, surname2: s.surname2, sex: s.sex, date_of_birth: s.date_of_birth, estimated_age: s.estimated_age, age_estimated_on: s.age_estimated_on, nationalities: s.nationality ? [s.nationality.trim()] : null };
    const scorer = createScorer(prepareQuery(query));
    for (const child of children) {
      const result = scoreRecord(scorer, asRecord(child));
      keep({ request_id: s.request_id, request_institution_id: request.institution_id, case_id: child.case_id, child_institution_id: child.institution_id, via: 'child', sought_id: s.id, family_person_id: null, probability: result.probability, weight: result.weight, explanation: result.explanation });
    }
  }
  // The relative who asks against the family members recorded in the files.
  const members = [...linked, ...adults];
  for (const request of open) {
    const scorer = createScorer(prepareQuery({ text: request.requester_name, nationalities: request.requester_country ? [request.requester_country.trim()] : null }));
    for (const member of members) {
      const file = fileById.get(member.case_id)!;
      const result = scoreRecord(scorer, asRecord(member));
      keep({ request_id: request.id, request_institution_id: request.institution_id, case_id: member.case_id, child_institution_id: file.institution_id, via: 'family_member', sought_id: null, family_person_id: member.id, probability: result.probability, weight: result.weight, explanation: result.explanation });
    }
  }
  const proposals = [...best.values()];
  if (!proposals.length) return 0;
  await db
    .insertInto('tracing_matches')
    .values(proposals.map((p) => ({ ...p, explanation: JSON.stringify(p.explanation) })))
    .onConflict((oc) =>
      oc
        .columns(['request_id', 'case_id', 'via'])
        .doUpdateSet((eb) => ({ probability: eb.ref('excluded.probability'), weight: eb.ref('excluded.weight'), explanation: eb.ref('excluded.explanation'), sought_id: eb.ref('excluded.sought_id'), family_person_id: eb.ref('excluded.family_person_id') }))
        .where('tracing_matches.status', '=', 'proposed'),
    )
    .execute();
  return proposals.length;
}

/** A request received by the actor's institution (in person or through a consulate), with the children sought. */
export async function createTracingRequest(db: Db, cipher: FieldCipher, actor: Actor, input: z.infer<typeof tracingRequestInput>): Promise<{ id: string }> {
  requireCapability(actor, 'children.write');
  return db.transaction().execute(async (trx) => {
    const { id } = await insertRequest(trx, cipher, actor.institutionId, actor.userId, input);
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'tracing_request.created', recordType: 'tracing_request', recordId: id, ip: actor.ip, detail: { channel: input.channel, children: input.children.length } });
    await proposeTracingMatches(trx, { requestIds: [id] });
    return { id };
  });
}

type RequestInput = Omit<z.infer<typeof tracingRequestInput>, 'channel'> & { channel: TracingChannel; missing_report_id?: string };

async function insertRequest(trx: Tx, cipher: FieldCipher, institutionId: string, userId: string | null, input: RequestInput) {
  const { id } = await trx
    .insertInto('tracing_requests')
    .values({
      institution_id: institutionId,
      channel: input.channel,
      consulate_country: input.consulate_country ?? null,
      received_on: input.received_on,
      requester_name: input.requester_name,
      requester_relationship: input.requester_relationship,
      requester_country: input.requester_country ?? null,
      contact_enc: seal(cipher, input.contact) ?? null,
      circumstances_enc: seal(cipher, input.circumstances) ?? null,
      missing_report_id: input.missing_report_id ?? null,
      created_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('tracing_sought_children')
    .values(
      input.children.map((c) => ({
        institution_id: institutionId,
        request_id: id,
        given_names: c.given_names,
        surname1: c.surname1 ?? null,
        surname2: c.surname2 ?? null,
        sex: c.sex ?? null,
        date_of_birth: c.date_of_birth ?? null,
        estimated_age: c.estimated_age ?? null,
        age_estimated_on: c.estimated_age === undefined || c.estimated_age === null ? null : (c.age_estimated_on ?? input.received_on),
        nationality: c.nationality ?? null,
        last_seen: c.last_seen ?? null,
      })),
    )
    .execute();
  return { id };
}

const REPORTER_RELATIONSHIPS: Record<string, RequestInput['requester_relationship']> = { mother: 'mother', father: 'father', sibling: 'sibling', grandparent: 'grandparent', other_relative: 'other_relative' };

/**
 * A family's report on the public page of a missing person who is a child (under 18 when last seen or
 * today) is also a tracing request of the institution that receives those reports: the reporter is
 * the relative who asks, the child the one sought. Called inside the report's transaction.
 */
export async function tracingRequestFromPublicReport(
  trx: Tx,
  cipher: FieldCipher,
  institutionId: string,
  report: { id: string; given_names?: string | null; surname1?: string | null; surname2?: string | null; sex?: string | null; date_of_birth?: string | null; age_max?: number | null; nationalities?: string[] | null; last_seen_place?: string | null; reporter: { name: string; relationship: string; country?: string | null } },
): Promise<string | null> {
  const today = localDate();
  const age = report.date_of_birth ? ageOn({ date_of_birth: report.date_of_birth }, today).age : (report.age_max ?? null);
  if (age === null || age >= 18 || !report.given_names) return null;
  const { id } = await insertRequest(trx, cipher, institutionId, null, {
    channel: 'public_page',
    received_on: today,
    requester_name: report.reporter.name,
    requester_relationship: REPORTER_RELATIONSHIPS[report.reporter.relationship] ?? 'other',
    requester_country: report.reporter.country ?? null,
    missing_report_id: report.id,
    children: [
      {
        given_names: report.given_names,
        surname1: report.surname1 ?? null,
        surname2: report.surname2 ?? null,
        sex: (['female', 'male', 'intersex', 'unknown'] as const).find((s) => s === report.sex) ?? null,
        date_of_birth: report.date_of_birth ?? null,
        estimated_age: report.date_of_birth ? null : age,
        nationality: report.nationalities?.[0] ?? null,
        last_seen: report.last_seen_place ?? null,
      },
    ],
  });
  await appendAudit(trx, { institutionId, actorUserId: null, action: 'tracing_request.created', recordType: 'tracing_request', recordId: id, detail: { channel: 'public_page', missing_report_id: report.id } });
  await proposeTracingMatches(trx, { requestIds: [id] });
  return id;
}

/** The institution's requests, newest first. */
export async function listTracingRequests(db: Db, actor: Actor, query: z.infer<typeof tracingRequestQuery>) {
  requireCapability(actor, 'children.read');
  let base = db.selectFrom('tracing_requests as r').where('r.institution_id', '=', actor.institutionId);
  if (query.status) base = base.where('r.status', '=', query.status);
  const [rows, total] = await Promise.all([
    base
      .select(['r.id', 'r.channel', 'r.consulate_country', 'r.received_on', 'r.requester_name', 'r.requester_relationship', 'r.status'])
      .select((eb) => [eb.selectFrom('tracing_sought_children as s').select(sql<string[]>`array_agg(concat_ws(' ', s.given_names, s.surname1, s.surname2) order by s.given_names)`.as('names')).whereRef('s.request_id', '=', 'r.id').as('sought')])
      .orderBy('r.received_on', 'desc')
      .orderBy('r.created_at', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  if (rows.length) await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'tracing_request.listed', recordType: 'tracing_request', ip: actor.ip, detail: { ids: rows.map((r) => r.id) } });
  return pageOf(
    rows.map((r) => ({ ...r, consulate_country: r.consulate_country?.trim() ?? null, sought: r.sought ?? [] })),
    total.n,
    query,
  );
}

/** Pairs the actor may see: the child's file visible to her by the case rules, and tracing allowed for the child. */
const visibleMatches = (db: Db | Tx, actor: Actor) =>
  db
    .selectFrom('tracing_matches as m')
    .innerJoin('child_files as f', 'f.case_id', 'm.case_id')
    .innerJoin('cases', 'cases.id', 'm.case_id')
    .innerJoin('people as p', 'p.id', 'f.person_id')
    .innerJoin('tracing_requests as r', 'r.id', 'm.request_id')
    .leftJoin('tracing_sought_children as s', 's.id', 'm.sought_id')
    .leftJoin('people as fm', 'fm.id', 'm.family_person_id')
    .where(ownCaseCondition(actor))
    .where(traceable);

/** The tracing review queue. */
export async function listTracingMatches(db: Db, actor: Actor, query: z.infer<typeof tracingMatchQuery>) {
  requireCapability(actor, 'children.read');
  let base = visibleMatches(db, actor).where('m.status', '=', query.status);
  if (query.case_id) base = base.where('m.case_id', '=', query.case_id);
  const [rows, total] = await Promise.all([
    base
      .select(['m.id', 'm.status', 'm.via', 'm.probability', 'm.proposed_at', 'm.case_id', 'cases.folio', 'p.given_names', 'p.surname1', 'p.surname2', 'r.id as request_id', 'r.requester_name', 'r.requester_relationship', 'r.channel', 'r.received_on'])
      .select(['s.given_names as s_given', 's.surname1 as s_surname1', 's.surname2 as s_surname2', 'fm.given_names as fm_given', 'fm.surname1 as fm_surname1', 'fm.surname2 as fm_surname2'])
      .orderBy('m.probability', 'desc')
      .orderBy('m.proposed_at')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  await appendAudit(db, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'tracing_match.listed', recordType: 'tracing_match', ip: actor.ip, detail: { status: query.status, returned: rows.length } });
  const items = rows.map(({ id, status, via, probability, proposed_at, ...r }) => ({
    ...{ id, status, via, probability, proposed_at },
    child: { case_id: r.case_id, folio: r.folio, name: fullName(r) },
    request: { id: r.request_id, requester_name: r.requester_name, requester_relationship: r.requester_relationship, channel: r.channel, received_on: r.received_on },
    matched_name: via === 'child' ? fullName({ given_names: r.s_given ?? '', surname1: r.s_surname1, surname2: r.s_surname2 }) : fullName({ given_names: r.fm_given ?? '', surname1: r.fm_surname1, surname2: r.fm_surname2 }),
  }));
  return pageOf(items, total.n, query);
}

async function visibleMatch(db: Db | Tx, actor: Actor, id: string, lock = false) {
  let query = visibleMatches(db, actor)
    .selectAll('m')
    .select(['cases.folio', 'cases.institution_id as case_institution_id'])
    .select(['p.given_names', 'p.surname1', 'p.surname2', 'p.sex', 'p.date_of_birth', 'p.estimated_age', 'p.age_estimated_on', 'p.nationalities'])
    .select(['r.requester_name', 'r.requester_relationship', 'r.requester_country', 'r.channel', 'r.consulate_country', 'r.received_on', 'r.contact_enc', 'r.circumstances_enc'])
    .select(['s.given_names as s_given', 's.surname1 as s_surname1', 's.surname2 as s_surname2', 's.sex as s_sex', 's.date_of_birth as s_birth', 's.estimated_age as s_age', 's.nationality as s_nationality', 's.last_seen as s_last_seen'])
    .select(['fm.given_names as fm_given', 'fm.surname1 as fm_surname1', 'fm.surname2 as fm_surname2'])
    .where('m.id', '=', id);
  if (lock) query = query.forUpdate('m');
  const row = await query.executeTakeFirst();
  // A pair of a child without consent is answered as absent: that it exists says something about her.
  if (!row) throw new RecordNotVisible({ institutionId: actor.institutionId, actorUserId: actor.userId, action: 'tracing_match.read_denied', recordType: 'tracing_match', recordId: id, ip: actor.ip });
  return row;
}

/** One pair side by side, with the evidence in words (the same phrases as the missing persons' review). */
export async function getTracingMatch(db: Db, cipher: FieldCipher, actor: Actor, id: string) {
  requireCapability(actor, 'children.read');
  const m = await visibleMatch(db, actor, id);
  const reader = new FieldReader(cipher, 'tracing_request');
  await appendAudit(db, { institutionId: m.case_institution_id, actorUserId: actor.userId, action: 'tracing_match.viewed', recordType: 'tracing_match', recordId: id, ip: actor.ip, detail: { case_id: m.case_id, request_id: m.request_id } });
  const today = localDate();
  return {
    id: m.id,
    status: m.status,
    via: m.via,
    probability: m.probability,
    proposed_at: m.proposed_at,
    reviewed_at: m.reviewed_at,
    explanation: m.explanation.map(inWords),
    child: { case_id: m.case_id, folio: m.folio, name: fullName(m), sex: m.sex, date_of_birth: m.date_of_birth, age: ageOn(m, today).age, nationalities: m.nationalities.map((n) => n.trim()) },
    sought:
      m.via === 'child'
        ? { name: fullName({ given_names: m.s_given ?? '', surname1: m.s_surname1, surname2: m.s_surname2 }), sex: m.s_sex, date_of_birth: m.s_birth, estimated_age: m.s_age, nationality: m.s_nationality?.trim() ?? null, last_seen: m.s_last_seen }
        : null,
    family_member: m.via === 'family_member' ? { id: m.family_person_id!, name: fullName({ given_names: m.fm_given ?? '', surname1: m.fm_surname1, surname2: m.fm_surname2 }) } : null,
    request: {
      id: m.request_id,
      requester_name: m.requester_name,
      requester_relationship: m.requester_relationship,
      requester_country: m.requester_country?.trim() ?? null,
      channel: m.channel,
      consulate_country: m.consulate_country?.trim() ?? null,
      received_on: m.received_on,
      contact: open(reader, m.contact_enc, 'contact'),
      circumstances: open(reader, m.circumstances_enc, 'circumstances'),
    },
    can_review: m.status === 'proposed',
    unreadable_fields: reader.unreadable,
  };
}

/** Confirms or rejects a proposed pair; the review is kept (a rejected pair is not proposed again). */
export async function reviewTracingMatch(db: Db, actor: Actor, id: string, input: z.infer<typeof tracingReviewInput>): Promise<void> {
  requireCapability(actor, 'children.write');
  await db.transaction().execute(async (trx) => {
    const m = await visibleMatch(trx, actor, id, true);
    if (m.status !== 'proposed') throw new AppError('tracing_match_reviewed');
    await trx.updateTable('tracing_matches').set({ status: input.decision, reviewed_by: actor.userId, reviewed_at: new Date() }).where('id', '=', id).execute();
    await appendAudit(trx, { institutionId: m.case_institution_id, actorUserId: actor.userId, action: `tracing_match.${input.decision}`, recordType: 'tracing_match', recordId: id, ip: actor.ip, detail: { case_id: m.case_id, request_id: m.request_id } });
  });
}

/** For the child's file: whether tracing may go ahead for her, and, only then, her pairs. */
export async function loadTracing(db: Db, actor: Actor, caseId: string) {
  const row = await db.selectFrom('child_files as f').select(sql<boolean>`${traceable}`.as('traceable')).where('f.case_id', '=', caseId).executeTakeFirstOrThrow();
  if (!row.traceable) return { traceable: false, matches: [] };
  const matches = await listTracingMatchesOfFile(db, actor, caseId);
  return { traceable: true, matches };
}

async function listTracingMatchesOfFile(db: Db, actor: Actor, caseId: string) {
  const rows = await visibleMatches(db, actor)
    .select(['m.id', 'm.status', 'm.via', 'm.probability', 'r.requester_name', 'r.requester_relationship', 'r.channel'])
    .where('m.case_id', '=', caseId)
    .where('m.status', '<>', 'rejected')
    .orderBy('m.probability', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, status: r.status, via: r.via, probability: r.probability, requester_name: r.requester_name, requester_relationship: r.requester_relationship, channel: r.channel }));
}
