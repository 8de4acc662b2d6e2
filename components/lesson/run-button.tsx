'use client';
/**
 * "Run" beside a code block: types the command into its terminal (opening the terminal first
 * if needed) and focuses it. The accessible name is just "Run"; the command itself is the
 * button's description (aria-describedby), so a screen reader hears both.
 */
import { useState } from 'react';
import type { TerminalId } from '../../protocol/messages';
import { useLab } from '../terminal/lab-context';
import { UI } from '../ui-text';

export function RunButton({ terminal, command, codeId }: { terminal: TerminalId; command: string; codeId: string }) {
  const lab = useLab();
  const text = UI[lab.locale];
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="run-button"
      aria-describedby={codeId}
      title={text.runIn(terminal)}
      aria-busy={busy}
      data-terminal={terminal}
      onClick={() => {
        setBusy(true);
        void lab.run(terminal, command).finally(() => setBusy(false));
      }}
    >
      <span aria-hidden="true" className="run-icon">
        ▶
      </span>
      {text.run}
    </button>
  );
}
