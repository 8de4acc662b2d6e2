// The shape every benchmark figure shares (issue 5): bench/run.ts collects these from each
// module in bench/figures/ and writes them to bench/results/latest.json and latest.md.

/** One measured figure: a median and p99 over many runs, with its in-run baseline. */
export interface Figure {
  name: string;
  unit: string;
  p50: number;
  p99: number;
  /** The floor of what the machine can do, measured in the same run; null where the issue names none. */
  baseline_p50: number | null;
  /** p50 / baseline_p50; null without a baseline. */
  ratio: number | null;
  /** The target in words, e.g. "p50 ≤ 100 ms, p99 ≤ 300 ms". */
  target: string;
  met: boolean;
  /** optional extra numbers, e.g. per-count costs, samples n */
  detail?: Record<string, number | string>;
}

export interface BenchContext {
  /** http://127.0.0.1:PORT of the one bench server of the run. */
  baseUrl: string;
  /** agent unix socket + token, for figures that need the agent directly */
  agentSocket: string;
  agentToken: string;
  /** The web tier's pid; the agent is its child (scripts/start-like process tree). */
  serverPid: number;
  /** --quick: few iterations, for smoke runs; figures are then indicative only. */
  quick: boolean;
  log(msg: string): void;
}

export type FigureModule = { name: string; run(ctx: BenchContext): Promise<Figure[]> };

/**
 * Nearest-rank percentile (p in [0, 100]) of the samples; NaN for no samples. Nearest rank
 * rather than interpolation so that a reported p99 is a latency that actually happened.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be in [0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  if (p === 0) return sorted[0] as number;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** p50 / baseline, or null when there is no usable baseline. */
export function ratioOf(p50: number, baseline: number | null): number | null {
  if (baseline === null || !Number.isFinite(baseline) || baseline <= 0 || !Number.isFinite(p50)) return null;
  return p50 / baseline;
}
