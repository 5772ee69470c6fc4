import type { Role } from '../db/database.ts';
import type { KeyPair } from '../crypto/user-keys.ts';
import { AppError } from '../errors.ts';

/** Who is asking: resolved once per request from the session cookie or an API token. */
export type Actor = {
  userId: string;
  institutionId: string;
  role: Role;
  isPlatformAdmin: boolean;
  ip: string | null;
  /**
   * The user's key pair, opened for this request from the session or API token (src/platform/crypto/user-keys.ts);
   * absent for users without one. Never logged, never stored.
   */
  keys?: KeyPair | null;
};

/**
 * What each role may do, as a table. Record-level rules (which case, which person) live with each
 * module's policy and build on these. Administrators manage accounts, not case content; analysts get
 * aggregates only; auditors read the audit log and nothing else.
 */
export const capabilities = {
  'people.read': ['supervisor', 'caseworker'],
  'people.write': ['supervisor', 'caseworker'],
  // De-duplication: proposals of likely pairs, merge, undo and "not the same person" (src/people/merge.service.ts).
  'people.merge': ['supervisor'],
  'cases.read': ['supervisor', 'caseworker'],
  'cases.write': ['supervisor', 'caseworker'],
  'cases.assign': ['supervisor'],
  'referrals.respond': ['supervisor'],
  'dashboard.aggregates': ['supervisor', 'caseworker', 'analyst', 'administrator'],
  'audit.read': ['auditor'],
  'institutions.manage': ['administrator'],
  'users.manage': ['administrator'],
  'complaints.record': ['complaint_handler', 'supervisor', 'caseworker'],
  'complaints.handle': ['complaint_handler'],
  'complaints.statistics': ['complaint_handler', 'analyst'],
  'statistics.read': ['analyst', 'supervisor'],
  // Missing persons: search officers take reports and found records and review matches; supervisors
  // read their institution's; caseworkers (a consulate's, a shelter's) open reports for families and
  // see the ones they opened.
  'missing.record': ['search_officer', 'supervisor', 'caseworker'],
  'missing.read': ['search_officer', 'supervisor'],
  'missing.review': ['search_officer'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof capabilities;

export function can(actor: Actor, capability: Capability): boolean {
  return (capabilities[capability] as readonly Role[]).includes(actor.role);
}

/** Throws 403 when the role lacks the capability (the resource type is not secret, only records are). */
export function requireCapability(actor: Actor, capability: Capability): void {
  if (!can(actor, capability)) throw new AppError('forbidden', 403);
}
