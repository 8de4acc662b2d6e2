import { describe, expect, it } from 'vitest';
import type { Figure } from '../figure';
import { formatNumber, markdownReport, markdownTable } from './report';

const fig = (over: Partial<Figure> = {}): Figure => ({
  name: 'echo_rtt_idle',
  unit: 'ms',
  p50: 0.41234,
  p99: 1.9,
  baseline_p50: 0.2,
  ratio: 2.06,
  target: 'p50 ≤ 1 ms',
  met: false,
  ...over,
});

describe('formatNumber', () => {
  it('keeps about three significant digits without exponents', () => {
    expect(formatNumber(1234.5)).toBe('1235');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.41234)).toBe('0.412');
    expect(formatNumber(0.001234)).toBe('0.00123');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});

describe('markdownTable', () => {
  it('has one row per figure, the ratio with ×, unmet targets in bold', () => {
    const t = markdownTable([fig(), fig({ name: 'flood_memory', baseline_p50: null, ratio: null, met: true, target: 'a | b' })]);
    const lines = t.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('| `echo_rtt_idle` | ms | 0.412 | 1.9 | 0.2 | 2.06× | p50 ≤ 1 ms | **no** |');
    expect(lines[3]).toBe('| `flood_memory` | ms | 0.412 | 1.9 | – | – | a \\| b | yes |');
  });
});

describe('markdownReport', () => {
  it('lists details and failed modules under the table', () => {
    const md = markdownReport([fig({ detail: { n: 500, note: 'x' } })], {
      startedAt: '2026-01-01T00:00:00.000Z',
      durationSec: 61.2,
      quick: true,
      machine: '2 × cpu',
      errors: [{ module: 'page', error: 'no chromium' }],
    });
    expect(md).toContain('--quick');
    expect(md).toContain('- `echo_rtt_idle`: n 500, note x');
    expect(md).toContain('- page: no chromium');
  });
});
