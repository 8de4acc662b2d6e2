/**
 * The agent's Prometheus metrics (docs/operations.md lists them with their meaning). One registry
 * per process, as Prometheus scrapes per process: sessions, terminals and connections count
 * themselves where they start and end. Our own names start with `lab_agent_`; prom-client's
 * default process metrics (`process_*`, `nodejs_*`) keep their standard names.
 * Label values come from small fixed sets (never a session id), so series stay bounded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type LimitKind = 'memory' | 'pids' | 'cgroups' | 'output_rate' | 'terminals' | 'connections' | 'sandboxes';
export type AgentErrorKind = 'bad_frame' | 'unauthorized' | 'version' | 'sandbox_start' | 'terminal_start' | 'sandbox_exited';
export type PauseReason = 'flow' | 'rate';

const LIMIT_KINDS: LimitKind[] = ['memory', 'pids', 'cgroups', 'output_rate', 'terminals', 'connections', 'sandboxes'];
const ERROR_KINDS: AgentErrorKind[] = ['bad_frame', 'unauthorized', 'version', 'sandbox_start', 'terminal_start', 'sandbox_exited'];

class AgentMetrics {
  readonly registry = new Registry();
  private defaultsOn = false;

  readonly sessions = new Gauge({
    name: 'lab_agent_sessions',
    help: 'Sessions (running sandboxes) on this agent.',
    registers: [this.registry],
  });
  readonly sandboxesStarted = new Counter({
    name: 'lab_agent_sandboxes_started_total',
    help: 'Sandboxes started by this agent.',
    registers: [this.registry],
  });
  readonly startSeconds = new Histogram({
    name: 'lab_agent_sandbox_start_seconds',
    help: 'Time from a hello that creates a session to its sandbox running (namespaces, cgroups, init), as the agent sees it.',
    buckets: [0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  readonly terminalsOpen = new Gauge({
    name: 'lab_agent_terminals_open',
    help: 'Ptys open in sandboxes (terminals, and `lab shell` sessions).',
    registers: [this.registry],
  });
  readonly channelsOpen = new Gauge({
    name: 'lab_agent_channels_open',
    help: 'WebSocket channels (terminal, run or dispose) open on the agent socket.',
    registers: [this.registry],
  });
  readonly echoSeconds = new Histogram({
    name: 'lab_agent_echo_seconds',
    help: "Time from an INPUT frame to the next OUTPUT frame of the same terminal: the agent's and the sandbox's share of a keystroke's echo.",
    buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'lab_agent_bytes_total',
    help: 'WebSocket payload bytes on the agent socket: direction="in" from clients (the web tier, lab), "out" to them.',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  /** Children bound once: counted on every frame, and label lookup is not free. */
  readonly bytesIn = this.bytes.labels({ direction: 'in' });
  readonly bytesOut = this.bytes.labels({ direction: 'out' });
  readonly ptyPauses = new Counter({
    name: 'lab_agent_pty_pauses_total',
    help: 'Times a pty was paused: reason="flow" (a viewer fell behind its acknowledgements), "rate" (output-rate limit).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly limitHits = new Counter({
    name: 'lab_agent_limit_hits_total',
    help: 'Sandbox limits hit, by kind: memory (OOM kills), pids (forks refused), cgroups, output_rate, terminals, sandboxes (all slots in use).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'lab_agent_errors_total',
    help: 'Errors by kind (see docs/operations.md).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Zero series from the start: a counter that appears only at its first event makes rate() miss it.
    for (const kind of LIMIT_KINDS) this.limitHits.inc({ kind }, 0);
    for (const kind of ERROR_KINDS) this.errors.inc({ kind }, 0);
    for (const reason of ['flow', 'rate'] as const) this.ptyPauses.inc({ reason }, 0);
    this.bytesIn.inc(0);
    this.bytesOut.inc(0);
  }

  /** prom-client's process metrics; only in a process that serves /metrics. */
  enableDefaults(): void {
    if (this.defaultsOn) return;
    this.defaultsOn = true;
    collectDefaultMetrics({ register: this.registry });
  }

  limit(kind: LimitKind, n = 1): void {
    this.limitHits.inc({ kind }, n);
  }

  error(kind: AgentErrorKind): void {
    this.errors.inc({ kind });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export const agentMetrics = new AgentMetrics();
export type { AgentMetrics };
