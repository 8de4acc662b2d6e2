'use client';
/**
 * "Run" beside a code block: types the command into its terminal (opening the terminal first
 * if needed) and focuses it. The accessible name is just "Run" ("运行"); the command itself is
 * the button's description (aria-describedby), so a screen reader hears both. The `ctrlC`
 * variant ("Ctrl-C, then run") first stops whatever still runs there, as the learner would.
 */
import { useState } from 'react';
import type { TerminalId } from '../../protocol/messages';
import { useLab } from '../terminal/lab-context';
import { UI } from '../ui-text';

export function RunButton({ terminal, command, ctrlC, codeId }: { terminal: TerminalId; command: string; ctrlC: boolean; codeId: string }) {
  const lab = useLab();
  const text = UI[lab.locale];
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={ctrlC ? 'run-button run-button-ctrl-c' : 'run-button'}
      aria-describedby={codeId}
      title={ctrlC ? text.ctrlCRunIn(terminal) : text.runIn(terminal)}
      aria-busy={busy}
      data-terminal={terminal}
      onClick={() => {
        setBusy(true);
        void lab.run(terminal, command, { ctrlC }).finally(() => setBusy(false));
      }}
    >
      <span aria-hidden="true" className="run-icon">
        ▶
      </span>
      {ctrlC ? text.ctrlCRun : text.run}
    </button>
  );
}
