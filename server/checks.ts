/**
 * Running a lesson step's check: the agent runs the script inside the learner's sandbox (a `run`
 * channel, never their terminal), as the sandbox's root, with a time limit. Exit 0 passes;
 * otherwise the last line the script printed is the reason shown to the learner.
 */
import { decodeServerFrame } from '../protocol/frames';
import { CloseCode, parseControl, ServerControl } from '../protocol/messages';
import type { Locale } from '../protocol/lesson';
import type { AgentClient } from './agent-client';
import { webMetrics } from './metrics';

export interface CheckResult {
  passed: boolean;
  message: string;
}

export class NoSandboxError extends Error {
  override name = 'NoSandboxError';
}

export const CHECK_TIMEOUT_MS = 10_000;
/** A check's output is a sentence, not a log: keep what a reason needs. */
const MAX_OUTPUT = 16 * 1024;

/** The reason to show: the last non-empty line the script printed, or its status. */
export function checkVerdict(code: number | null, signal: number | null, output: string): CheckResult {
  if (code === 0) return { passed: true, message: 'Passed' };
  const last = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .at(-1);
  if (last) return { passed: false, message: last.slice(0, 500) };
  return { passed: false, message: signal ? `The check was stopped (signal ${signal}).` : `The check did not pass (exit status ${code}).` };
}

/**
 * Put in front of every check and set-up script: the learner's language, and `say`/`fail` so a
 * script gives its reason in that language (`fail "English" "中文"`; English when no Chinese).
 * With `explorer`, the agent writes the sandbox's explorer snapshot to the script's stdin
 * (protocol/explorer-text.ts) and `explorer KIND` prints its records of that kind, tab-separated,
 * without the kind: `explorer process | awk -F'\t' '$2 ~ /,/'` finds processes in a nested PID
 * namespace, as the page's explorer panel shows them.
 */
export function withPrelude(script: string, lang: Locale, explorer = false): string {
  return [
    `LAB_LANG=${lang}`,
    'say() { if [ "$LAB_LANG" = zh ] && [ -n "${2-}" ]; then printf \'%s\\n\' "$2"; else printf \'%s\\n\' "$1"; fi; }',
    'fail() { say "$@"; exit 1; }',
    ...(explorer
      ? [
          'LAB_EXPLORER=$(cat)',
          'explorer() { printf \'%s\\n\' "$LAB_EXPLORER" | awk -F\'\\t\' -v OFS=\'\\t\' -v k="$1" \'$1 == k { $1 = ""; sub(/^\\t/, ""); print }\'; }',
        ]
      : []),
    script,
  ].join('\n');
}

export interface RunCheckOptions {
  lang?: Locale;
  timeoutMs?: number;
  /**
   * Offer the script the explorer snapshot (checks do; set-up scripts need not). It is read
   * only for a script that calls `explorer`: reading it is cheap, but not free.
   */
  explorer?: boolean;
}

/** Whether a lesson script calls the prelude's `explorer` function. */
export function usesExplorer(script: string): boolean {
  return /\bexplorer\b/.test(script);
}

/** Run a lesson script (a check, or a lesson's set-up) in the sandbox; see the file comment. */
export function runCheck(agent: AgentClient, sessionId: string, script: string, options: RunCheckOptions = {}): Promise<CheckResult> {
  const { lang = 'en', timeoutMs = CHECK_TIMEOUT_MS } = options;
  const explorer = (options.explorer ?? false) && usesExplorer(script);
  const argv = ['bash', '-c', withPrelude(script, lang, explorer)];
  const ws = agent.open({ session: { id: sessionId, create: false, disposeOnClose: false }, channel: { kind: 'run', argv, tty: false, explorer } });
  return new Promise((resolve, reject) => {
    let output = '';
    let exit: { code: number | null; signal: number | null } | undefined;
    const timer = setTimeout(() => {
      webMetrics.error('check_timeout');
      ws.close(1000);
      resolve({
        passed: false,
        message: lang === 'zh' ? `检查超过了 ${timeoutMs / 1000} 秒，请稍后再试。` : `The check took longer than ${timeoutMs / 1000} s; try again in a moment.`,
      });
    }, timeoutMs);
    ws.on('message', (data: Buffer) => {
      const f = decodeServerFrame(data);
      if (f.op === 'output' || f.op === 'stderr') {
        if (output.length < MAX_OUTPUT) output += Buffer.from(f.data).toString();
      } else {
        const m = parseControl(ServerControl, f.json);
        if (m.ok && m.value.type === 'exit') exit = { code: m.value.code, signal: m.value.signal };
      }
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      if (exit) return resolve(checkVerdict(exit.code, exit.signal, output));
      if (code === CloseCode.NO_SESSION) return reject(new NoSandboxError('no sandbox yet'));
      reject(new Error(`check channel closed (${code} ${reason.toString()})`));
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
