import { createContext, useContext } from 'react';
import type { Role, Session } from '../api/client.ts';

export type SessionApi = { session: Session; refresh: () => Promise<void>; signOut: () => Promise<void> };
export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

/** What each role finds in the navigation; mirrors the server's capability table. */
export const roleCan = {
  cases: (role: Role) => role === 'supervisor' || role === 'caseworker',
  dashboard: (role: Role) => role === 'supervisor' || role === 'caseworker' || role === 'analyst' || role === 'administrator',
  audit: (role: Role) => role === 'auditor',
  admin: (role: Role) => role === 'administrator',
  supervise: (role: Role) => role === 'supervisor',
  /** `statistics.read`: aggregates, exports and reports. */
  statistics: (role: Role) => role === 'analyst' || role === 'supervisor',
  /** `complaints.record`: take a complaint by phone or in person. */
  recordComplaints: (role: Role) => role === 'complaint_handler' || role === 'supervisor' || role === 'caseworker',
  /** `missing.record`: reports and found records (caseworkers see the ones they opened). */
  recordMissing: (role: Role) => role === 'search_officer' || role === 'supervisor' || role === 'caseworker',
  /** `missing.read`: the institution's reports and found records. */
  readMissing: (role: Role) => role === 'search_officer' || role === 'supervisor',
  /** `missing.review`: the matches. */
  reviewMissing: (role: Role) => role === 'search_officer',
};
