import { createContext, useContext } from 'react';
import type { Capability, Session } from '../api/client.ts';

export type SessionApi = { session: Session; refresh: () => Promise<void>; signOut: () => Promise<void> };
export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

/**
 * What the signed-in role may do, as the server reports it (`capabilities` of GET /api/v1/auth/session,
 * from src/platform/auth/policy.ts): menus and buttons follow the server's table instead of a copy.
 */
export function useCan(): (capability: Capability) => boolean {
  const { session } = useSession();
  return (capability) => session.capabilities.includes(capability);
}
