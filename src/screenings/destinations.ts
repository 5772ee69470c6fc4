import type { Db, Tx } from '../platform/db/database.ts';
import type { Actor } from '../platform/auth/policy.ts';
import type { InstrumentDefinition } from './definition.ts';

export type Suggestion = InstrumentDefinition['referrals'][number];
export type Destination = { institution_id: string; name: string; type: string; state_code: string | null };

/**
 * Where a suggested referral may go: the institutions on the platform of the types the instrument
 * names (other than the actor's own, to which nobody refers), nearest first (the actor's state).
 *
 * The seam for the services directory (src/directory/, issue 14): each suggestion also names the kinds
 * of service it seeks (`services`, e.g. "asylum", "legal_aid"). When the directory exists, this is the
 * one function to change: it will list the directory's services of those kinds, each with the
 * institution that offers it, so that the referral still goes to an institution on the platform.
 */
export async function destinationsFor(db: Db | Tx, actor: Actor, suggestion: Suggestion): Promise<Destination[]> {
  const own = await db.selectFrom('institutions').select('state_code').where('id', '=', actor.institutionId).executeTakeFirst();
  const rows = await db
    .selectFrom('institutions')
    .select(['id', 'name', 'type', 'state_code'])
    .where('type', 'in', suggestion.institution_types)
    .where('id', '<>', actor.institutionId)
    .orderBy('name')
    .limit(200)
    .execute();
  const near = own?.state_code ?? null;
  return rows
    .map((r) => ({ institution_id: r.id, name: r.name, type: r.type, state_code: r.state_code }))
    .sort((a, b) => Number(b.state_code === near && near !== null) - Number(a.state_code === near && near !== null))
    .slice(0, 20);
}
