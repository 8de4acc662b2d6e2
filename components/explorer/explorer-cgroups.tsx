/**
 * The learner's cgroups: memory against its limit as a bar plus a sparkline of the last minute
 * (history kept by the page), pids against theirs, and the counters that say a limit bit
 * (failcnt, OOM kills, refused forks). Words say "at the limit", not only the bar's colour.
 */
import type { ExplorerCgroup } from '../../protocol/explorer';
import type { UIText } from '../ui-text';
import { fraction, sparklinePoints, type UsageHistory } from './cgroup-history';
import { cgroupDepth } from './explorer-rows';
import { formatBytes } from './format';

/** From this share of the limit on, a bar says it is at the limit (the kernel reclaims before 100 %). */
const AT_LIMIT = 0.95;
const SPARK_W = 120;
const SPARK_H = 22;

function Meter({ label, value, limit, format, samples, text }: { label: string; value: number; limit: number | null; format(n: number): string; samples?: readonly number[]; text: UIText }) {
  const tx = text.explorer;
  const f = fraction(value, limit);
  const full = f !== null && f >= AT_LIMIT;
  const words = limit === null ? `${format(value)} (${tx.noLimit})` : tx.ofLimit(format(value), format(limit));
  return (
    <div className="meter-row" data-full={full ? 'true' : undefined}>
      <span className="meter-label">{label}</span>
      <span className="meter" role="img" aria-label={`${label}: ${words}${full ? `, ${tx.nearLimit}` : ''}`}>
        <span className="meter-fill" style={{ width: `${(f ?? 0) * 100}%` }} />
      </span>
      {samples && samples.length > 0 && (
        <svg className="sparkline" viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} width={SPARK_W} height={SPARK_H} aria-hidden="true">
          {limit !== null && <line className="sparkline-limit" x1="0" y1="0.5" x2={SPARK_W} y2="0.5" />}
          <polyline className="sparkline-line" points={sparklinePoints(samples, limit ?? 0, SPARK_W, SPARK_H)} />
        </svg>
      )}
      <span className="meter-text">
        {words}
        {full && <strong className="meter-warning"> {tx.nearLimit}</strong>}
      </span>
    </div>
  );
}

function Counters({ c, text }: { c: ExplorerCgroup; text: UIText }) {
  const tx = text.explorer;
  const items: string[] = [];
  if (c.memory?.peak != null) items.push(tx.peak(formatBytes(c.memory.peak)));
  if (c.memory && c.memory.failcnt > 0) items.push(tx.hitLimit(c.memory.failcnt));
  if (c.memory && c.memory.oomKills > 0) items.push(tx.oomKills(c.memory.oomKills));
  if (c.pids && c.pids.refused > 0) items.push(tx.forksRefused(c.pids.refused));
  if (items.length === 0) return null;
  const alarming = (c.memory?.oomKills ?? 0) > 0 || (c.pids?.refused ?? 0) > 0;
  return <p className={alarming ? 'cgroup-counters cgroup-counters-alarm' : 'cgroup-counters'}>{items.join(' · ')}</p>;
}

export function ExplorerCgroups({
  cgroups,
  omitted,
  history,
  highlighted,
  text,
}: {
  cgroups: ExplorerCgroup[];
  omitted: number;
  history: UsageHistory;
  highlighted: boolean;
  text: UIText;
}) {
  const tx = text.explorer;
  return (
    <div className="explorer-section explorer-cgroups" data-section="cgroups" data-highlighted={highlighted ? 'true' : undefined}>
      <h3>{tx.cgroups}</h3>
      <ul className="cgroup-list">
        {cgroups.map((c) => (
          <li key={c.path} className="cgroup-row" data-cgroup-path={c.path} style={{ marginLeft: `${Math.min(cgroupDepth(c.path), 8)}rem` }}>
            <p className="cgroup-head">
              <code>{c.path}</code> <span className="explorer-note">{tx.nsProcesses(c.procs)}</span>
            </p>
            {c.memory && <Meter label={tx.memory} value={c.memory.usage} limit={c.memory.limit} format={formatBytes} samples={history.get(c.path)} text={text} />}
            {c.pids && <Meter label={tx.pids} value={c.pids.current} limit={c.pids.limit} format={String} text={text} />}
            <Counters c={c} text={text} />
          </li>
        ))}
      </ul>
      {omitted > 0 && <p className="explorer-note">{tx.moreCgroups(omitted)}</p>}
    </div>
  );
}
