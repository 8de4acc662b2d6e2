import { describe, expect, it } from 'vitest';
import { percentile, ratioOf } from './figure';

describe('percentile (nearest rank)', () => {
  it('is NaN without samples and refuses p outside [0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('returns a sample that happened, whatever the input order', () => {
    const s = [5, 1, 4, 2, 3];
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 50)).toBe(3);
    expect(percentile(s, 100)).toBe(5);
    expect(percentile(s, 99)).toBe(5);
    expect(s).toEqual([5, 1, 4, 2, 3]); // not sorted in place
  });

  it('p99 of 100 samples is the 99th, of 1000 the 990th', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 50)).toBe(50);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99)).toBe(990);
  });

  it('one sample is every percentile', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('ratioOf', () => {
  it('divides by a usable baseline only', () => {
    expect(ratioOf(3, 2)).toBe(1.5);
    expect(ratioOf(3, null)).toBeNull();
    expect(ratioOf(3, 0)).toBeNull();
    expect(ratioOf(Number.NaN, 2)).toBeNull();
  });
});
