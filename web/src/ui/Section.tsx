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
