'use client';
/**
 * A real <table> whose body is one tab stop: the focused row holds tabIndex 0, arrows, Page
 * Up/Down, Home and End move between rows (row-keys.ts). Screen readers' own table navigation
 * works on top, since it is plain table markup with a caption and column headers.
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { rowKeyTarget } from './row-keys';

export interface NavRow {
  key: string | number;
  /** data-* attributes for tests and styles. */
  data: Record<`data-${string}`, string | number | undefined>;
  /** The first cell is the row's header (th scope=row). */
  cells: ReactNode[];
}

export function NavTable({ caption, head, rows }: { caption: string; head: string[]; rows: NavRow[] }) {
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(0, rows.length - 1));

  const rowIndex = (target: EventTarget, body: HTMLTableSectionElement): number => {
    const tr = target instanceof Element ? target.closest('tr') : null;
    return tr ? Array.prototype.indexOf.call(body.rows, tr) : -1;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const body = event.currentTarget;
    const from = rowIndex(event.target, body);
    if (from < 0) return;
    const to = rowKeyTarget(event.key, from, body.rows.length);
    if (to === null) return;
    event.preventDefault();
    setActive(to);
    body.rows[to]?.focus();
  };

  return (
    <table className="explorer-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          const i = rowIndex(event.target, event.currentTarget);
          if (i >= 0) setActive(i);
        }}
      >
        {rows.map((row, i) => (
          <tr key={row.key} tabIndex={i === current ? 0 : -1} {...row.data}>
            {row.cells.map((cell, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={j}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
