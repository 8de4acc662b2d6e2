/**
 * A learner session: one sandbox and every terminal, run and viewer attached to it. The session
 * owns their lifetime; `dispose` is the one place a session's resources are released, whatever
 * ended it (learner reset, idle or wall timeout, sandbox crash, agent shutdown).
 */
import { explorerText } from '../../protocol/explorer-text';
import { encodeServerFrame } from '../../protocol/frames';
import { CloseCode, type ServerControl } from '../../protocol/messages';
import type { Profile } from '../../protocol/profile';
import { toDenial, type SeccompAudit } from './explorer/audit';
import { ExplorerHub } from './explorer/hub';
import { sandboxPidOf } from './explorer/processes';
import { readSnapshot } from './explorer/snapshot';
import type { SyscallNames } from './explorer/syscalls';
import type { Sandbox } from './isolation/launch';
import { cgroupLimits } from './isolation/limits';
import { ownsHostUid } from './isolation/userns';
import { LimitNotices } from './limit-notices';
import type { Logger } from './log';
import { agentMetrics } from './metrics';
import { Run } from './run';
import { Terminal, type TerminalExit } from './terminal';
import type { Viewer } from './viewer';

export class SessionLimitError extends Error {
  override name = 'SessionLimitError';
  constructor(
    message: string,
    readonly kind: 'terminals' | 'connections',
  ) {
    super(message);
  }
}

/**
 * Connections one sandbox may have at once (terminal viewers, explorer panels, checks): enough
 * for every terminal in a few tabs, and a bound on what one browser opening sockets in a loop
 * can make the web tier and the agent hold.
 */
export const MAX_CONNECTIONS = 64;

const SHELL = ['/bin/bash', '-l'];
/** How often the session's limit counters are read (two small cgroupfs files). */
const LIMIT_POLL_MS = 1000;
/** The host's procfs: the agent runs in the host's PID namespace and sees every sandbox's PIDs. */
const PROC = '/proc';
/** Carriage return: what a terminal sends for Enter. */
const ENTER = 13;

/** What every session's explorer shares, set up once when the agent starts (agent.ts). */
export interface ExplorerContext {
  syscalls: SyscallNames;
  /** Whether the agent can read seccomp denials from the kernel's log (explorer/kmsg.ts). */
  denialsAvailable: boolean;
  log: Logger;
}

export function sendControl(viewer: Viewer, msg: ServerControl): void {
  viewer.send(encodeServerFrame({ op: 'control', json: JSON.stringify(msg) }));
}

type Attachment =
  | { kind: 'terminal'; id: string; terminal: Terminal }
  /** `stdin`: whose bytes the command reads, the viewer's or the explorer snapshot's. */
  | { kind: 'run'; run: Run; stdin: 'viewer' | 'explorer' }
  | { kind: 'explorer' };

