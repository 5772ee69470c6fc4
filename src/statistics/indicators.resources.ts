import { sql } from 'kysely';
import type { BaseContext, Indicator } from './indicator-model.ts';
import { age, between, nationality, personJoin, recordKey } from './indicator-sql.ts';
import { text } from './labels.ts';

/**
 * The rest of the seed's figures, each counted from the module that records it: programme resources
 * and the rescues and transfers of their points (src/resources), persons found alive in the search for
 * missing migrants (src/missing), and case files still open at a date with the victims in them, by the
 * way they were opened (in person, or through a consulate: src/cases).
 *
 * Stocks (points, staff, coverage, open case files) are counted on the last day of the period; flows
 * (rescues, transfers, persons found) by the day they happened.
 */

/** Resources and operations belong to no case programme: a programme filter leaves none of them. */
const noProgramme = (ctx: BaseContext) => sql`${ctx.programme('np.programme')}`;
const noProgrammeJoin = sql`cross join (select null::text as programme) np`;
/** Points in operation on the period's last day. */
const pointsInOperation = (ctx: BaseContext) =>
  sql`rp.active_from <= ${ctx.to}::date and (rp.active_to is null or rp.active_to >= ${ctx.to}::date) and ${ctx.institutions('rp.institution_id')} and ${noProgramme(ctx)}`;
const onLastDay = text('onLastDay');
const operationDate = text('operationDate');
/** A case file still open on the period's last day (a file closed later was open then). */
const openOn = (ctx: BaseContext) => sql`c.opened_on <= ${ctx.to}::date and (c.closed_on is null or c.closed_on > ${ctx.to}::date)`;
const openedThrough = sql`case when c.through_consulate_id is null then 'in_person' else 'consulate' end`;

export function resourceIndicators(): Indicator[] {
  return [...programmePointIndicators(), ...fieldOperationIndicators(), ...recordIndicators()];
}

/** The programme points of src/resources: points, staff posted, municipalities and states. */
function programmePointIndicators(): Indicator[] {
  return [
    {
      key: 'resource_points',
      label: text('resourceIndicators.resource_points.label'),
      unit: 'points',
      definition: text('resourceIndicators.resource_points.definition'),
      date: onLastDay,
      deduplication: text('resourceIndicators.resource_points.deduplication'),
      gcm: [1, 8, 15],
      columns: [],
      distinct: false,
      disclosureControl: false,
      hxl: '#output +points',
      raw: (ctx) => sql`select rp.id::text as k, 1 as w, 0::bigint as ks, rp.institution_id from resource_points rp ${noProgrammeJoin} where ${pointsInOperation(ctx)}`,
    },
    {
      key: 'resource_staff',
      label: text('resourceIndicators.resource_staff.label'),
      unit: 'staff',
      definition: text('resourceIndicators.resource_staff.definition'),
      date: onLastDay,
      deduplication: text('resourceIndicators.resource_staff.deduplication'),
      gcm: [1, 8, 15],
      columns: [],
      distinct: false,
      disclosureControl: false,
      hxl: '#capacity +staff',
      raw: (ctx) => sql`select rp.id::text as k, rp.staff as w, 0::bigint as ks, rp.institution_id from resource_points rp ${noProgrammeJoin} where ${pointsInOperation(ctx)}`,
    },
    {
      key: 'resource_municipalities',
      label: text('resourceIndicators.resource_municipalities.label'),
      unit: 'municipalities',
      definition: text('resourceIndicators.resource_municipalities.definition'),
      date: onLastDay,
      deduplication: text('resourceIndicators.resource_municipalities.deduplication'),
      gcm: [1, 15],
      columns: [],
      distinct: true,
      disclosureControl: false,
      hxl: '#output +municipalities',
      raw: (ctx) => sql`select m.code::text as k, 1 as w, 0::bigint as ks, rp.institution_id from resource_points rp cross join lateral unnest(rp.municipalities) m(code) ${noProgrammeJoin} where ${pointsInOperation(ctx)}`,
    },
    {
      key: 'resource_states',
      label: text('resourceIndicators.resource_states.label'),
      unit: 'states',
      definition: text('resourceIndicators.resource_states.definition'),
      date: onLastDay,
      deduplication: text('resourceIndicators.resource_states.deduplication'),
      gcm: [1, 15],
      columns: [],
      distinct: true,
      disclosureControl: false,
      hxl: '#output +adm1',
      raw: (ctx) => sql`select left(m.code, 2) as k, 1 as w, 0::bigint as ks, rp.institution_id from resource_points rp cross join lateral unnest(rp.municipalities) m(code) ${noProgrammeJoin} where ${pointsInOperation(ctx)}`,
    },
  ];
}

