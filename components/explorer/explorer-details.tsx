/** The selected process up close: both PIDs, its namespaces as `ls -l /proc/PID/ns` shows them, CapEff decoded, uid_map. */
import type { UIText } from '../ui-text';
import type { ProcessRow } from './explorer-rows';

export function ExplorerDetails({
  row,
  selectedPid,
  highlighted,
  text,
}: {
  /** The selected process, or null when none is selected or it has ended. */
  row: ProcessRow | null;
  selectedPid: number | null;
  highlighted: boolean;
  text: UIText;
}) {
  const tx = text.explorer;
  return (
    <div className="explorer-section explorer-details" data-section="capabilities" data-highlighted={highlighted ? 'true' : undefined}>
      <h3>{tx.selected}</h3>
      {row === null ? (
        <p className="explorer-note">{selectedPid === null ? tx.selectHint : tx.selectedGone}</p>
      ) : (
        <>
          <p className="detail-pids">
            <span className="detail-pid">
              <span className="pid-outer">{row.pid}</span> {tx.pidOutside}
            </span>
            <span className="detail-pid">
              <span className="pid-inner">{row.ownPid}</span> {tx.pidInside}
            </span>
          </p>
          <p className="detail-cmd">
            <code>{row.process.cmdline || `[${row.process.comm}]`}</code>
          </p>
          <pre className="detail-ns">{row.namespaces.map((g) => `${g.type.padEnd(6)} -> ${g.id}`).join('\n')}</pre>
          <p>
            {tx.colCgroup}: <code>{row.process.cgroup}</code> · {tx.colSeccomp}: {tx.seccompMode(row.process.seccomp.mode, row.process.seccomp.filters)}
          </p>
          <h4>
            {tx.capabilities} <code>{row.process.capEff}</code>
          </h4>
          {row.capabilities.length === 0 ? (
            <p className="explorer-note">{tx.noCapabilities}</p>
          ) : (
            <ul className="cap-list">
              {row.capabilities.map((c) => (
                <li key={c.bit} data-cap-bit={c.bit}>
                  {c.name}
                </li>
              ))}
            </ul>
          )}
          <h4>{tx.uidMap}</h4>
          <pre className="detail-map">{row.process.uidMap.length > 0 ? row.process.uidMap.join('\n') : tx.noUidMap}</pre>
        </>
      )}
    </div>
  );
}
