'use client';
/**
 * One terminal pane: a region named "Terminal N" with a status line and the xterm.js view.
 * The view is loaded on the client only (xterm.js needs `self` at import time); the region and
 * its heading render on the server, so the page layout does not jump when the terminal arrives.
 */
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Notice, Ready, TerminalId } from '../../protocol/messages';
import { UI } from '../ui-text';
import type { ConnectionState } from './connection';
import { useLab } from './lab-context';
import { stateMessage } from './state-text';
import type { PaneControls } from './xterm-view';

const XtermView = dynamic(() => import('./xterm-view'), {
  ssr: false,
  loading: () => <div className="xterm-host-frame xterm-loading" aria-hidden="true" />,
});

const MESSAGE_MS = 6_000;

export function TerminalPane({ id }: { id: TerminalId }) {
  const lab = useLab();
  const text = UI[lab.locale];
  const controls = useRef<PaneControls | null>(null);
  const [state, setState] = useState<ConnectionState>({ kind: 'connecting' });
  const [message, setMessage] = useState<string | null>(null);
  const { ensureOpen, addNotice, markEnded, noteSandbox } = lab;

  // A hint such as "paste was refused" is worth a few seconds, not a permanent status line.
  useEffect(() => {
    if (message === null) return;
    const timer = setTimeout(() => setMessage(null), MESSAGE_MS);
    return () => clearTimeout(timer);
  }, [message]);

  const onState = useCallback(
    (next: ConnectionState) => {
      setState(next);
      if (next.kind === 'ended') markEnded(next.reason);
    },
    [markEnded],
  );
  const onReady = useCallback(
    (ready: Ready) => {
      ensureOpen(ready.terminals);
      noteSandbox(ready.session);
    },
    [ensureOpen, noteSandbox],
  );
  const onNotice = useCallback((notice: Notice) => addNotice(notice.level, notice.message), [addNotice]);

  const status = message ?? stateMessage(state, text);
  const isError = state.kind === 'failed' || state.kind === 'ended';
  const labelId = `terminal-${id}-label`;

  return (
    <section className="terminal-pane" aria-labelledby={labelId} data-terminal={id} data-state={state.kind}>
      <header className="terminal-pane-header">
        <h2 id={labelId} className="terminal-pane-title">
          <span className={`status-dot status-${state.kind}`} aria-hidden="true" />
          {text.terminalLabel(id)}
        </h2>
        {/* Two live regions: polite for progress, assertive for refusals. */}
        <p className="terminal-status" role="status">
          {!isError && status}
        </p>
        <p className="terminal-status terminal-status-error" role="alert">
          {isError && status}
        </p>
        <div className="terminal-pane-actions">
          {state.kind === 'reconnecting' && (
            <button type="button" className="link-button" onClick={() => controls.current?.retry()}>
              {text.reconnectNow}
            </button>
          )}
          {(state.kind === 'failed' || state.kind === 'closed') && (
            <button type="button" className="link-button" onClick={() => controls.current?.retry()}>
              {state.kind === 'failed' ? text.tryAgain : text.reconnect}
            </button>
          )}
          {(state.kind === 'failed' || state.kind === 'closed' || state.kind === 'exited') && (
            <button type="button" className="link-button" onClick={() => lab.closeTerminal(id)}>
              {text.closePane}
            </button>
          )}
        </div>
      </header>
      <XtermView
        id={id}
        locale={lab.locale}
        registry={lab.registry}
        screenReaderMode={lab.screenReaderMode}
        controlsRef={controls}
        onState={onState}
        onReady={onReady}
        onNotice={onNotice}
        onMessage={setMessage}
      />
    </section>
  );
}
