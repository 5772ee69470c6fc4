import { can, type Actor } from '../platform/auth/policy.ts';
import { forbidden } from '../platform/errors.ts';

/**
 * Who may change which field of an institution, as a table. An institution's own administrator sets
 * its second-factor policy; whether complaint handlers may do without one, its name, type, place in the hierarchy and jurisdiction are the platform
 * administrators' (they decide how institutions relate, and routing and statistics depend on it).
 */
export const institutionFieldRules = {
  require_mfa: 'own',
  // On by default for every institution; turning it off is the platform administrators' (issue 14).
  complaint_handlers_mfa: 'any',
  name: 'any',
  type: 'any',
  unit_type: 'any',
  state_code: 'any',
  municipality_code: 'any',
  parent_id: 'any',
} as const satisfies Record<string, 'own' | 'any'>;

export type InstitutionField = keyof typeof institutionFieldRules;

/** `own`: the actor administers this institution, or any institution; `any`: any institution only. */
const holds: Record<'own' | 'any', (actor: Actor, institutionId: string) => boolean> = {
  own: (actor, institutionId) => can(actor, 'institutions.manage_any') || (can(actor, 'institutions.manage') && actor.institutionId === institutionId),
  any: (actor) => can(actor, 'institutions.manage_any'),
};

/** Throws 403 unless the actor may change every one of the fields sent (an empty change: the own-institution rule). */
export function requireInstitutionEdit(actor: Actor, institutionId: string, fields: InstitutionField[]): void {
  const rules = fields.length ? fields.map((field) => institutionFieldRules[field]) : (['own'] as const);
  if (!rules.every((rule) => holds[rule](actor, institutionId))) throw forbidden();
}
