/** The run's results as JSON and as a Markdown table (bench/results/latest.{json,md}). Pure. */
import type { Figure } from '../figure';

/** A number for a table: three significant digits, no exponent, no trailing zeros. */
export function formatNumber(n: number | null): string {
  if (n === null) return '–';
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const abs = Math.abs(n);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(abs)));
  return String(Number(n.toFixed(decimals)));
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(figures: readonly Figure[]): string {
  const head = '| figure | unit | p50 | p99 | baseline p50 | ratio | target | met |\n|---|---|---:|---:|---:|---:|---|:---:|';
  const rows = figures.map((f) =>
    [
      `\`${f.name}\``,
      f.unit,
      formatNumber(f.p50),
      formatNumber(f.p99),
      formatNumber(f.baseline_p50),
      f.ratio === null ? '–' : `${formatNumber(f.ratio)}×`,
      f.target,
      f.met ? 'yes' : '**no**',
    ]
      .map(cell)
      .join(' | '),
  );
  return [head, ...rows.map((r) => `| ${r} |`)].join('\n');
}

/** The `detail` of every figure that has one, as a list under the table. */
export function markdownDetails(figures: readonly Figure[]): string {
  const lines: string[] = [];
  for (const f of figures) {
    if (!f.detail || Object.keys(f.detail).length === 0) continue;
    const parts = Object.entries(f.detail).map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : v}`);
    lines.push(`- \`${f.name}\`: ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

export interface RunMeta {
  startedAt: string;
  durationSec: number;
  quick: boolean;
  machine: string;
  /** Modules that threw, with their message. */
  errors: Array<{ module: string; error: string }>;
}

export function markdownReport(figures: readonly Figure[], meta: RunMeta): string {
  const out = [
    `# Benchmark results`,
    '',
    `${meta.startedAt}, ${meta.machine}, ${Math.round(meta.durationSec)} s${meta.quick ? ', **--quick** (few iterations: indicative only)' : ''}.`,
    '',
    markdownTable(figures),
  ];
  const details = markdownDetails(figures);
  if (details) out.push('', details);
  if (meta.errors.length) out.push('', '**Modules that failed:**', '', ...meta.errors.map((e) => `- ${e.module}: ${e.error}`));
  return `${out.join('\n')}\n`;
}
