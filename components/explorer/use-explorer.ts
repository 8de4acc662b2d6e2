'use client';
/**
 * The explorer's live data for React: one ExplorerConnection while the panel is open and the
 * terminals have found the sandbox, plus what the page remembers between snapshots (namespace
 * numbers, memory history). Notices go to the page's banners; an ended sandbox to its banner.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { ExplorerSnapshot } from '../../protocol/explorer';
import type { Notice } from '../../protocol/messages';
import { gatewayUrl } from '../terminal/connection';
import { useLab } from '../terminal/lab-context';
import { NO_HISTORY, recordUsage, type UsageHistory } from './cgroup-history';
import { ExplorerConnection, type ExplorerState } from './explorer-connection';
import { NO_NUMBERS, numberNamespaces, type NamespaceNumbers } from './namespaces';

export interface ExplorerData {
  snapshot: ExplorerSnapshot | null;
  numbers: NamespaceNumbers;
  history: UsageHistory;
}

const EMPTY: ExplorerData = { snapshot: null, numbers: NO_NUMBERS, history: NO_HISTORY };

/** `waiting`: no terminal has reached the sandbox yet, so there is nothing to connect to. */
export type ExplorerStatus = ExplorerState | { kind: 'waiting' };

export function useExplorer(enabled: boolean): { status: ExplorerStatus; data: ExplorerData; retry(): void } {
  const { sandboxSession, addNotice, markEnded } = useLab();
  const [state, setState] = useState<ExplorerState>({ kind: 'connecting' });
  const [data, setData] = useState<ExplorerData>(EMPTY);
  const connection = useRef<ExplorerConnection | null>(null);

  const onNotice = useEffectEvent((notice: Notice) => addNotice(notice.level, notice.message));
  const onState = useEffectEvent((next: ExplorerState) => {
    setState(next);
    if (next.kind === 'ended') markEnded(next.reason);
  });

  useEffect(() => {
    // A new sandbox session means a new sandbox: start the picture and its memory afresh.
    setData(EMPTY);
    if (!enabled || sandboxSession === null) return;
    const conn = new ExplorerConnection({
      url: gatewayUrl(window.location),
      events: {
        state: (next) => onState(next),
        notice: (notice) => onNotice(notice),
        snapshot: (snapshot) =>
          setData((prev) =>
            snapshot === null
              ? EMPTY
              : { snapshot, numbers: numberNamespaces(snapshot, prev.numbers), history: recordUsage(prev.history, snapshot) },
          ),
      },
    });
    connection.current = conn;
    conn.start();
    return () => {
      conn.dispose();
      if (connection.current === conn) connection.current = null;
    };
  }, [enabled, sandboxSession]);

  const retry = useCallback(() => connection.current?.retryNow(), []);
  return { status: sandboxSession === null ? { kind: 'waiting' } : state, data, retry };
}
