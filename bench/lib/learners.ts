/**
 * Simulated learners for the "under load" echo figure: each opens its own sandbox through the
 * gateway and, until stopped, types a short command at human speed (one key every ~100 ms),
 * presses Enter, waits for its prompt, and pauses about a second. Enough to keep every hop busy
 * the way a class does, without the lesson logic of the real load generator (`lab loadtest`).
 *
 * They run in a child process of their own (learners-main.ts), so their work does not share an
 * event loop with the client that measures.
 */
import { openShell, resetSandbox, type GatewayClient } from './gateway-client';
import { jitter, mapLimit, sleep } from './util';

export const LEARNER_COMMANDS = ['echo hi', 'ls /', 'ps', 'pwd', 'date', 'cat /etc/hostname'] as const;
/** Their prompt: it cannot occur in the output of any command above. */
const PROMPT = 'lrn$ ';

export interface LearnerStats {
  learners: number;
  /** Learners whose sandbox did not start. */
  startFailures: number;
  commands: number;
  keystrokes: number;
  /** Commands whose prompt did not come back in time, and connections that closed. */
  errors: number;
  firstError: string | null;
}

export interface LearnerOptions {
  baseUrl: string;
  count: number;
  /** Sandboxes started at once while ramping up. */
  startConcurrency?: number;
  /** Delay between keys, ms. */
  keyMs?: [number, number];
  /** Pause after a command's prompt, ms. */
  thinkMs?: [number, number];
}

export class LearnerGroup {
  private clients: GatewayClient[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  readonly stats: LearnerStats;

  constructor(private readonly opts: LearnerOptions) {
    this.stats = { learners: 0, startFailures: 0, commands: 0, keystrokes: 0, errors: 0, firstError: null };
  }

  private error(e: unknown): void {
    this.stats.errors++;
    this.stats.firstError ??= e instanceof Error ? e.message : String(e);
  }

  /** Start every learner's sandbox and shell; resolves when all are typing. */
  async start(): Promise<void> {
    this.running = true;
    await mapLimit(Array.from({ length: this.opts.count }), this.opts.startConcurrency ?? 10, async () => {
      try {
        const c = await openShell(this.opts.baseUrl, { prompt: PROMPT });
        this.clients.push(c);
        this.stats.learners++;
        this.loops.push(this.loop(c));
      } catch (e) {
        this.stats.startFailures++;
        this.stats.firstError ??= `start: ${e instanceof Error ? e.message : String(e)}`;
      }
    });
  }

  private async loop(c: GatewayClient): Promise<void> {
    const [keyMin, keyMax] = this.opts.keyMs ?? [60, 140];
    const [thinkMin, thinkMax] = this.opts.thinkMs ?? [500, 1500];
    // Spread the learners out so they do not type in lockstep.
    await sleep(jitter(0, thinkMax));
    while (this.running && !c.closed) {
      const cmd = LEARNER_COMMANDS[jitter(0, LEARNER_COMMANDS.length - 1)]!;
      const from = c.received;
      for (const ch of cmd) {
        if (!this.running) return;
        c.type(ch);
        this.stats.keystrokes++;
        await sleep(jitter(keyMin, keyMax));
      }
      c.type('\r');
      this.stats.keystrokes++;
      try {
        await c.waitFor(/lrn\$ $/, { fromSeq: from, timeoutMs: 10_000 });
        this.stats.commands++;
      } catch (e) {
        if (!this.running) return;
        this.error(e);
        if (c.closed) return;
      }
      await sleep(jitter(thinkMin, thinkMax));
    }
  }

  /** Stop typing, dispose every sandbox, close every connection. */
  async stop(): Promise<LearnerStats> {
    this.running = false;
    await Promise.allSettled(this.loops);
    await mapLimit(this.clients, 20, async (c) => {
      if (c.closed) this.error(new Error(`a learner's connection closed during the run (${c.closed.code} ${c.closed.reason})`));
      await resetSandbox(this.opts.baseUrl, c.token).catch((e: unknown) => this.error(e));
      await c.closeAndWait();
    });
    return this.stats;
  }
}
