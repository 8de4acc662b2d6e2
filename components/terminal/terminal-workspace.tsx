'use client';
/**
 * The terminal column: toolbar (New terminal, Screen reader mode, Reset sandbox), sandbox-wide banners and
 * notices, and one pane per open terminal.
 */
import { useState } from 'react';
import { UI } from '../ui-text';
import { useLab } from './lab-context';
import { TerminalPane } from './terminal-pane';

/**
 * Ask the web tier to end this learner's sandbox, then reload: every terminal reconnects and the
 * gateway, finding no active session, starts a fresh sandbox (in well under a second).
 */
async function resetSandbox(): Promise<void> {
  const res = await fetch('/api/sandbox/reset', { method: 'POST', credentials: 'same-origin' });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: unknown };
    throw new Error(typeof body.error === 'string' ? body.error : `HTTP ${res.status}`);
  }
}

export function TerminalWorkspace() {
  const lab = useLab();
  const text = UI[lab.locale];
  const full = lab.openIds.length >= 9;
  const [resetting, setResetting] = useState(false);

  const onReset = () => {
    if (!window.confirm(text.resetConfirm)) return;
    setResetting(true);
    resetSandbox().then(
      () => window.location.reload(),
      (err: unknown) => {
        setResetting(false);
        lab.addNotice('error', `${text.resetFailed}: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  };

  return (
    <section className="terminals" aria-label={text.terminalsRegion}>
      <div className="terminal-toolbar">
        <button type="button" onClick={() => lab.openNextTerminal()} disabled={full}>
          <span aria-hidden="true">+ </span>
          {text.newTerminal}
        </button>
        <button type="button" aria-pressed={lab.screenReaderMode} onClick={() => lab.setScreenReaderMode(!lab.screenReaderMode)}>
          {text.screenReaderMode}
        </button>
        <button type="button" onClick={onReset} disabled={resetting} aria-busy={resetting}>
          {text.resetSandbox}
        </button>
      </div>
      {lab.endedReason !== null && (
        <div className="banner banner-error" role="alert">
          <span>{lab.endedReason ? `${text.ended}: ${lab.endedReason}` : text.ended}</span>
          <button type="button" onClick={() => window.location.reload()}>
            {text.startNew}
          </button>
        </div>
      )}
      {lab.notices.map((notice) => (
        <div key={notice.key} className={`banner banner-${notice.level}`} role={notice.level === 'info' ? 'status' : 'alert'}>
          <span>{notice.message}</span>
          <button type="button" className="link-button" onClick={() => lab.dismissNotice(notice.key)}>
            {text.dismiss}
          </button>
        </div>
      ))}
      <div className="terminal-panes">
        {lab.openIds.map((id) => (
          <TerminalPane key={id} id={id} />
        ))}
      </div>
    </section>
  );
}
