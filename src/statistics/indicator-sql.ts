import { sql } from 'kysely';
import type { BaseContext, Fragment } from './indicator-model.ts';

/** SQL pieces shared by the indicators' base rows (indicators.ts and its companions). */

/**
 * The person counted: the end of the merged_into chain (migration 0009: a duplicate merged into another
 * record is that person), with that record's sex, age and nationality (alias p; p0 is the row referenced).
 */
export const personJoin = (column: string) =>
  sql`join people p0 on p0.id = ${sql.ref(column)} join people p on p.id = (case when p0.merged_into is null then p0.id else amparo_person_root(p0.id) end)`;
export const age = (on: Fragment) => sql`amparo_age_floor(amparo_age_on(p.date_of_birth, p.estimated_age, p.age_estimated_on, ${on}))`;
export const nationality = sql`coalesce(p.nationalities[1]::text, 'ZZZ')`;
export const recordKey = (id: string) => sql`amparo_record_key(${sql.ref(id)}::text)`;
export const between = (column: string, ctx: BaseContext) => sql`${sql.ref(column)} between ${ctx.from}::date and ${ctx.to}::date`;
