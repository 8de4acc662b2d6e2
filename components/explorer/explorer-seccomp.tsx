/** Seccomp: which processes run under a filter (mode and filter count), and the system calls denied, newest first. */
import type { ExplorerSnapshot } from '../../protocol/explorer';
import type { UIText } from '../ui-text';
import { denialRows, seccompGroups } from './explorer-rows';
import { formatClock } from './format';

/** PIDs listed per seccomp group; a fork bomb should not fill the panel with numbers. */
const LISTED_PIDS = 24;

export function ExplorerSeccomp({ snapshot, highlighted, text }: { snapshot: ExplorerSnapshot; highlighted: boolean; text: UIText }) {
  const tx = text.explorer;
  const denials = denialRows(snapshot);
  return (
    <div className="explorer-section explorer-seccomp" data-section="seccomp" data-highlighted={highlighted ? 'true' : undefined}>
      <h3>{tx.seccomp}</h3>
      <ul className="seccomp-groups">
        {seccompGroups(snapshot.processes).map((g) => (
          <li key={`${g.mode}/${g.filters}`} data-seccomp-mode={g.mode} data-seccomp-filters={g.filters}>
            <span className="seccomp-badge">{tx.seccompMode(g.mode, g.filters)}</span>{' '}
            {tx.pidList(g.pids.slice(0, LISTED_PIDS).join(', ') + (g.pids.length > LISTED_PIDS ? ', …' : ''))}
          </li>
        ))}
      </ul>
      <h4>
        {tx.denials}
        {snapshot.deniedTotal > 0 && <span className="explorer-note"> · {tx.deniedTotal(snapshot.deniedTotal)}</span>}
      </h4>
      {!snapshot.denialsAvailable ? (
        <p className="explorer-note">{tx.denialsUnavailable}</p>
      ) : denials.length === 0 ? (
        <p className="explorer-note">{tx.noDenials}</p>
      ) : (
        <ol className="denials">
          {denials.map((d) => (
            <li key={d.id} data-syscall={d.syscall}>
              <time dateTime={new Date(d.at).toISOString()}>{formatClock(d.at)}</time>
              <code className="denial-syscall">{d.syscall}</code>
              <span>
                PID {d.pid ?? '–'} {d.comm}
              </span>
              <span className="denial-action">{d.action}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
