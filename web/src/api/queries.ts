import { keepPreviousData, QueryClient, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { api, apiLanguage, ApiError, setWriteHandler, withQuery, type Query } from './client.ts';

/**
 * Reads go through TanStack Query: one cache for the whole app, keyed by the API path's segments
 * (`/api/v1/cases/ID` → `['cases', 'ID']`) and then the query string, so that invalidating
 * `['cases']` refreshes the case list and every case page at once.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A refusal (4xx) will not change by asking again; a network or server error may.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      // Filters and pages keep showing the previous result until the next one arrives.
      placeholderData: keepPreviousData,
    },
  },
});

export function apiKey(path: string, query?: Query): unknown[] {
  const segments = path.replace(/^\/api\/v1\//, '').split('/').filter(Boolean);
  return query ? [...segments, withQuery('', query)] : segments;
}

/**
 * A GET through the cache; `path: null` waits (nothing to ask yet). The language ends the key: the
 * server translates messages and labels, so a switch of language asks again.
 */
export function useApi<T, R = T>(path: string | null, query?: Query, options: Omit<UseQueryOptions<T, Error, R>, 'queryKey' | 'queryFn'> = {}) {
  return useQuery<T, Error, R>({
    queryKey: path === null ? ['idle'] : [...apiKey(path, query), apiLanguage()],

    queryFn: () => api.get<T>(path!, query),
    enabled: path !== null,
    ...options,
  });
}

/**
 * What a write changes beyond its own resource: a referral answered opens a case; any change to a
 * case, a person or a referral moves the dashboard's figures; a reviewed match notifies.
 */
const alsoAffected: Record<string, string[]> = {
  cases: ['dashboard', 'referrals', 'people'],
  referrals: ['cases', 'dashboard'],
  people: ['cases', 'missing'],
  missing: ['notifications', 'people'],
  notifications: ['missing'],
  // A screening's answers and referrals show on its case (its list, its referrals).
  screenings: ['cases', 'referrals'],
  // The second factor is set up under /auth/totp and shown under /account.
  auth: ['account'],
};

/**
 * After a successful write to `/api/v1/<resource>/…`, the reads of that resource (and of those it
 * affects) on screen are fetched again, and those off screen are dropped: going back to a list after
 * forwarding a complaint must not show the complaint for a moment.
 */
setWriteHandler((path) => {
  const resource = apiKey(path)[0] as string | undefined;
  if (!resource) return Promise.resolve();
  const keys = [resource, ...(alsoAffected[resource] ?? [])];
  for (const key of keys) queryClient.removeQueries({ queryKey: [key], type: 'inactive' });
  return Promise.all(keys.map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
});

