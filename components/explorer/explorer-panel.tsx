'use client';
/**
 * The explorer beside the terminals: a landmark region "Explorer" with a header (disclosure,
 * connection status, "Show as table") and either the picture (processes and namespaces, the
 * selected process, cgroups, seccomp) or the same data as tables. It connects only while open,
 * so a collapsed panel costs the sandbox nothing. A step's `explorer` field outlines its object.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { UI } from '../ui-text';
import { useLab } from '../terminal/lab-context';
import { ExplorerCgroups } from './explorer-cgroups';
import { ExplorerDetails } from './explorer-details';
import { ExplorerProcesses } from './explorer-processes';
import { processRows } from './explorer-rows';
import { ExplorerSeccomp } from './explorer-seccomp';
import { ExplorerTables } from './explorer-tables';
import { useExplorerHighlight } from './highlight-context';
import { highlightTarget, namespaceGroups } from './namespaces';
import { explorerStatus } from './panel-text';
import { useExplorer } from './use-explorer';

const OPEN_KEY = 'lab.explorerOpen';
const TABLE_KEY = 'lab.explorerTable';

/** A remembered on/off preference; storage may be disabled (private mode policies). */
function remember(key: string, on: boolean): void {
  try {
    window.localStorage.setItem(key, on ? 'on' : 'off');
  } catch {
    // Not persisted; the toggle still works for this page.
  }
}

function recall(key: string): boolean | null {
  try {
    const v = window.localStorage.getItem(key);
    return v === 'on' ? true : v === 'off' ? false : null;
  } catch {
    return null;
  }
}

export function ExplorerPanel() {
  const { locale } = useLab();
  const text = UI[locale];
  const tx = text.explorer;
  const highlight = useExplorerHighlight();
  const [open, setOpenState] = useState(true);
  const [table, setTableState] = useState(false);
  const [selectedPid, setSelectedPid] = useState<number | null>(null);
  const { status, data, retry } = useExplorer(open);

  // Preferences live in localStorage, which only exists in the browser: read them after mount.
  useEffect(() => {
    const o = recall(OPEN_KEY);
    if (o !== null) setOpenState(o);
    if (recall(TABLE_KEY) === true) setTableState(true);
  }, []);
  // A step that points at the explorer is a reason to show it, even if it was collapsed.
  useEffect(() => {
    if (highlight !== null) setOpenState(true);
  }, [highlight]);

  const setOpen = (on: boolean) => {
    setOpenState(on);
    remember(OPEN_KEY, on);
  };
  const setTable = (on: boolean) => {
    setTableState(on);
    remember(TABLE_KEY, on);
  };

  const { snapshot, numbers, history } = data;
  const groups = useMemo(() => (snapshot ? namespaceGroups(snapshot, numbers) : []), [snapshot, numbers]);
  const rows = useMemo(() => (snapshot ? processRows(snapshot, groups) : []), [snapshot, groups]);
  const target = highlightTarget(highlight, groups);
  const selectedRow = rows.find((r) => r.pid === selectedPid) ?? null;
  const message = explorerStatus(status, text);
  const canRetry = status.kind === 'failed' || status.kind === 'closed' || status.kind === 'reconnecting';
  const isSection = (s: 'cgroups' | 'seccomp' | 'capabilities') => target?.kind === 'section' && target.section === s;

  // Bring what the step points at into view when it changes (a new step, or the namespace the
  // learner just made), inside the panel's own scrolling: never moving focus.
  const panel = useRef<HTMLElement>(null);
  const targetKey = target === null ? null : target.kind === 'section' ? target.section : target.id;
  const hasSnapshot = snapshot !== null;
  useEffect(() => {
    if (targetKey === null || !open) return;
    panel.current?.querySelector('[data-highlighted="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [targetKey, open, table, hasSnapshot]);

  return (
    <section ref={panel} className="explorer" aria-label={tx.region} data-open={open ? 'true' : 'false'} data-state={status.kind} data-highlight={highlight ?? undefined}>
      <header className="explorer-header">
        <h2 className="explorer-title">
          <button type="button" className="explorer-disclosure" aria-expanded={open} aria-controls={open ? 'explorer-body' : undefined} onClick={() => setOpen(!open)}>
            <span aria-hidden="true" className="explorer-chevron">
              {open ? '▾' : '▸'}
            </span>
            {tx.region}
          </button>
        </h2>
        {snapshot && open && <span className="explorer-note">cgroup {snapshot.cgroupVersion}</span>}
        <p className="explorer-status" role="status">
          {open && message}
        </p>
        {open && canRetry && (
          <button type="button" className="link-button" onClick={retry}>
            {status.kind === 'reconnecting' ? text.reconnectNow : status.kind === 'failed' ? text.tryAgain : text.reconnect}
          </button>
        )}
        {open && (
          <button type="button" className="explorer-table-toggle" aria-pressed={table} onClick={() => setTable(!table)}>
            {tx.showTable}
          </button>
        )}
      </header>
      {open && (
        <div id="explorer-body" className="explorer-body">
          {snapshot &&
            (table ? (
              <ExplorerTables snapshot={snapshot} rows={rows} groups={groups} target={target} text={text} />
            ) : (
              <div className="explorer-picture">
                <ExplorerProcesses
                  rows={rows}
                  groups={groups}
                  omitted={snapshot.omittedProcesses}
                  target={target}
                  selectedPid={selectedPid}
                  onSelect={(pid) => setSelectedPid((current) => (current === pid ? null : pid))}
                  text={text}
                />
                <ExplorerDetails row={selectedRow} selectedPid={selectedPid} highlighted={isSection('capabilities')} text={text} />
                <ExplorerCgroups cgroups={snapshot.cgroups} omitted={snapshot.omittedCgroups} history={history} highlighted={isSection('cgroups')} text={text} />
                <ExplorerSeccomp snapshot={snapshot} highlighted={isSection('seccomp')} text={text} />
              </div>
            ))}
        </div>
      )}
    </section>
  );
}
