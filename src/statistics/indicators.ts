import { sql } from 'kysely';
import type { BaseContext, FastPart, Fragment, Indicator, Labels } from './indicator-model.ts';
import { dimensions, type BaseColumn, type DimensionKey } from './dimensions.ts';
import { timeZone } from '../platform/dates.ts';
import { age, between, nationality, personJoin, recordKey } from './indicator-sql.ts';
import { resourceIndicators } from './indicators.resources.ts';
import { text } from './labels.ts';

/**
 * Every indicator, defined once: what is counted, from which records, which date puts a record in the
 * period, how people are de-duplicated, which GCM objectives it serves, and the SQL of its base rows.
 *
 * Base rows have the columns k (the counted unit's identifier, of any type), w (its weight), ks (the
 * cell key of the row: the record's key, or the key sum of an aggregate; 0 where there is no
 * disclosure control), institution_id (the institution that holds the record) and whichever of
 * BaseColumn the indicator offers. The value of a cell is count(distinct k) for distinct indicators
 * and sum(w) for additive ones.
 *
 * Age of a person counted once (people attended, victims): the age at the person's first counted
 * event of the period among the rows of the query, the same in every row of that person, so that a
 * person is in one age cell of every table (issue 18). The record path takes the minimum date over
 * the person's rows with a window; the aggregates, the smallest age floor (ages only grow).
 */
export type { BaseContext, FastPart, Fragment, Indicator } from './indicator-model.ts';

/** The months of stat_services_monthly within [from, to] (whole months). */
/** The period (by `date`), the institutions and the programme the query asks for. */
const scope = (ctx: BaseContext, date: string, institution: string, programme: string) => sql`${between(date, ctx)} and ${ctx.institutions(institution)} and ${ctx.programme(programme)}`;
const monthsOf = (column: string, ctx: BaseContext) => sql`${sql.ref(column)} between ${ctx.from}::date and ${`${ctx.to.slice(0, 8)}01`}::date`;
/** One bucket of stat_person_period / stat_people_cells. */
const inBucket = (bucket: 'm' | 'q' | 'y', start: string) => sql`period_kind = ${bucket} and period_start = ${start}::date`;

