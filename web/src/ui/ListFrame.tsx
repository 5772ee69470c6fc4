import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { withQuery } from '../api/client.ts';
import { navigate, useLocation } from '../app/router.tsx';
import { LoadError, Loading } from './index.tsx';

/**
 * A list's filters kept in the address (so that a filtered list can be bookmarked or shared): what is
 * applied, the draft being edited in the form, the offset of the page, and going to another list.
 */
export function useAddressFilters<K extends string>(keys: readonly K[], path: string) {
  type Filters = Record<K, string>;
  const { query } = useLocation();
  const applied = Object.fromEntries(keys.map((k) => [k, query.get(k) ?? ''])) as Filters;
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const [draft, setDraft] = useState<Filters>(applied);
  const go = (filters: Filters, nextOffset = 0) => navigate(withQuery(path, { ...filters, offset: nextOffset || undefined }));
  const none = Object.fromEntries(keys.map((k) => [k, ''])) as Filters;
  return {
    applied,
    offset,
    draft,
    setDraft,
    go,
    setField: (k: K) => (v: string) => setDraft((d) => ({ ...d, [k]: v })),
    clear: () => {
      setDraft(none);
      go(none);
    },
  };
}

/** The filters of a list: a search landmark, its fields, then apply (refused while `invalid`) and clear. */
export function FilterForm({ label, onApply, onClear, invalid, children }: { label: string; onApply: () => void; onClear: () => void; invalid?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
  };
  return (
    <form className="filters card" onSubmit={submit} role="search" aria-label={label}>
      {children}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={invalid}>
          {t('filters.apply')}
        </button>
        <button type="button" className="button button--secondary" onClick={onClear}>
          {t('filters.clear')}
        </button>
      </div>
    </form>
  );
}

/** `from` after `to` is refused in words on the `to` field. */
export function useRangeError(from: string, to: string) {
  const { t } = useTranslation();
  return from && to && from > to ? t('validation.rangeOrder') : undefined;
}

/**
 * The results of a list under its (usually hidden) heading: loading, a load error with retry, then
 * what `children` draw from the data. `firstLoadOnly` keeps the rows in sight while the next page loads.
 */
export function ListResults<D>({
  id,
  title,
  showTitle,
  result: { data, error, isFetching, refetch },
  firstLoadOnly,
  children,
}: {
  id: string;
  title: string;
  showTitle?: boolean;
  result: { data: D | undefined; error: unknown; isFetching: boolean; refetch: () => unknown };
  firstLoadOnly?: boolean;
  children: (data: D) => ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="section">
      <h2 id={id} className={showTitle ? undefined : 'visually-hidden'}>
        {title}
      </h2>
      {isFetching && !(firstLoadOnly && data) && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && children(data)}
    </section>
  );
}

/** How many the list holds, said to screen readers when it changes. */
export function ResultCount({ children }: { children: ReactNode }) {
  return (
    <p className="result-count" role="status">
      {children}
    </p>
  );
}
