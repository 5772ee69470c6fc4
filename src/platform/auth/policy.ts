import type { Role } from '../db/database.ts';
import type { KeyPair } from '../crypto/key-pair.ts';
import { forbidden } from '../errors.ts';

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
 * Who holds a capability: a role in the actor's current institution, or `platform_admin` for the
 * platform's administrators (a flag on the user, whatever their role), who run the whole installation.
 */
export type Holder = Role | 'platform_admin';

/**
 * What each role may do, as a table. Record-level rules (which case, which person) live with each
 * module's policy (`*.policy.ts`) and build on these. Administrators manage accounts, not case content;
 * analysts get aggregates only; auditors read the audit log and nothing else.
 */
export const capabilities = {
  'people.read': ['supervisor', 'caseworker', 'child_protection_officer'],
  'people.write': ['supervisor', 'caseworker', 'child_protection_officer'],
  // Identity documents and contact details of every person of the institution; other readers see them
  // only for people they registered or whose case they can see (src/people/person.policy.ts).
  'people.read_details': ['supervisor'],
  // De-duplication: proposals of likely pairs, merge, undo and "not the same person" (src/people/merge.service.ts).
  'people.merge': ['supervisor'],
  'cases.read': ['supervisor', 'caseworker', 'child_protection_officer'],
  // Every case of the institution; caseworkers see those assigned or opened to them (src/cases/case.policy.ts).
  'cases.read_all': ['supervisor'],
  'cases.write': ['supervisor', 'caseworker', 'child_protection_officer'],
  // Holders may be assigned cases and take them (the assignee list, checks on assignment).
  'cases.take': ['supervisor', 'caseworker', 'child_protection_officer'],
  // Open a case assigned to someone else (or to no one); a caseworker's new case is their own.
  'cases.assign': ['supervisor'],
  // Closing and reopening are a supervisor's decision (the brief: supervisors approve closures).
  'cases.close': ['supervisor'],
  // Answer referrals, and see every referral received by the institution (not only those that became one's cases).
  'referrals.respond': ['supervisor'],
  'dashboard.aggregates': ['supervisor', 'caseworker', 'analyst', 'administrator', 'child_protection_officer'],
  'audit.read': ['auditor'],
  // The administrator's own institution (MFA policy); platform administrators, any institution.
  'institutions.manage': ['administrator'],
  'institutions.create': ['platform_admin'],
  // Prometheus metrics of the installation (latency, pool, queues): no personal data, but not for everyone.
  'metrics.read': ['platform_admin'],
  'institutions.manage_any': ['platform_admin'],
  // Accounts of the administrator's own institution; platform administrators, any account.
  'users.manage': ['administrator'],
  'users.manage_any': ['platform_admin'],
  // Bulk CSV imports run from the administration screens (src/imports/): an institution's data
  // migration. The importer writes records and reads none back: the report names rows and external ids.
  'records.import': ['administrator'],
  // The list of users who can take cases, to assign them.
  'users.list_assignable': ['supervisor'],
  'complaints.record': ['complaint_handler', 'supervisor', 'caseworker'],
  // Handlers hold their unit's keys (src/complaints/keys.ts): only these roles get a key pair.
  'complaints.handle': ['complaint_handler'],
  'complaints.statistics': ['complaint_handler', 'analyst', 'platform_admin'],
  // Exact counts (no suppression of small cells): those who handle the complaints anyway.
  'complaints.statistics_exact': ['complaint_handler', 'platform_admin'],
  // Figures of every unit, not only one's own.
  'complaints.statistics_all': ['platform_admin'],
  // Default unit, overdue limits, retention, routing rules.
  'complaints.configure': ['platform_admin'],
  'statistics.read': ['analyst', 'supervisor'],
  // Missing persons: search officers take reports and found records and review matches; supervisors
  // read their institution's; caseworkers (a consulate's, a shelter's) open reports for families and
  // see the ones they opened.
  'missing.record': ['search_officer', 'supervisor', 'caseworker'],
  'missing.read': ['search_officer', 'supervisor'],
  'missing.review': ['search_officer'],
  // Which institution receives the reports families file on the public page.
  'missing.configure': ['platform_admin'],
  // The public front door (src/public): who runs the service, its privacy notice, and the information pages (national content, not one institution's).
  'public_site.configure': ['platform_admin'],
  'information.edit': ['platform_admin'],
  // Child protection (src/children): child-protection officers of the Procuraduría or DIF keep the
  // child's file; which files they see follows the case rules (src/cases/case.policy.ts).
  'children.read': ['child_protection_officer', 'supervisor'],
  'children.write': ['child_protection_officer', 'supervisor'],
  // A best-interests determination is approved by a supervisor, never by the panel that made it.
  'children.approve': ['supervisor'],
  // Who may be named to a best-interests panel (and then reads that one child's file, for the panel's
  // duration, after accepting the confidentiality undertaking).
  'children.panel': ['child_protection_officer', 'supervisor', 'caseworker'],
  // The public services directory (src/directory): editors keep their institution's entries; a second
  // person of the institution (another editor, or a supervisor) publishes them (src/directory/directory.policy.ts).
  'directory.edit': ['directory_editor'],
  'directory.review': ['directory_editor', 'supervisor'],
  // Screenings (src/screenings): given inside a case by those who keep cases; which screenings follows
  // the case rules (src/cases/case.policy.ts): one's own cases, every case for a supervisor.
  'screenings.give': ['supervisor', 'caseworker', 'child_protection_officer'],
  // The instruments are the installation's, the same for every institution: a new instrument or a new
  // version is added by the platform's administrators (src/screenings/instrument.service.ts).
  'screenings.manage_instruments': ['platform_admin'],
  // Outreach events (src/outreach): staff of a consulate or another unit record their own institution's
  // events and attendance; which event whose author may correct is in src/outreach/outreach.policy.ts.
  // Analysts count them through the statistics only (statistics.read, disclosure control).
  'outreach.record': ['supervisor', 'caseworker'],
  // Correct or delete any event of the institution, not only one's own.
  'outreach.correct_any': ['supervisor'],
  // The unit's dashboard (a consulate head's view): its cases, events and attendance of the period.
  'outreach.dashboard': ['supervisor'],
  // Programme resources (src/resources): the points a programme runs (contact points, deployment
  // points), the municipalities each covers and its staff, kept by the administrator of the institution
  // that runs the programme (its coordination), from the administration screens.
  'resources.manage': ['administrator'],
  // Rescues and transfers of the institution's points, as aggregate counts (nobody is named).
  'operations.record': ['supervisor', 'caseworker'],
} as const satisfies Record<string, readonly Holder[]>;

