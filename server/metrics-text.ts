/**
 * Reading the Prometheus text format back (exposition format 0.0.4): for tests and the
 * benchmarks, which scrape /metrics and compare before with after. Samples only; HELP and TYPE
 * lines are skipped. Label values here never hold `"`, `,` or `}` (our labels are fixed words).
 */

/** `name{label="value",…}` (labels as written) → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** One sample's value, by name and labels in any order; 0 when absent (a counter not yet moved). */
export function sample(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const [key, value] of metrics) {
    const brace = key.indexOf('{');
    const n = brace < 0 ? key : key.slice(0, brace);
    if (n !== name) continue;
    const have = brace < 0 ? [] : key.slice(brace + 1, -1).split(',').filter((s) => s !== '').sort();
    if (have.length === want.length && have.every((h, i) => h === want[i])) return value;
  }
  return 0;
}
