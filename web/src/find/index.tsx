import { lazy, Suspense } from 'react';

const Search = lazy(() => import('./HeaderSearch.tsx').then((module) => ({ default: module.HeaderSearch })));

/** The header's search box; its code and strings arrive after the shell is drawn (sign-in carries none of it). */
export function HeaderSearch() {
  return (
    <Suspense fallback={null}>
      <Search />
    </Suspense>
  );
}
