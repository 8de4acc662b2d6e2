import { describe, expect, it } from 'vitest';
import { rowKeyTarget } from './row-keys';

describe('rowKeyTarget', () => {
  it('moves by one, by a page, or to either end, and stays inside the table', () => {
    expect(rowKeyTarget('ArrowDown', 0, 5)).toBe(1);
    expect(rowKeyTarget('ArrowDown', 4, 5)).toBe(4);
    expect(rowKeyTarget('ArrowUp', 0, 5)).toBe(0);
    expect(rowKeyTarget('PageDown', 2, 30)).toBe(12);
    expect(rowKeyTarget('PageUp', 2, 30)).toBe(0);
    expect(rowKeyTarget('Home', 3, 5)).toBe(0);
    expect(rowKeyTarget('End', 0, 5)).toBe(4);
  });

  it('leaves other keys (Tab, letters) to the browser', () => {
    expect(rowKeyTarget('Tab', 0, 5)).toBeNull();
    expect(rowKeyTarget('a', 0, 5)).toBeNull();
    expect(rowKeyTarget('ArrowDown', 0, 0)).toBeNull();
  });
});