/** Field operations: rescues, and the people rescued and transferred. */
function fieldOperationIndicators(): Indicator[] {
  return [
    {
      key: 'rescue_operations',
      label: text('resourceIndicators.rescue_operations.label'),
      unit: 'operations',
      definition: text('resourceIndicators.rescue_operations.definition'),
      date: operationDate,
      deduplication: text('resourceIndicators.rescue_operations.deduplication'),
      gcm: [1, 8],
      columns: [],
      distinct: false,
      disclosureControl: false,
      hxl: '#output +rescues',
      raw: (ctx) => sql`select o.id::text as k, 1 as w, 0::bigint as ks, o.institution_id from field_operations o ${noProgrammeJoin} where o.kind = 'rescue' and ${between('o.occurred_on', ctx)} and ${ctx.institutions('o.institution_id')} and ${noProgramme(ctx)}`,
    },
    {
      key: 'people_rescued',
      label: text('resourceIndicators.people_rescued.label'),
      unit: 'people',
      definition: text('resourceIndicators.people_rescued.definition'),
      date: operationDate,
      deduplication: text('resourceIndicators.people_rescued.deduplication'),
      gcm: [1, 8],
      columns: [],
      distinct: false,
      disclosureControl: true,
      hxl: '#affected +rescued',
      raw: (ctx) => sql`select o.id::text as k, o.people as w, ${recordKey('o.id')} as ks, o.institution_id from field_operations o ${noProgrammeJoin} where o.kind = 'rescue' and ${between('o.occurred_on', ctx)} and ${ctx.institutions('o.institution_id')} and ${noProgramme(ctx)}`,
    },
    {
      key: 'people_transferred',
      label: text('resourceIndicators.people_transferred.label'),
      unit: 'people',
      definition: text('resourceIndicators.people_transferred.definition'),
      date: operationDate,
      deduplication: text('resourceIndicators.people_transferred.deduplication'),
      gcm: [1, 8],
      columns: ['transfer_mode'],
      distinct: false,
      disclosureControl: true,
      hxl: '#affected +transferred',
      raw: (ctx) => sql`select o.id::text as k, o.people as w, ${recordKey('o.id')} as ks, o.institution_id, o.mode as transfer_mode from field_operations o ${noProgrammeJoin} where o.kind = 'transfer' and ${between('o.occurred_on', ctx)} and ${ctx.institutions('o.institution_id')} and ${noProgramme(ctx)}`,
    },
  ];
}

/** Figures from other modules' records: persons found alive, case files open on the last day. */
function recordIndicators(): Indicator[] {
  return [
    {
      key: 'persons_found_alive',
      label: text('resourceIndicators.persons_found_alive.label'),
      unit: 'people',
      definition: text('resourceIndicators.persons_found_alive.definition'),
      date: text('resourceIndicators.persons_found_alive.date'),
      deduplication: text('resourceIndicators.persons_found_alive.deduplication'),
      gcm: [1, 8],
      columns: ['sex', 'age', 'nationality', 'programme'],
      distinct: false,
      disclosureControl: true,
      hxl: '#affected +found +alive',
      // Found records belong to the search programme: they answer a programme filter of `search`.
      raw: (ctx) => sql`
        select * from (
          select f.id::text as k, 1 as w, ${recordKey('f.id')} as ks, f.institution_id, 'search'::text as programme, f.sex,
                 amparo_age_floor(amparo_age_on(f.date_of_birth, coalesce((f.age_min + f.age_max) / 2, f.age_min, f.age_max)::smallint, f.found_on, f.found_on)) as age,
                 coalesce(f.nationalities[1]::text, 'ZZZ') as nationality
            from found_records f
           where f.condition = 'alive' and ${between('f.found_on', ctx)} and ${ctx.institutions('f.institution_id')}) found
         where ${ctx.programme('found.programme')}`,
    },
    {
      key: 'case_files_open',
      label: text('resourceIndicators.case_files_open.label'),
      unit: 'case_files',
      definition: text('resourceIndicators.case_files_open.definition'),
      date: text('resourceIndicators.case_files_open.date'),
      deduplication: text('resourceIndicators.case_files_open.deduplication'),
      gcm: [1, 8, 14],
      columns: ['programme', 'opened_through'],
      distinct: false,
      disclosureControl: true,
      hxl: '#output +case_files +open',
      raw: (ctx) => sql`
        select c.id::text as k, 1 as w, ${recordKey('c.id')} as ks, c.institution_id, c.programme, ${openedThrough} as opened_through
          from cases c
         where ${openOn(ctx)} and ${ctx.institutions('c.institution_id')} and ${ctx.programme('c.programme')}`,
    },
    {
      key: 'victims_in_open_case_files',
      label: text('resourceIndicators.victims_in_open_case_files.label'),
      unit: 'victims',
      definition: text('resourceIndicators.victims_in_open_case_files.definition'),
      date: text('resourceIndicators.victims_in_open_case_files.date'),
      deduplication: text('resourceIndicators.victims_in_open_case_files.deduplication'),
      gcm: [1, 8, 10],
      columns: ['sex', 'age', 'nationality', 'programme', 'vulnerabilities', 'opened_through'],
      distinct: true,
      disclosureControl: true,
      hxl: '#affected +victims +open',
      raw: (ctx) => sql`
        select p.id as k, 1 as w, ${recordKey('p.id')} as ks, c.institution_id, c.programme, p.sex, ${age(sql`${ctx.to}::date`)} as age, ${nationality} as nationality, p.vulnerabilities, ${openedThrough} as opened_through
          from case_participants cp join cases c on c.id = cp.case_id ${personJoin('cp.person_id')}
         where cp.role in ('direct_victim', 'indirect_victim') and ${openOn(ctx)} and ${ctx.institutions('c.institution_id')} and ${ctx.programme('c.programme')}`,
    },
  ];
}
