/**
 * The picture of processes and namespaces: one chip per namespace (its label, its processes,
 * `pid:[inode]` on hover or focus), then the process tree with both PIDs and one coloured cell
 * per namespace type, so processes that share a namespace form a band down its column.
 */
import type { UIText } from '../ui-text';
import { namespaceList, type ProcessRow } from './explorer-rows';
import type { HighlightTarget, NamespaceGroup } from './namespaces';
import { namespaceLabel } from './panel-text';

/** Members listed on a namespace chip; the rest are counted. */
const CHIP_MEMBERS = 6;

export function ExplorerProcesses({
  rows,
  groups,
  omitted,
  target,
  selectedPid,
  onSelect,
  text,
}: {
  rows: ProcessRow[];
  groups: NamespaceGroup[];
  omitted: number;
  target: HighlightTarget;
  selectedPid: number | null;
  onSelect(pid: number): void;
  text: UIText;
}) {
  const tx = text.explorer;
  const types = [...new Set(groups.map((g) => g.type))];
  const highlightedId = target?.kind === 'namespace' ? target.id : null;
  return (
    <div className="explorer-section explorer-processes" data-section="processes">
      <h3>{tx.processes}</h3>
      {target?.kind === 'namespace' && target.id === null && (
        <p className="explorer-note">{tx.nsWaiting(tx.nsTypes[target.type] ?? target.type)}</p>
      )}
      <ul className="ns-groups" aria-label={tx.namespaces}>
        {groups.map((g) => {
          const tipId = `ns-tip-${g.type}-${g.inode}`;
          return (
            <li
              key={g.id}
              className="ns-group"
              tabIndex={0}
              aria-describedby={tipId}
              data-ns-type={g.type}
              data-ns-inode={g.inode}
              data-ns-base={String(g.base)}
              data-ns-colour={g.colour ?? 'base'}
              data-highlighted={g.id === highlightedId ? 'true' : undefined}
            >
              <span className="ns-name">{namespaceLabel(g, text)}</span>
              {g.base ? (
                <span className="ns-count">{tx.nsProcesses(g.members.length)}</span>
              ) : (
                <span className="ns-members">
                  {g.members.slice(0, CHIP_MEMBERS).map((m) => {
                    const own = m.nspid[m.nspid.length - 1] ?? m.pid;
                    return (
                      <span key={m.pid} className="ns-member" data-member-pid={m.pid} data-member-nspid={own}>
                        <span className="pid-outer">{m.pid}</span>
                        {own !== m.pid && (
                          <>
                            <span aria-hidden="true"> → </span>
                            <span className="visually-hidden">, </span>
                            <span className="pid-inner">{own}</span>
                          </>
                        )}{' '}
                        {m.comm}
                      </span>
                    );
                  })}
                  {g.members.length > CHIP_MEMBERS && <span className="ns-count">{tx.moreProcesses(g.members.length - CHIP_MEMBERS)}</span>}
                </span>
              )}
              <span className="ns-tip" role="tooltip" id={tipId}>
                {g.id}
              </span>
            </li>
          );
        })}
      </ul>
      <ol className="proc-tree" aria-label={tx.processesTable}>
        <li className="proc-head" aria-hidden="true">
          <span className="proc-head-pids">
            <abbr title={tx.pidOutside}>PID</abbr> → <abbr title={tx.pidInside}>PID</abbr>
          </span>
          <span className="proc-ns">
            {types.map((type) => (
              <span key={type} className="ns-cell ns-cell-head">
                {type}
              </span>
            ))}
          </span>
        </li>
        {rows.map((r) => {
          const selected = r.pid === selectedPid;
          const pidNs = r.namespaces.find((g) => g.type === 'pid');
          const command = r.process.cmdline || `[${r.process.comm}]`;
          return (
            <li key={r.pid} className="proc-row" data-pid={r.pid} data-nspid={r.ownPid} data-ns={namespaceList(r)} data-selected={selected ? 'true' : undefined}>
              <button
                type="button"
                className="proc-button"
                aria-pressed={selected}
                aria-label={tx.processButton(r.pid, r.ownPid, command)}
                style={{ paddingLeft: `${Math.min(r.depth, 12) * 0.9 + 0.3}rem` }}
                onClick={() => onSelect(r.pid)}
              >
                <span className="proc-pids">
                  <span className="pid-outer" title={tx.pidOutside}>
                    {r.pid}
                  </span>
                  {r.ownPid !== r.pid && (
                    <>
                      <span className="pid-arrow">→</span>
                      <span className="pid-inner" title={tx.pidInside} data-ns-colour={pidNs?.colour ?? 'base'}>
                        {r.ownPid}
                      </span>
                    </>
                  )}
                </span>
                <span className="proc-cmd">{command}</span>
              </button>
              <span className="proc-ns" aria-hidden="true">
                {types.map((type) => {
                  const g = r.namespaces.find((n) => n.type === type);
                  if (!g) return <span key={type} className="ns-cell" />;
                  return (
                    <span
                      key={type}
                      className={g.id === highlightedId ? 'ns-cell ns-cell-highlighted' : 'ns-cell'}
                      data-ns-colour={g.colour ?? 'base'}
                      title={`${namespaceLabel(g, text)} ${g.id}`}
                    >
                      {g.number}
                    </span>
                  );
                })}
              </span>
            </li>
          );
        })}
      </ol>
      {omitted > 0 && <p className="explorer-note">{tx.moreProcesses(omitted)}</p>}
    </div>
  );
}
