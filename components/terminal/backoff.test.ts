import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, reconnectDelay } from './backoff';

describe('reconnectDelay', () => {
  it('doubles from 250 ms up to the 5 s cap without jitter', () => {
    const none = (): number => 0;
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => reconnectDelay(a, none))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('jitters downwards by at most 30 %', () => {
    expect(reconnectDelay(0, () => 1)).toBe(Math.round(BACKOFF_BASE_MS * 0.7));
    expect(reconnectDelay(10, () => 1)).toBe(Math.round(BACKOFF_MAX_MS * 0.7));
    for (let i = 0; i < 100; i++) {
      const d = reconnectDelay(i % 8);
      expect(d).toBeGreaterThanOrEqual(BACKOFF_BASE_MS * 0.7 - 1);
      expect(d).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    }
  });
});
