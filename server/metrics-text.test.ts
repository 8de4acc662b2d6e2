import { describe, expect, it } from 'vitest';
import { parseMetrics, sample } from './metrics-text';

const TEXT = `# HELP lab_web_terminals_open Browser terminal connections.
# TYPE lab_web_terminals_open gauge
lab_web_terminals_open 3
lab_web_errors_total{kind="internal"} 0
lab_web_errors_total{kind="agent_lost"} 2
lab_web_http_requests_total{route="api",status="200"} 7
lab_web_check_duration_seconds_bucket{le="0.5"} 4
lab_web_check_duration_seconds_count 5
`;

describe('parseMetrics / sample', () => {
  it('reads samples by name and labels, in any label order', () => {
    const m = parseMetrics(TEXT);
    expect(sample(m, 'lab_web_terminals_open')).toBe(3);
    expect(sample(m, 'lab_web_errors_total', { kind: 'agent_lost' })).toBe(2);
    expect(sample(m, 'lab_web_http_requests_total', { status: '200', route: 'api' })).toBe(7);
    expect(sample(m, 'lab_web_check_duration_seconds_count')).toBe(5);
    expect(sample(m, 'lab_web_check_duration_seconds_bucket', { le: '0.5' })).toBe(4);
  });

  it('gives 0 for what is not there, and skips comments', () => {
    const m = parseMetrics(TEXT);
    expect(sample(m, 'lab_web_errors_total', { kind: 'nope' })).toBe(0);
    expect(sample(m, 'lab_web_errors_total')).toBe(0);
    expect([...m.keys()].some((k) => k.startsWith('#'))).toBe(false);
  });
});
