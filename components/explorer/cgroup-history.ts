/**
 * A short memory history per cgroup, kept by the page (the server sends only the present), so a
 * memory hog is seen climbing toward its limit. One sample per snapshot: about one a second,
 * plus one right after each command, so the x axis is "recent updates", not exact seconds.
 */
import type { ExplorerSnapshot } from '../../protocol/explorer';

/** Samples kept per cgroup: about a minute at the server's pace. */
export const HISTORY_SAMPLES = 60;

export type UsageHistory = ReadonlyMap<string, readonly number[]>;

export const NO_HISTORY: UsageHistory = new Map();

/** `prev` plus the memory usage of each cgroup in `snapshot`; cgroups that are gone are dropped. */
export function recordUsage(prev: UsageHistory, snapshot: ExplorerSnapshot): UsageHistory {
  const next = new Map<string, readonly number[]>();
  for (const c of snapshot.cgroups) {
    if (!c.memory) continue;
    const samples = [...(prev.get(c.path) ?? []), c.memory.usage];
    next.set(c.path, samples.length > HISTORY_SAMPLES ? samples.slice(-HISTORY_SAMPLES) : samples);
  }
  return next;
}

/** `value / limit` clamped to 0..1; null when there is no limit to measure against. */
export function fraction(value: number, limit: number | null): number | null {
  if (limit === null || limit <= 0) return null;
  return Math.min(1, Math.max(0, value / limit));
}

/**
 * SVG polyline points for `samples` in a `width`×`height` box, scaled so `ceiling` (the limit,
 * or the highest sample when there is none) touches the top. The newest sample sits at the right
 * edge, so a short history grows in from the right.
 */
export function sparklinePoints(samples: readonly number[], ceiling: number, width: number, height: number): string {
  if (samples.length === 0) return '';
  const top = Math.max(ceiling, ...samples, 1);
  const step = width / (HISTORY_SAMPLES - 1);
  const start = width - step * (samples.length - 1);
  return samples
    .map((v, i) => {
      const x = start + step * i;
      const y = height - (Math.min(v, top) / top) * height;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number): number => Math.round(n * 10) / 10;
