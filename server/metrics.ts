/**
 * The web tier's Prometheus metrics (docs/operations.md lists them with their meaning). One
 * registry per process, as Prometheus scrapes per process: modules import `webMetrics` and count
 * where the thing happens. Our own names start with `lab_web_`; prom-client's default process
 * metrics (`process_*`, `nodejs_*`) keep their standard names so stock dashboards work.
 * Label values come from small fixed sets (never a learner, session or path), so the number of
 * series stays bounded however many learners come.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type CheckResultLabel = 'passed' | 'failed' | 'no_sandbox' | 'error';
export type WebErrorKind =
  | 'internal'
  | 'check'
  | 'check_timeout'
  | 'setup'
  | 'reset'
  | 'agent_channel'
  | 'agent_lost'
  | 'no_agent'
  | 'bad_frame'
  | 'upgrade_refused';
export type RouteLabel = 'api' | 'page' | 'metrics' | 'health';

const ERROR_KINDS: WebErrorKind[] = ['internal', 'check', 'check_timeout', 'setup', 'reset', 'agent_channel', 'agent_lost', 'no_agent', 'bad_frame', 'upgrade_refused'];
const CHECK_RESULTS: CheckResultLabel[] = ['passed', 'failed', 'no_sandbox', 'error'];

class WebMetrics {
  readonly registry = new Registry();
  private defaultsOn = false;
  /** Browser connections per session, per agent: the sessions gauge is "sessions with a viewer". */
  private readonly viewers = new Map<string, Map<string, number>>();

  readonly httpRequests = new Counter({
    name: 'lab_web_http_requests_total',
    help: 'HTTP requests answered, by route (api, page, metrics, health) and status code.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly terminalsOpen = new Gauge({
    name: 'lab_web_terminals_open',
    help: 'Browser terminal connections currently piped through the /ws gateway to an agent.',
    registers: [this.registry],
  });
  readonly sessionsCreated = new Counter({
    name: 'lab_web_sessions_created_total',
    help: 'Sessions (sandboxes) the gateway placed on an agent, by agent.',
    labelNames: ['agent'] as const,
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'lab_web_gateway_bytes_total',
    help: 'WebSocket payload bytes through the /ws gateway: direction="in" from browsers, "out" to browsers.',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  /** Children bound once: the gateway counts every frame, and label lookup is not free. */
  readonly bytesIn = this.bytes.labels({ direction: 'in' });
  readonly bytesOut = this.bytes.labels({ direction: 'out' });
  readonly checkSeconds = new Histogram({
    name: 'lab_web_check_duration_seconds',
    help: "Time to run a lesson step's check in the learner's sandbox (POST /api/check, the lesson set-up excluded).",
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly checks = new Counter({
    name: 'lab_web_checks_total',
    help: 'Step checks by result: passed, failed (the learner is not there yet), no_sandbox, error (could not run).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'lab_web_errors_total',
    help: 'Errors by kind (see docs/operations.md).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    const tier = this;
    new Gauge({
      name: 'lab_web_sessions',
      help: 'Sessions with at least one browser connected through this web tier, per agent.',
      labelNames: ['agent'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [agent, sessions] of tier.viewers) this.set({ agent }, sessions.size);
      },
    });
    // Zero series from the start: a counter that appears only at its first error makes rate() miss it.
    for (const kind of ERROR_KINDS) this.errors.inc({ kind }, 0);
    for (const result of CHECK_RESULTS) this.checks.inc({ result }, 0);
    this.bytesIn.inc(0);
    this.bytesOut.inc(0);
  }

  /** prom-client's process metrics; only in a process that serves /metrics (not in the CLI). */
  enableDefaults(): void {
    if (this.defaultsOn) return;
    this.defaultsOn = true;
    collectDefaultMetrics({ register: this.registry });
  }

  error(kind: WebErrorKind): void {
    this.errors.inc({ kind });
  }

  viewerAttached(agent: string, session: string): void {
    let sessions = this.viewers.get(agent);
    if (!sessions) this.viewers.set(agent, (sessions = new Map()));
    sessions.set(session, (sessions.get(session) ?? 0) + 1);
  }

  viewerDetached(agent: string, session: string): void {
    const sessions = this.viewers.get(agent);
    const n = sessions?.get(session);
    if (!sessions || n === undefined) return;
    if (n > 1) sessions.set(session, n - 1);
    else sessions.delete(session);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export const webMetrics = new WebMetrics();
export type { WebMetrics };