export class Session {
  private readonly terminals = new Map<string, Terminal>();
  private readonly attachments = new Map<Viewer, Attachment>();
  private readonly wallTimer: NodeJS.Timeout;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly limitTimer: NodeJS.Timeout;
  private readonly limits: LimitNotices;
  private readonly explorer: ExplorerHub;
  /** Audit records older than this belong to an earlier sandbox that had the same host uids. */
  private readonly startedAt = Date.now();
  private disposing: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly profile: Profile,
    private readonly sandbox: Sandbox,
    private readonly explorerContext: ExplorerContext,
    private readonly onDisposed: (s: Session) => void,
  ) {
    const source = { procRoot: PROC, initPid: sandbox.initPid, layout: sandbox.cgroupLayout };
    this.explorer = new ExplorerHub({
      read: (denials) => readSnapshot(source, denials),
      denialsAvailable: explorerContext.denialsAvailable,
      onError: (e) => this.explorerFailed(e),
    });
    this.wallTimer = setTimeout(
      () => void this.dispose(`Your sandbox reached its ${formatDuration(profile.wallTimeSec)} time limit and was stopped.`),
      profile.wallTimeSec * 1000,
    );
    this.startIdleTimer();
    this.limits = new LimitNotices(profile, cgroupLimits(profile).maxDescendants, (kind, n) => agentMetrics.limit(kind, n));
    this.limitTimer = setInterval(() => this.checkLimits(), LIMIT_POLL_MS);
    this.limitTimer.unref();
    agentMetrics.sandboxesStarted.inc();
    agentMetrics.sessions.inc();
    void sandbox.exited.then(() => {
      if (!this.disposing) agentMetrics.error('sandbox_exited');
      return this.dispose('Your sandbox stopped unexpectedly (its init process ended).');
    });
  }

  get initPid(): number {
    return this.sandbox.initPid;
  }

  get disposed(): boolean {
    return this.disposing !== undefined;
  }

  terminalIds(): string[] {
    return [...this.terminals.keys()].sort();
  }

  /** Attach a viewer to terminal `id`, starting a login shell for it if it has none. */
  attachTerminal(viewer: Viewer, id: string, size: { cols: number; rows: number }, resumeFrom = 0): void {
    this.admit();
    let terminal = this.terminals.get(id);
    if (!terminal) {
      if (this.terminals.size >= this.profile.maxTerminals) {
        throw new SessionLimitError(`A sandbox can have at most ${this.profile.maxTerminals} terminals open; close one first.`, 'terminals');
      }
      const t: Terminal = new Terminal(this.sandbox.execCommand(SHELL), size, (exit) => this.onTerminalExit(id, t, exit), this.rateLimit(() => t));
      this.terminals.set(id, t);
      terminal = t;
    } else {
      terminal.resize(size.cols, size.rows);
    }
    const { from, gap, replay } = terminal.attach(viewer, resumeFrom);
    this.attachments.set(viewer, { kind: 'terminal', id, terminal });
    this.stopIdleTimer();
    sendControl(viewer, {
      type: 'ready',
      session: this.id,
      terminal: id,
      from,
      gap: gap || from > resumeFrom,
      cols: terminal.cols,
      rows: terminal.rows,
      terminals: this.terminalIds(),
    });
    for (const frame of replay) viewer.send(frame);
  }

  /**
   * Start a command with pipes (or a pty, for `lab shell`) for this viewer alone. With
   * `explorer` (pipes only), its stdin is a fresh explorer snapshot as text
   * (protocol/explorer-text.ts), then end of file; the viewer's own input is ignored.
   */
  attachRun(viewer: Viewer, argv: string[], tty: boolean, size: { cols: number; rows: number }, explorer = false): void {
    this.admit();
    const command = this.sandbox.execCommand(argv);
    const finish = (exit: TerminalExit) => {
      sendControl(viewer, { type: 'exit', ...exit });
      this.attachments.delete(viewer);
      viewer.close(1000, 'exited');
    };
    if (tty) {
      const t: Terminal = new Terminal(command, size, finish, this.rateLimit(() => t));
      t.attach(viewer, 0);
      this.attachments.set(viewer, { kind: 'terminal', id: '', terminal: t });
    } else {
      const run = new Run(command, viewer, finish);
      this.attachments.set(viewer, { kind: 'run', run, stdin: explorer ? 'explorer' : 'viewer' });
      if (explorer) this.writeSnapshot(run);
    }
    this.stopIdleTimer();
    sendControl(viewer, { type: 'ready', session: this.id, from: 0, gap: false, terminals: this.terminalIds() });
  }

  /** Stream explorer snapshots of the sandbox to this viewer (explorer/hub.ts); it sends nothing back. */
  attachExplorer(viewer: Viewer): void {
    this.admit();
    this.attachments.set(viewer, { kind: 'explorer' });
    this.stopIdleTimer();
    this.explorer.attach(viewer);
  }

  private admit(): void {
    if (this.attachments.size >= MAX_CONNECTIONS) {
      throw new SessionLimitError(`This sandbox already has ${MAX_CONNECTIONS} connections open; close some tabs, then reload.`, 'connections');
    }
  }

  input(viewer: Viewer, data: Uint8Array): void {
    const a = this.attachments.get(viewer);
    if (a?.kind === 'terminal') {
      a.terminal.input(data);
      // Enter: a command starts, or has just finished; the explorer looks again shortly.
      if (data.includes(ENTER)) this.explorer.poke();
    } else if (a?.kind === 'run' && a.stdin === 'viewer') {
      a.run.input(data);
    }
  }

  resize(viewer: Viewer, cols: number, rows: number): void {
    const a = this.attachments.get(viewer);
    if (a?.kind === 'terminal') a.terminal.resize(cols, rows);
  }

  ack(viewer: Viewer, seq: number): void {
    const a = this.attachments.get(viewer);
    if (a?.kind === 'terminal') a.terminal.ack(viewer, seq);
  }

  eof(viewer: Viewer): void {
    const a = this.attachments.get(viewer);
    if (a?.kind === 'run' && a.stdin === 'viewer') a.run.eof();
  }

  /** Whether host uid `uid` is one of this sandbox's (isolation/userns.ts). */
  ownsUid(uid: number): boolean {
    return ownsHostUid(this.sandbox.identity, uid);
  }

  /** A seccomp audit record with one of this sandbox's host uids (sessions.ts routes them). */
  recordDenial(r: SeccompAudit): void {
    if (r.at < this.startedAt || this.disposing) return;
    // The caller may have exited already (the record is read up to half a second late): null.
    const pid = sandboxPidOf(PROC, this.sandbox.initPid, r.pid, (uid) => this.ownsUid(uid));
    this.explorer.deny(toDenial(r, this.explorerContext.syscalls, pid));
  }

  detach(viewer: Viewer): void {
    const a = this.attachments.get(viewer);
    if (!a) return;
    this.attachments.delete(viewer);
    if (a.kind === 'terminal') {
      a.terminal.detach(viewer);
      if (a.id === '') a.terminal.dispose(); // a `lab shell` pty belongs to its one viewer
    } else if (a.kind === 'run') {
      a.run.dispose();
    } else {
      this.explorer.detach(viewer);
    }
    if (this.attachments.size === 0) this.startIdleTimer();
  }

  dispose(reason: string): Promise<void> {
    this.disposing ??= (async () => {
      agentMetrics.sessions.dec();
      clearTimeout(this.wallTimer);
      clearInterval(this.limitTimer);
      this.stopIdleTimer();
      this.explorer.dispose();
      for (const [viewer] of this.attachments) {
        sendControl(viewer, { type: 'notice', level: 'warning', message: reason });
        viewer.close(CloseCode.ENDED, reason.slice(0, 120));
      }
      for (const a of this.attachments.values()) if (a.kind === 'run') a.run.dispose();
      for (const t of this.terminals.values()) t.dispose();
      this.attachments.clear();
      this.terminals.clear();
      try {
        await this.sandbox.destroy();
      } finally {
        this.onDisposed(this);
      }
    })();
    return this.disposing;
  }

  /** Give a run's stdin a snapshot read now (the rate limit allowing), then end it. */
  private writeSnapshot(run: Run): void {
    try {
      run.input(Buffer.from(explorerText(this.explorer.readForCheck())));
    } catch (e) {
      // The check still runs, with no snapshot: its `explorer` finds nothing and it says why.
      this.explorerFailed(e instanceof Error ? e : new Error(String(e)));
    }
    run.eof();
  }

  private explorerFailed(e: Error): void {
    this.explorerContext.log.warn(`session ${this.id}: reading the explorer snapshot failed: ${e.message}`, { session: this.id });
  }

  /** The output-rate limit of a terminal, telling whoever watches that terminal when it bites. */
  private rateLimit(terminal: () => Terminal): { bytesPerSec: number; onLimit: (message: string) => void } {
    return {
      bytesPerSec: this.profile.outputBytesPerSec,
      onLimit: (message) => {
        for (const [viewer, a] of this.attachments) {
          if (a.kind === 'terminal' && a.terminal === terminal()) sendControl(viewer, { type: 'notice', level: 'info', message });
        }
      },
    };
  }

  /** Tell every attached viewer when the sandbox ran into one of its own limits. */
  private checkLimits(): void {
    const verdict = this.limits.update(this.sandbox.limitEvents());
    for (const message of verdict.notices) {
      for (const viewer of this.attachments.keys()) sendControl(viewer, { type: 'notice', level: 'warning', message });
    }
    if (verdict.end) void this.dispose(verdict.end);
  }

  private onTerminalExit(id: string, terminal: Terminal, exit: TerminalExit): void {
    if (this.terminals.get(id) !== terminal) return;
    this.terminals.delete(id);
    for (const [viewer, a] of this.attachments) {
      if (a.kind !== 'terminal' || a.terminal !== terminal) continue;
      sendControl(viewer, { type: 'exit', ...exit });
      this.attachments.delete(viewer);
      viewer.close(1000, 'exited');
    }
    if (this.attachments.size === 0) this.startIdleTimer();
  }

  private startIdleTimer(): void {
    if (this.idleTimer || this.disposing) return;
    this.idleTimer = setTimeout(
      () => void this.dispose(`Your sandbox was idle for ${formatDuration(this.profile.idleTimeoutSec)} and was stopped.`),
      this.profile.idleTimeoutSec * 1000,
    );
  }

  private stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function formatDuration(sec: number): string {
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}