const isMonthStart = (d: string) => d.endsWith('-01');
function isMonthEnd(d: string): boolean {
  const next = new Date(`${d}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
}
function addMonths(d: string, months: number): string {
  const date = new Date(`${d.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}
/** The bucket (m, q, y) that is exactly [from, to], if any. */
export function alignedBucket(from: string, to: string): 'm' | 'q' | 'y' | null {
  if (!isMonthStart(from) || !isMonthEnd(to)) return null;
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
  const month = Number(from.slice(5, 7));
  if (months === 1) return 'm';
  if (months === 3 && (month - 1) % 3 === 0) return 'q';
  if (months === 12 && month === 1) return 'y';
  return null;
}
export const monthAligned = (from: string, to: string) => isMonthStart(from) && isMonthEnd(to);
export { addMonths };

/**
 * Whole months [from, to] as the fewest buckets of stat_person_period: calendar years, then quarters,
 * then months (June 2018 to May 2019: 2018-06, 2018-Q3, 2018-Q4, 2019-Q1, 2019-04, 2019-05).
 */
export function bucketCover(from: string, to: string): { kind: 'm' | 'q' | 'y'; start: string }[] {
  const out: { kind: 'm' | 'q' | 'y'; start: string }[] = [];
  const last = to.slice(0, 7);
  let month = from.slice(0, 10);
  const fits = (start: string, months: number) => addMonths(start, months - 1).slice(0, 7) <= last;
  while (month.slice(0, 7) <= last) {
    const m = Number(month.slice(5, 7));
    if (m === 1 && fits(month, 12)) {
      out.push({ kind: 'y', start: month });
      month = addMonths(month, 12);
    } else if ((m - 1) % 3 === 0 && fits(month, 3)) {
      out.push({ kind: 'q', start: month });
      month = addMonths(month, 3);
    } else {
      out.push({ kind: 'm', start: month });
      month = addMonths(month, 1);
    }
  }
  return out;
}

/** Dimensions that are a function of the person counted alone, not of the institution or programme of a row. */
const PERSON_COLUMNS: readonly BaseColumn[] = ['sex', 'age', 'nationality'];
const ofThePerson = (d: DimensionKey) => dimensions[d].needs.length > 0 && dimensions[d].needs.every((c) => PERSON_COLUMNS.includes(c));

/**
 * People attended over any whole months, platform-wide (optionally in one programme), broken down by
 * the person's own attributes: each person counted at her first month of the range (migration 0051),
 * a sum of a few thousand rows per month whatever the number of people or of institutions that
 * attended each of them. Exact: the person is in exactly one cell (one sex, one nationality, the age
 * at her first service of the range) and in one row of the sum.
 */
function peopleByFirstMonth(ctx: BaseContext, by: DimensionKey[]): FastPart[] | null {
  if (!ctx.wholePlatform || !monthAligned(ctx.from, ctx.to) || !by.every(ofThePerson)) return null;
  return [
    {
      value: 'sum',
      sql: sql`
      select n as w, ks, null::uuid as institution_id, sex, age_floor as age, nationality
        from stat_people_firsts
       where programme = ${ctx.programmeFilter ?? '*'} and month between ${ctx.from}::date and ${`${ctx.to.slice(0, 8)}01`}::date and prev_month < ${ctx.from}::date`,
    },
  ];
}

const peopleLabels = {
  date: text('peopleLabels.date'),
};

/**
 * Units with at least one service in a month, quarter or year, from the people of that bucket (far
 * fewer rows than the services by type): a unit attended someone in the period exactly when it has a
 * cell or a row of someone in several cells. Under 18: ages only grow, so someone was under 18 at a
 * service of the unit in the period exactly when they were at their first one (the row's age).
 */
function unitsFromPeople(ctx: BaseContext, minors: boolean): FastPart[] | null {
  const bucket = alignedBucket(ctx.from, ctx.to);
  if (!bucket) return null;
  const where = sql`${inBucket(bucket, ctx.from)} and ${ctx.institutions('institution_id')} and ${ctx.programme('programme')}${minors ? sql` and age_floor between 0 and 17` : sql``}`;
  return [
    {
      value: 'distinct',
      sql: sql`select x.institution_id::text as k, 1 as w, 0::bigint as ks, x.institution_id, x.programme
              from (select institution_id, programme from stat_people_cells where ${where}
                    union select institution_id, programme from stat_person_period where not single and ${where}) x
              join institutions u on u.id = x.institution_id
             where u.unit_type is not null`,
    },
  ];
}

export const indicators: Indicator[] = [
  {
    key: 'people_attended',
    label: text('indicators.people_attended.label'),
    unit: 'people',
    definition: text('indicators.people_attended.definition'),
    date: peopleLabels.date,
    deduplication: text('indicators.people_attended.deduplication'),
    gcm: [1, 7, 15],
    columns: ['sex', 'age', 'nationality', 'programme', 'vulnerabilities'],
    distinct: true,
    disclosureControl: true,
    hxl: '#reached',
    raw: (ctx) => sql`
      select p.id as k, 1 as w, ${recordKey('p.id')} as ks, s.institution_id, c.programme, p.sex, ${age(sql`min(min(s.provided_on)) over (partition by p.id)`)} as age, ${nationality} as nationality, p.vulnerabilities
        from services s ${personJoin('s.person_id')} join cases c on c.id = s.case_id
       where ${scope(ctx, 's.provided_on', 's.institution_id', 'c.programme')}
       group by p.id, s.institution_id, c.programme`,
    fast: (ctx, by) => {
      if (!monthAligned(ctx.from, ctx.to)) return null;
      const byFirstMonth = peopleByFirstMonth(ctx, by);
      if (byFirstMonth) return byFirstMonth;
      const where = sql`${ctx.institutions('institution_id')} and ${ctx.programme('programme')}`;
      const bucket = alignedBucket(ctx.from, ctx.to);
      if (bucket) {
        // People with one row in the bucket are in one cell of any table: summed from the cells.
        // People attended by several institutions or programmes in the bucket: counted from their rows.
        return [
          {
            value: 'sum',
            sql: sql`
      select n as w, ks, institution_id, programme, sex, age_floor as age, nationality
        from stat_people_cells
       where ${inBucket(bucket, ctx.from)} and ${where}`,
          },
          {
            value: 'distinct',
            sql: sql`
      select person_id as k, 1 as w, ${recordKey('person_id')} as ks, institution_id, programme, sex, min(age_floor) over (partition by person_id) as age, nationality
        from stat_person_period
       where ${inBucket(bucket, ctx.from)} and not single and ${where}`,
          },
        ];
      }
      // Any other whole months: the person's rows of the covering buckets, one per institution and
      // programme. Ages only grow, so the age at the first service of the range is the smallest floor
      // of all the person's rows.
      const buckets = bucketCover(ctx.from, ctx.to);
      const cover = sql`select * from unnest(${buckets.map((b) => b.kind)}::text[], ${buckets.map((b) => b.start)}::date[])`;
      return [
        {
          value: 'distinct',
          sql: sql`
      select person_id as k, 1 as w, ${recordKey('person_id')} as ks, institution_id, programme, min(sex) as sex, min(min(age_floor)) over (partition by person_id) as age, min(nationality) as nationality
        from stat_person_period
       where (period_kind::text, period_start) in (${cover}) and ${where}
       group by person_id, institution_id, programme`,
        },
      ];
    },
  },
  {
    key: 'services_provided',
    label: text('indicators.services_provided.label'),
    unit: 'services',
    definition: text('indicators.services_provided.definition'),
    date: peopleLabels.date,
    deduplication: text('indicators.services_provided.deduplication'),
    gcm: [1, 15],
    columns: ['sex', 'age', 'nationality', 'programme', 'service_type', 'vulnerabilities'],
    distinct: false,
    disclosureControl: true,
    hxl: '#output +services',
    raw: (ctx) => sql`
      select s.id::text as k, 1 as w, ${recordKey('s.id')} as ks, s.institution_id, c.programme, s.service_type, p.sex, ${age(sql`s.provided_on`)} as age, ${nationality} as nationality, p.vulnerabilities
        from services s ${personJoin('s.person_id')} join cases c on c.id = s.case_id
       where ${scope(ctx, 's.provided_on', 's.institution_id', 'c.programme')}`,
    fast: (ctx) => {
      if (!monthAligned(ctx.from, ctx.to)) return null;
      return [
        {
          value: 'sum',
          sql: sql`
      select n as w, ks, institution_id, programme, service_type, sex, age_floor as age, nationality
        from stat_services_monthly
       where ${monthsOf('month', ctx)} and ${ctx.institutions('institution_id')} and ${ctx.programme('programme')}`,
        },
      ];
    },
  },
  {
    key: 'case_files_opened',
    label: text('indicators.case_files_opened.label'),
    unit: 'case_files',
    definition: text('indicators.case_files_opened.definition'),
    date: text('indicators.case_files_opened.date'),
    deduplication: text('indicators.case_files_opened.deduplication'),
    gcm: [1, 7, 14],
    columns: ['programme', 'consulate'],
    distinct: false,
    disclosureControl: true,
    hxl: '#output +case_files',
    raw: (ctx) => sql`
      select c.id::text as k, 1 as w, ${recordKey('c.id')} as ks, c.institution_id, c.programme, ${consulateOf} as consulate
        from cases c ${consulateJoins('c')}
       where ${scope(ctx, 'c.opened_on', 'c.institution_id', 'c.programme')}`,
  },
  {
    key: 'victims_in_case_files',
    label: text('indicators.victims_in_case_files.label'),
    unit: 'victims',
    definition: text('indicators.victims_in_case_files.definition'),
    date: text('indicators.victims_in_case_files.date'),
    deduplication: text('indicators.victims_in_case_files.deduplication'),
    gcm: [1, 7, 8, 10],
    columns: ['sex', 'age', 'nationality', 'programme', 'vulnerabilities'],
    distinct: true,
    disclosureControl: true,
    hxl: '#affected +victims',
    raw: (ctx) => sql`
      select p.id as k, 1 as w, ${recordKey('p.id')} as ks, c.institution_id, c.programme, p.sex, ${age(sql`min(min(c.opened_on)) over (partition by p.id)`)} as age, ${nationality} as nationality, p.vulnerabilities
        from case_participants cp join cases c on c.id = cp.case_id ${personJoin('cp.person_id')}
       where cp.role in ('direct_victim', 'indirect_victim') and ${scope(ctx, 'c.opened_on', 'c.institution_id', 'c.programme')}
       group by p.id, c.institution_id, c.programme`,
  },
  {
    key: 'units_attending',
    label: text('indicators.units_attending.label'),
    unit: 'units',
    definition: text('indicators.units_attending.definition'),
    date: peopleLabels.date,
    deduplication: text('indicators.units_attending.deduplication'),
    gcm: [1, 15],
    columns: ['programme'],
    distinct: true,
    disclosureControl: false,
    hxl: '#output +units',
    ...unitsAttending(false),
  },
  {
    key: 'units_attending_minors',
    label: text('indicators.units_attending_minors.label'),
    unit: 'units',
    definition: text('indicators.units_attending_minors.definition'),
    date: peopleLabels.date,
    deduplication: text('indicators.units_attending_minors.deduplication'),
    gcm: [1, 7, 15],
    columns: ['programme'],
    distinct: true,
    disclosureControl: false,
    hxl: '#output +units +children',
    ...unitsAttending(true),
  },
  ...outreachIndicators(),
  {
    key: 'family_reunifications',
    label: text('indicators.family_reunifications.label'),
    unit: 'reunifications',
    definition: text('indicators.family_reunifications.definition'),
    date: text('indicators.family_reunifications.date'),
    deduplication: text('indicators.family_reunifications.deduplication'),
    gcm: [5, 7],
    columns: ['sex', 'age', 'nationality', 'programme', 'vulnerabilities'],
    distinct: false,
    disclosureControl: true,
    hxl: '#reached +children +reunified',
    raw: (ctx) => sql`
      select r.id::text as k, 1 as w, ${recordKey('r.id')} as ks, r.institution_id, c.programme, p.sex, ${age(sql`r.reunified_on`)} as age, ${nationality} as nationality, p.vulnerabilities
        from child_reunifications r ${personJoin('r.person_id')} join cases c on c.id = r.case_id
       where ${scope(ctx, 'r.reunified_on', 'r.institution_id', 'c.programme')}`,
  },
  ...childProtectionIndicators(),
  ...screeningIndicators(),
  ...resourceIndicators(),
];

/**
 * Units (institutions with a unit type) that recorded at least one service in the period; `minors`:
 * to a person under 18 on the day of the service.
 */
function unitsAttending(minors: boolean): Pick<Indicator, 'raw' | 'fast'> {
  return {
    raw: (ctx) => sql`
      select s.institution_id::text as k, 1 as w, 0::bigint as ks, s.institution_id, c.programme
        from services s join cases c on c.id = s.case_id join institutions u on u.id = s.institution_id ${minors ? personJoin('s.person_id') : sql``}
       where u.unit_type is not null ${minors ? sql`and amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, s.provided_on) < 18` : sql``}
         and ${scope(ctx, 's.provided_on', 's.institution_id', 'c.programme')}
       group by s.institution_id, c.programme`,
    // Ages are floored to cut points and 18 is one, so age_floor between 0 and 17 is exactly "under 18".
    fast: (ctx) =>
      unitsFromPeople(ctx, minors) ??
      (monthAligned(ctx.from, ctx.to)
        ? [
            {
              value: 'distinct',
              sql: sql`select m.institution_id::text as k, 1 as w, 0::bigint as ks, m.institution_id, m.programme from stat_services_monthly m join institutions u on u.id = m.institution_id
            where u.unit_type is not null ${minors ? sql`and m.age_floor between 0 and 17` : sql``} and ${monthsOf('m.month', ctx)} and ${ctx.institutions('m.institution_id')} and ${ctx.programme('m.programme')}
            group by m.institution_id, m.programme`,
            },
          ]
        : null),
  };
}

/**
 * Child protection (src/children): the children with a file, and the days they spent in residential
 * care. Read from the module's records; the child's sex, age and nationality are those of her person
 * record, the state that of the institution holding the file.
 */
function childProtectionIndicators(): Indicator[] {
  const childFiles = (ctx: BaseContext) => sql`
    select p.id as k, 1 as w, ${recordKey('p.id')} as ks, c.institution_id, c.programme, p.sex,
           ${age(sql`min(c.opened_on) over (partition by p.id)`)} as age, ${nationality} as nationality, p.vulnerabilities, f.accompaniment,
           case when f.notified_at is null then 'not_notified'
                when f.notified_at - f.identified_at <= interval '24 hours' then 'within_24h'
                when f.notified_at - f.identified_at <= interval '72 hours' then 'within_72h'
                else 'over_72h' end as notification_time,
           case when exists (select 1 from best_interests bi where bi.case_id = f.case_id and bi.kind = 'determination' and bi.status in ('decided', 'approved') and bi.decided_at::date <= ${ctx.to}::date)
                then 'decided' else 'none' end as best_interests
      from child_files f join cases c on c.id = f.case_id ${personJoin('f.person_id')}`;
  // Stays in residential care that overlap the period (one still open lasts up to today).
  const residentialStays = (ctx: BaseContext) => sql`
          from placements pl join child_files f on f.case_id = pl.case_id join cases c on c.id = f.case_id ${personJoin('f.person_id')}
         where pl.care_type = 'residential' and pl.started_on <= ${ctx.to}::date and coalesce(pl.ended_on, current_date) >= ${ctx.from}::date
           and ${ctx.institutions('c.institution_id')} and ${ctx.programme('c.programme')}`;
  return [
    {
      key: 'children_protected',
      label: text('childProtectionIndicators.children_protected.label'),
      unit: 'people',
      definition: text('childProtectionIndicators.children_protected.definition'),
      date: text('childProtectionIndicators.children_protected.date'),
      deduplication: text('childProtectionIndicators.children_protected.deduplication'),
      gcm: [7, 8, 13],
      columns: ['sex', 'age', 'nationality', 'programme', 'vulnerabilities', 'accompaniment', 'notification_time', 'best_interests'],
      distinct: true,
      disclosureControl: true,
      hxl: '#affected +children +protection',
      raw: (ctx) => sql`${childFiles(ctx)} where ${scope(ctx, 'c.opened_on', 'c.institution_id', 'c.programme')}`,
    },
    {
      key: 'children_in_residential_care',
      label: text('childProtectionIndicators.children_in_residential_care.label'),
      unit: 'people',
      definition: text('childProtectionIndicators.children_in_residential_care.definition'),
      date: text('childProtectionIndicators.children_in_residential_care.date'),
      deduplication: text('childProtectionIndicators.children_in_residential_care.deduplication'),
      gcm: [7, 13],
      columns: ['sex', 'age', 'nationality', 'programme'],
      distinct: true,
      disclosureControl: true,
      hxl: '#affected +children +residential_care',
      raw: (ctx) => sql`
        select p.id as k, 1 as w, ${recordKey('p.id')} as ks, c.institution_id, c.programme, p.sex, ${age(sql`min(greatest(pl.started_on, ${ctx.from}::date)) over (partition by p.id)`)} as age, ${nationality} as nationality
          ${residentialStays(ctx)}`,
    },
    {
      key: 'residential_care_days',
      label: text('childProtectionIndicators.residential_care_days.label'),
      unit: 'days',
      definition: text('childProtectionIndicators.residential_care_days.definition'),
      date: text('childProtectionIndicators.residential_care_days.date'),
      deduplication: text('childProtectionIndicators.residential_care_days.deduplication'),
      gcm: [7, 13],
      columns: ['sex', 'age', 'nationality', 'programme'],
      distinct: false,
      disclosureControl: true,
      hxl: '#indicator +days +residential_care',
      raw: (ctx) => sql`
        select pl.id::text as k, (least(coalesce(pl.ended_on, current_date), ${ctx.to}::date) - greatest(pl.started_on, ${ctx.from}::date)) as w, ${recordKey('pl.id')} as ks,
               c.institution_id, c.programme, p.sex, ${age(sql`greatest(pl.started_on, ${ctx.from}::date)`)} as age, ${nationality} as nationality
          ${residentialStays(ctx)}`,
    },
  ];
}

/**
 * The consulate a case file came through (issue 15): the consulate that holds it, or the consulate
 * whose referral opened it in another institution (a consular protection case carried to Mexico keeps
 * its consulate); 'none' otherwise.
 */
const consulateJoins = (alias: string) => sql`
  left join institutions ch on ch.id = ${sql.ref(`${alias}.institution_id`)} and ch.type = 'consulate'
  left join referrals cr on cr.id = ${sql.ref(`${alias}.origin_referral_id`)}
  left join institutions co on co.id = cr.institution_id and co.type = 'consulate'`;
const consulateOf = sql`coalesce(ch.code, co.code, 'none')`;

/**
 * Outreach (src/outreach): the events a unit records and their attendance, counted by sex and age
 * band. Events are not people and are shown as counted; attendance is a count of people (a small
 * cell could point at someone who came), so it goes through disclosure control like every figure
 * about people. A deleted event is not counted.
 */
function outreachIndicators(): Indicator[] {
  const month = sql`to_char(e.held_on, 'YYYY-MM')`;
  const event = (ctx: BaseContext) => sql`e.deleted_at is null and ${scope(ctx, 'e.held_on', 'e.institution_id', 'e.programme')}`;
  const definitionDate = text('definitionDate');
  return [
    {
      key: 'outreach_events',
      label: text('outreachIndicators.outreach_events.label'),
      unit: 'events',
      definition: text('outreachIndicators.outreach_events.definition'),
      date: definitionDate,
      deduplication: text('outreachIndicators.outreach_events.deduplication'),
      gcm: [3, 14],
      columns: ['programme', 'event_kind', 'topic', 'month'],
      distinct: false,
      disclosureControl: false,
      hxl: '#output +events',
      raw: (ctx) => sql`
        select e.id::text as k, 1 as w, 0::bigint as ks, e.institution_id, e.programme, e.kind as event_kind, e.topic, ${month} as month
          from outreach_events e
         where ${event(ctx)}`,
    },
    {
      key: 'outreach_attendees',
      label: text('outreachIndicators.outreach_attendees.label'),
      unit: 'attendees',
      definition: text('outreachIndicators.outreach_attendees.definition'),
      date: definitionDate,
      deduplication: text('outreachIndicators.outreach_attendees.deduplication'),
      gcm: [3, 14],
      columns: ['programme', 'event_kind', 'topic', 'month', 'sex', 'attendance_age'],
      distinct: false,
      disclosureControl: true,
      hxl: '#reached +attendees',
      raw: (ctx) => sql`
        select e.id::text || a.sex || a.age_band as k, a.attendees as w, amparo_record_key(e.id::text || a.sex || a.age_band) as ks, e.institution_id, e.programme, e.kind as event_kind, e.topic, ${month} as month,
               a.sex, a.age_band as attendance_age
          from outreach_attendance a join outreach_events e on e.id = a.event_id
         where ${event(ctx)}`,
    },
  ];
}

/**
 * Screenings (src/screenings): completed screenings, the flags they raised, the referrals made from
 * their suggestions and those the receiving institution accepted. Sex, nationality and age (on the
 * day of the screening) are the screened person's; the state is that of the institution that screened.
 */
function screeningIndicators(): Indicator[] {
  const screened = (ctx: BaseContext, date: Fragment, flags = false) => sql`
    from screenings s ${flags ? sql`cross join lateral unnest(s.flags) f(flag)` : sql``} join screening_instrument_versions v on v.id = s.version_id join screening_instruments ins on ins.id = v.instrument_id
    join cases c on c.id = s.case_id ${personJoin('s.person_id')}
   where s.status = 'completed' and ${date} between ${ctx.from}::date and ${ctx.to}::date and ${ctx.institutions('s.institution_id')} and ${ctx.programme('c.programme')}`;
  const people = (on: Fragment) => sql`p.sex, ${age(on)} as age, ${nationality} as nationality, p.vulnerabilities, c.programme, s.institution_id, ins.code as instrument`;
  const completedOn = sql`(s.completed_at at time zone ${timeZone()})::date`;
  const columns: BaseColumn[] = ['sex', 'age', 'nationality', 'programme', 'vulnerabilities', 'instrument'];
  const personal = { distinct: false, disclosureControl: true, gcm: [7, 10, 12] };
  return [
    {
      key: 'screenings_given',
      label: text('screeningIndicators.screenings_given.label'),
      unit: 'screenings',
      definition: text('screeningIndicators.screenings_given.definition'),
      date: text('screeningIndicators.screenings_given.date'),
      deduplication: text('screeningIndicators.screenings_given.deduplication'),
      columns,
      ...personal,
      hxl: '#output +screenings',
      raw: (ctx) => sql`select s.id::text as k, 1 as w, ${recordKey('s.id')} as ks, ${people(completedOn)} ${screened(ctx, completedOn)}`,
    },
    {
      key: 'screening_flags',
      label: text('screeningIndicators.screening_flags.label'),
      unit: 'flags',
      definition: text('screeningIndicators.screening_flags.definition'),
      date: text('screeningIndicators.screening_flags.date'),
      deduplication: text('screeningIndicators.screening_flags.deduplication'),
      columns: [...columns, 'flag'],
      ...personal,
      hxl: '#indicator +screening_flags',
      raw: (ctx) => sql`select s.id::text || ':' || f.flag as k, 1 as w, amparo_record_key(s.id::text || ':' || f.flag) as ks, ${people(completedOn)}, ins.code || ':' || f.flag as flag ${screened(ctx, completedOn, true)}`,
    },
    {
      key: 'screening_referrals',
      label: text('screeningIndicators.screening_referrals.label'),
      unit: 'referrals',
      definition: text('screeningIndicators.screening_referrals.definition'),
      date: text('screeningIndicators.screening_referrals.date'),
      deduplication: text('screeningIndicators.screening_referrals.deduplication'),
      columns,
      ...personal,
      hxl: '#output +referrals +screenings',
      raw: (ctx) => referralsFromScreenings(ctx, false),
    },
    {
      key: 'screening_referrals_accepted',
      label: text('screeningIndicators.screening_referrals_accepted.label'),
      unit: 'referrals',
      definition: text('screeningIndicators.screening_referrals_accepted.definition'),
      date: text('screeningIndicators.screening_referrals_accepted.date'),
      deduplication: text('screeningIndicators.screening_referrals_accepted.deduplication'),
      columns,
      ...personal,
      hxl: '#output +referrals +screenings +accepted',
      raw: (ctx) => referralsFromScreenings(ctx, true),
    },
  ];

  function referralsFromScreenings(ctx: BaseContext, accepted: boolean): Fragment {
    const on = accepted ? sql`(r.responded_at at time zone ${timeZone()})::date` : sql`(r.created_at at time zone ${timeZone()})::date`;
    return sql`
      select r.id::text as k, 1 as w, ${recordKey('r.id')} as ks, ${people(on)}
        from screening_referrals sr join referrals r on r.id = sr.referral_id join screenings s on s.id = sr.screening_id
        join screening_instrument_versions v on v.id = s.version_id join screening_instruments ins on ins.id = v.instrument_id
        join cases c on c.id = s.case_id ${personJoin('s.person_id')}
       where ${accepted ? sql`r.status = 'accepted' and ` : sql``}${on} between ${ctx.from}::date and ${ctx.to}::date and ${ctx.institutions('s.institution_id')} and ${ctx.programme('c.programme')}`;
  }
}

export const indicatorByKey = new Map(indicators.map((i) => [i.key, i]));

/** The dimensions an indicator supports: those whose base columns it has. */
export function supportedDimensions(indicator: Indicator, all: Record<DimensionKey, { needs: BaseColumn[] }>): DimensionKey[] {
  return (Object.keys(all) as DimensionKey[]).filter((key) => all[key].needs.every((c) => indicator.columns.includes(c)));
}
