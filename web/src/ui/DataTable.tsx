import type { ReactNode } from 'react';

/** One column of a `DataTable`: its header and how a row fills its cell. */
export type Column<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  /** The cell names its row (`<th scope="row">`): the folio, the name. */
  rowHeader?: boolean;
  /** The header is read by screen readers only (a column of buttons). */
  hideHeader?: boolean;
  /** Whether the cell carries its header as `data-label` (shown beside it on a phone); default: the table's `responsive`. */
  label?: boolean;
  className?: string;
  headerClassName?: string;
};

/**
 * A table of records inside its own scrolling box (a wide table never makes the page scroll sideways
 * at 360 px). `responsive` turns each row into a card on a phone, every cell labelled by its header;
 * `region` (or `regionLabel`) makes the box focusable and named (by the heading with that id, or that text) for keyboard scrolling.
 */
export function DataTable<T>({
  rows,
  rowKey,
  columns,
  caption,
  className = '',
  responsive = true,
  region,
  regionLabel,
}: {
  rows: T[];
  rowKey: (row: T) => string | number;
  columns: (Column<T> | false)[];
  /** Said to screen readers only. */
  caption?: string;
  className?: string;
  responsive?: boolean;
  region?: string;
  /** The scrolling box's name when no heading names it. */
  regionLabel?: string;
}) {
  const shown = columns.filter((c): c is Column<T> => c !== false);
  const tableClass = ['table', responsive ? 'table--responsive' : '', className].filter(Boolean).join(' ');
  return (
    <div className="table-wrap" {...(region ? { tabIndex: 0, role: 'region', 'aria-labelledby': region } : regionLabel ? { tabIndex: 0, role: 'region', 'aria-label': regionLabel } : {})}>
      <table className={tableClass}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c.header} scope="col" className={c.headerClassName}>
                {c.hideHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {shown.map((c) => {
                const props = { className: c.className, 'data-label': (c.label ?? responsive) ? c.header : undefined };
                return c.rowHeader ? (
                  <th key={c.header} scope="row" {...props}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} {...props}>
                    {c.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
