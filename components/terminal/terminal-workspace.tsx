'use client';
/**
 * The terminal column: toolbar (New terminal, Screen reader mode), sandbox-wide banners and
 * notices, and one pane per open terminal.
 */
import { UI } from '../ui-text';
import { useLab } from './lab-context';
import { TerminalPane } from './terminal-pane';

export function TerminalWorkspace() {
  const lab = useLab();
  const text = UI[lab.locale];
  const full = lab.openIds.length >= 9;

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
