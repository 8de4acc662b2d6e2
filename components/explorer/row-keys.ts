/**
 * Keyboard movement between the rows of the table view: one tab stop per table (roving
 * tabindex, WAI-ARIA APG "grid" pattern reduced to rows), arrows and Home/End inside it.
 */

const PAGE = 10;

/** The row to focus after `key` on row `index` of `count`; null when the key is not ours. */
export function rowKeyTarget(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(index + 1);
    case 'ArrowUp':
      return clamp(index - 1);
    case 'PageDown':
      return clamp(index + PAGE);
    case 'PageUp':
      return clamp(index - PAGE);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