export type Capability = keyof typeof capabilities;

const holders = (capability: Capability): readonly Holder[] => capabilities[capability];

/** Whether a role, by itself, holds the capability (for memberships other than the current one). */
export function roleCan(role: Role, capability: Capability): boolean {
  return holders(capability).includes(role);
}

/** The roles that hold a capability, for queries over memberships (e.g. who can be assigned a case). */
export function rolesWith(capability: Capability): Role[] {
  return holders(capability).filter((h): h is Role => h !== 'platform_admin');
}

export function can(actor: Actor, capability: Capability): boolean {
  return roleCan(actor.role, capability) || (actor.isPlatformAdmin && holders(capability).includes('platform_admin'));
}

/** Every capability the actor holds (the web app shows what they may do from this, not from role names). */
export function capabilitiesOf(actor: Actor): Capability[] {
  return (Object.keys(capabilities) as Capability[]).filter((c) => can(actor, c));
}

/**
 * Capabilities whose holders need a second factor by default (issue 14): reading complaints. The
 * platform administrator may turn the default off for an institution (`complaint_handlers_mfa`);
 * an institution's own `require_mfa` asks it of everyone.
 */
const secondFactorByDefault: Capability[] = ['complaints.handle'];

/** Whether a member with this role needs a second factor in an institution with these settings. */
export function secondFactorRequired(role: Role, institution: { require_mfa: boolean; complaint_handlers_mfa: boolean }): boolean {
  return institution.require_mfa || (institution.complaint_handlers_mfa && secondFactorByDefault.some((c) => roleCan(role, c)));
}

/** Throws 403 when the role lacks the capability (the resource type is not secret, only records are). */
export function requireCapability(actor: Actor, capability: Capability): void {
  if (!can(actor, capability)) throw forbidden();
}
