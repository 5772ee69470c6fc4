import { sql } from 'kysely';
import type { BaseContext, Indicator } from './indicator-model.ts';
import { age, between, nationality, personJoin, recordKey } from './indicator-sql.ts';

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
const onLastDay = { es: 'Último día del periodo: los puntos en operación ese día.', en: 'Last day of the period: the points in operation that day.' };
const operationDate = { es: 'Fecha del rescate o del traslado.', en: 'Date of the rescue or transfer.' };
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
      label: { es: 'Puntos del programa en operación', en: 'Programme points in operation' },
      unit: 'points',
      definition: {
        es: 'Puntos de un programa (puntos de contacto, puntos de despliegue...) en operación el último día del periodo, como los registra la institución que lo coordina.',
        en: 'Points of a programme (contact points, deployment points...) in operation on the last day of the period, as recorded by the institution that runs it.',
      },
      date: onLastDay,
      deduplication: { es: 'Cada punto cuenta una vez.', en: 'Each point counts once.' },
      gcm: [1, 8, 15],
      columns: [],
      distinct: false,
      disclosureControl: false,
      hxl: '#output +points',
      raw: (ctx) => sql`select rp.id::text as k, 1 as w, 0::bigint as ks, rp.institution_id from resource_points rp ${noProgrammeJoin} where ${pointsInOperation(ctx)}`,
    },
    {
      key: 'resource_staff',
      label: { es: 'Personal en los puntos del programa', en: 'Staff at the programme points' },
      unit: 'staff',
      definition: {
        es: 'Personas asignadas (responsables de brigada, elementos, personal) a los puntos en operación el último día del periodo. Recursos del programa, no personas atendidas.',
        en: 'People posted (brigade leaders, officers, staff) at the points in operation on the last day of the period. Programme resources, not people attended.',
      },
      date: onLastDay,
      deduplication: { es: 'Se suma el personal de cada punto.', en: 'The staff of each point is added up.' },
      gcm: [1, 8, 15],
      columns: [],
      distinct: false,
      disclosureControl: false,
      hxl: '#capacity +staff',
      raw: (ctx) => sql`select rp.id::text as k, rp.staff as w, 0::bigint as ks, rp.institution_id from resource_points rp ${noProgrammeJoin} where ${pointsInOperation(ctx)}`,
    },
    {
      key: 'resource_municipalities',
      label: { es: 'Municipios cubiertos por el programa', en: 'Municipalities covered by the programme' },
      unit: 'municipalities',
      definition: {
        es: 'Municipios distintos que cubren los puntos en operación el último día del periodo.',
        en: 'Distinct municipalities covered by the points in operation on the last day of the period.',
      },
      date: onLastDay,
      deduplication: { es: 'Un municipio cubierto por dos puntos cuenta una vez.', en: 'A municipality covered by two points counts once.' },
      gcm: [1, 15],
      columns: [],
      distinct: true,
      disclosureControl: false,
      hxl: '#output +municipalities',
      raw: (ctx) => sql`select m.code::text as k, 1 as w, 0::bigint as ks, rp.institution_id from resource_points rp cross join lateral unnest(rp.municipalities) m(code) ${noProgrammeJoin} where ${pointsInOperation(ctx)}`,
    },
    {
      key: 'resource_states',
      label: { es: 'Entidades federativas cubiertas por el programa', en: 'States covered by the programme' },
      unit: 'states',
      definition: {
        es: 'Entidades federativas distintas de los municipios que cubren los puntos en operación el último día del periodo.',
        en: 'Distinct states of the municipalities covered by the points in operation on the last day of the period.',
      },
      date: onLastDay,
      deduplication: { es: 'Cada entidad cuenta una vez.', en: 'Each state counts once.' },
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
      label: { es: 'Rescates de personas migrantes', en: 'Rescues of migrants' },
      unit: 'operations',
      definition: { es: 'Operaciones de rescate registradas en el periodo (cada una con el número de personas rescatadas).', en: 'Rescue operations recorded in the period (each with the number of people rescued).' },
      date: operationDate,
      deduplication: { es: 'Cada rescate cuenta una vez.', en: 'Each rescue counts once.' },
      gcm: [1, 8],
      columns: [],
      distinct: false,
      disclosureControl: false,
      hxl: '#output +rescues',
      raw: (ctx) => sql`select o.id::text as k, 1 as w, 0::bigint as ks, o.institution_id from field_operations o ${noProgrammeJoin} where o.kind = 'rescue' and ${between('o.occurred_on', ctx)} and ${ctx.institutions('o.institution_id')} and ${noProgramme(ctx)}`,
    },
    {
      key: 'people_rescued',
      label: { es: 'Personas migrantes rescatadas', en: 'Migrants rescued' },
      unit: 'people',
      definition: {
        es: 'Suma de las personas rescatadas en las operaciones de rescate del periodo (número registrado por operación, sin identificar a nadie).',
        en: 'Sum of the people rescued in the rescue operations of the period (the number recorded per operation, identifying no one).',
      },
      date: operationDate,
      deduplication: { es: 'Rescates de personas, no personas distintas: quien fue rescatado dos veces cuenta dos veces.', en: 'Rescues of people, not distinct people: someone rescued twice counts twice.' },
      gcm: [1, 8],
      columns: [],
      distinct: false,
      disclosureControl: true,
      hxl: '#affected +rescued',
      raw: (ctx) => sql`select o.id::text as k, o.people as w, ${recordKey('o.id')} as ks, o.institution_id from field_operations o ${noProgrammeJoin} where o.kind = 'rescue' and ${between('o.occurred_on', ctx)} and ${ctx.institutions('o.institution_id')} and ${noProgramme(ctx)}`,
    },
    {
      key: 'people_transferred',
      label: { es: 'Personas migrantes trasladadas', en: 'Migrants transferred' },
      unit: 'people',
      definition: { es: 'Suma de las personas trasladadas en el periodo, por carretera o por vía aérea.', en: 'Sum of the people moved in the period, by road or by air.' },
      date: operationDate,
      deduplication: { es: 'Traslados de personas, no personas distintas.', en: 'Transfers of people, not distinct people.' },
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
      label: { es: 'Personas localizadas con vida', en: 'Persons found alive' },
      unit: 'people',
      definition: {
        es: 'Registros de personas localizadas con vida en la búsqueda de personas migrantes, por la fecha de localización; sexo, edad y nacionalidad (la primera registrada) son los del registro.',
        en: 'Records of persons found alive in the search for missing migrants, by the date found; sex, age and nationality (the first recorded) are those of the record.',
      },
      date: { es: 'Fecha de localización.', en: 'Date found.' },
      deduplication: { es: 'Cada registro de localización cuenta una vez.', en: 'Each found record counts once.' },
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
      label: { es: 'Expedientes abiertos a la fecha', en: 'Case files open at the date' },
      unit: 'case_files',
      definition: {
        es: 'Expedientes abiertos el último día del periodo (abiertos hasta esa fecha y no cerrados en ella), por la vía de apertura: en persona o a través de una representación consular (Mecanismo de Apoyo Exterior).',
        en: 'Case files open on the last day of the period (opened by then and not closed by then), by how they were opened: in person or through a consulate (the Mecanismo de Apoyo Exterior).',
      },
      date: { es: 'Último día del periodo: los expedientes abiertos ese día.', en: 'Last day of the period: the files open that day.' },
      deduplication: { es: 'Cada expediente cuenta una vez.', en: 'Each case file counts once.' },
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
      label: { es: 'Víctimas en los expedientes abiertos', en: 'Victims in the open case files' },
      unit: 'victims',
      definition: {
        es: 'Personas distintas que participan como víctimas directas o indirectas en los expedientes abiertos el último día del periodo. La edad es la de ese día.',
        en: 'Distinct people taking part as direct or indirect victims in the case files open on the last day of the period. Age is the age on that day.',
      },
      date: { es: 'Último día del periodo: los expedientes abiertos ese día.', en: 'Last day of the period: the files open that day.' },
      deduplication: { es: 'Una persona víctima en dos expedientes cuenta una vez; los márgenes son conteos distintos.', en: 'A person who is a victim in two case files counts once; margins are distinct counts.' },
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
