import { Empty } from './index.tsx';
import type { ReactNode } from 'react';

/** A titled card of a record's page (a case file, a complaint), with the number of items it lists. */
export function Section({ id, title, count, children }: { id: string; title: string; count?: number; children: ReactNode }) {
  return (
    <section className="card section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>
        {title}
        {count !== undefined && <span className="count"> ({count})</span>}
      </h2>
      {children}
    </section>
  );
}

/**
 * A section that lists a record's items (notes, files, messages, packages): their number beside the
 * title, a sentence instead of the list when there are none, and what follows the list (a form).
 */
export function ItemsSection<T>({ id, title, items, empty, children, after }: { id: string; title: string; items: T[]; empty: string; children: (items: T[]) => ReactNode; after?: ReactNode }) {
  return (
    <Section id={id} title={title} count={items.length}>
      {items.length === 0 ? <Empty>{empty}</Empty> : children(items)}
      {after}
    </Section>
  );
}

/** Terms and their values as a description list; `wrap` keeps the value's line breaks. */
export function Details({ rows, wrap }: { rows: [string, ReactNode][]; wrap?: boolean }) {
  return (
    <dl className="details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd className={wrap ? 'prewrap' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
