/**
 * The table view: everything the picture shows, as text tables (processes, namespaces, cgroups,
 * seccomp denials), for screen readers, keyboards and anyone who prefers rows to colours.
 */
import type { ReactNode } from 'react';
import type { ExplorerSnapshot } from '../../protocol/explorer';
import type { UIText } from '../ui-text';
import { denialRows, namespaceList, type ProcessRow } from './explorer-rows';
import { formatBytes, formatClock } from './format';
import type { ExplorerSection, HighlightTarget, NamespaceGroup } from './namespaces';
import { NavTable } from './nav-table';
import { namespaceLabel } from './panel-text';

const dash = (v: string | number | null | undefined): string | number => (v === null || v === undefined ? '–' : v);

function Section({ section, highlighted, children }: { section: string; highlighted: boolean; children: ReactNode }) {
  return (
    <div className="explorer-section explorer-table-wrap" data-section={section} data-highlighted={highlighted ? 'true' : undefined}>
      {children}
    </div>
  );
}

export function ExplorerTables({
  snapshot,
  rows,
  groups,
  target,
  text,
}: {
  snapshot: ExplorerSnapshot;
  rows: ProcessRow[];
  groups: NamespaceGroup[];
  target: HighlightTarget;
  text: UIText;
}) {
  const tx = text.explorer;
  const section = (s: ExplorerSection): boolean => target?.kind === 'section' && target.section === s;
  const highlightedNs = target?.kind === 'namespace' ? target.id : null;
  return (
    <>
      {/* Capabilities are a column of this table, so a step about them outlines it. */}
      <Section section="processes" highlighted={section('capabilities')}>
        <NavTable
          caption={tx.processesTable}
          head={[tx.colPid, tx.colOwnPid, tx.colCommand, tx.colState, tx.colNamespaces, tx.colCgroup, tx.colSeccomp, tx.colCapabilities, tx.colUidMap]}
          rows={rows.map((r) => ({
            key: r.pid,
            data: { 'data-pid': r.pid, 'data-nspid': r.ownPid, 'data-ns': namespaceList(r) },
            cells: [
              r.pid,
              r.ownPid,
              <code key="cmd">{r.process.cmdline || `[${r.process.comm}]`}</code>,
              r.process.state,
              <ul key="ns" className="table-list">
                {r.namespaces.map((g) => (
                  <li key={g.id}>
                    <code>{g.id}</code> {namespaceLabel(g, text)}
                  </li>
                ))}
              </ul>,
              <code key="cg">{r.process.cgroup}</code>,
              `${r.process.seccomp.mode}: ${tx.seccompMode(r.process.seccomp.mode, r.process.seccomp.filters)}`,
              <span key="caps" className="table-caps">
                <code>{r.process.capEff}</code> {r.capabilities.length ? r.capabilities.map((c) => c.name).join(', ') : tx.noCapabilities}
              </span>,
              <code key="map">{r.process.uidMap.join('; ') || tx.noUidMap}</code>,
            ],
          }))}
        />
        {snapshot.omittedProcesses > 0 && <p className="explorer-note">{tx.moreProcesses(snapshot.omittedProcesses)}</p>}
      </Section>
      <Section section="namespaces" highlighted={false}>
        <NavTable
          caption={tx.namespacesTable}
          head={[tx.colNamespace, tx.colType, tx.colName, tx.colOrigin, tx.colProcesses]}
          rows={groups.map((g) => ({
            key: g.id,
            data: {
              'data-ns-type': g.type,
              'data-ns-inode': g.inode,
              'data-ns-base': String(g.base),
              'data-highlighted': g.id === highlightedNs ? 'true' : undefined,
            },
            cells: [
              <code key="id">{g.id}</code>,
              g.type,
              namespaceLabel(g, text),
              g.base ? tx.originBase : tx.originNew,
              g.members.map((m) => {
                const own = m.nspid[m.nspid.length - 1] ?? m.pid;
                return own === m.pid ? `${m.pid} ${m.comm}` : `${m.pid} (${own}) ${m.comm}`;
              }).join(', '),
            ],
          }))}
        />
      </Section>
      <Section section="cgroups" highlighted={section('cgroups')}>
        <NavTable
          caption={tx.cgroupsTable}
          head={[tx.colPath, tx.colProcesses, tx.colMemory, tx.colMemoryLimit, tx.colPeak, tx.colFailcnt, tx.colOomKills, tx.colPids, tx.colPidsLimit, tx.colRefused]}
          rows={snapshot.cgroups.map((c) => ({
            key: c.path,
            data: { 'data-cgroup-path': c.path },
            cells: [
              <code key="path">{c.path}</code>,
              c.procs,
              c.memory ? formatBytes(c.memory.usage) : '–',
              c.memory ? (c.memory.limit === null ? tx.noLimit : formatBytes(c.memory.limit)) : '–',
              c.memory?.peak != null ? formatBytes(c.memory.peak) : '–',
              dash(c.memory?.failcnt),
              dash(c.memory?.oomKills),
              dash(c.pids?.current),
              c.pids ? (c.pids.limit === null ? tx.noLimit : c.pids.limit) : '–',
              dash(c.pids?.refused),
            ],
          }))}
        />
        {snapshot.omittedCgroups > 0 && <p className="explorer-note">{tx.moreCgroups(snapshot.omittedCgroups)}</p>}
      </Section>
      <Section section="seccomp" highlighted={section('seccomp')}>
        {!snapshot.denialsAvailable ? (
          <p className="explorer-note">{tx.denialsUnavailable}</p>
        ) : snapshot.denials.length === 0 ? (
          <p className="explorer-note">{tx.noDenials}</p>
        ) : (
          <NavTable
            caption={`${tx.denialsTable} (${tx.deniedTotal(snapshot.deniedTotal)})`}
            head={[tx.colTime, tx.colSyscall, tx.colPid, tx.colComm, tx.colNumber, tx.colAction]}
            rows={denialRows(snapshot).map((d) => ({
              key: d.id,
              data: { 'data-syscall': d.syscall },
              cells: [formatClock(d.at), <code key="sys">{d.syscall}</code>, dash(d.pid), d.comm, d.nr, d.action],
            }))}
          />
        )}
      </Section>
    </>
  );
}
