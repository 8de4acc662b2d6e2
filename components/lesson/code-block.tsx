/**
 * A code block from step Markdown. `run` blocks get a Run button (or, for `ctrl-c` blocks, one
 * that stops what runs first) and a label saying which terminal they type into; the others are
 * display only. Rendered as React, never as HTML.
 */
import type { TerminalId } from '../../protocol/messages';
import { UI, type Locale } from '../ui-text';
import { RunButton } from './run-button';

export function CodeBlock({
  code,
  lang,
  run,
  ctrlC = false,
  codeId,
  locale,
}: {
  code: string;
  lang: string;
  run: TerminalId | null;
  ctrlC?: boolean;
  codeId: string;
  locale: Locale;
}) {
  const text = UI[locale];
  return (
    <div className={run ? 'code-block code-block-run' : 'code-block'} data-lang={lang || undefined}>
      <pre>
        <code id={codeId}>{code}</code>
      </pre>
      {run && (
        <div className="code-block-actions">
          <RunButton terminal={run} command={code} ctrlC={ctrlC} codeId={codeId} />
          <span className="run-target">{text.terminalLabel(run)}</span>
        </div>
      )}
    </div>
  );
}
