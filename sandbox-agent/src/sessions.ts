/**
 * The agent's sessions by id, and the one way to create one: concurrent hellos for the same new
 * id share a single launch; the total is bounded by the identity pool (LAB_MAX_SANDBOXES).
 */
import type { Profile } from '../../protocol/profile';
import type { SeccompAudit } from './explorer/audit';
import { launchSandbox, type LaunchContext } from './isolation/launch';
import type { Logger } from './log';
import { agentMetrics } from './metrics';
import { Session, type ExplorerContext } from './session';

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly starting = new Map<string, Promise<Session>>();

  constructor(
    private readonly ctx: LaunchContext,
    private readonly log: Logger,
    private readonly explorer: ExplorerContext,
  ) {}

  get(id: string): Session | undefined {
    const s = this.sessions.get(id);
    return s && !s.disposed ? s : undefined;
  }

  /** An existing session, waiting for one that is still starting (a second tab's hello). */
  async find(id: string): Promise<Session | undefined> {
    const starting = this.starting.get(id);
    if (starting) return starting.catch(() => undefined);
    return this.get(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  getOrCreate(id: string, profile: Profile): Promise<Session> {
    const existing = this.get(id);
    if (existing) return Promise.resolve(existing);
    let p = this.starting.get(id);
    if (!p) {
      p = (async () => {
        const t0 = performance.now();
        const sandbox = await launchSandbox(this.ctx, id, profile);
        const s = new Session(id, profile, sandbox, this.explorer, (done) => {
          if (this.sessions.get(id) === done) this.sessions.delete(id);
          this.log.info(`session ${id} disposed`, { session: id });
        });
        this.sessions.set(id, s);
        const ms = performance.now() - t0;
        // Only the launch is timed: a second tab's hello joins this promise and is no new start.
        agentMetrics.startSeconds.observe(ms / 1000);
        this.log.info(`session ${id} started in ${ms.toFixed(0)} ms (init pid ${sandbox.initPid})`, { session: id });
        return s;
      })().finally(() => this.starting.delete(id));
      this.starting.set(id, p);
    }
    return p;
  }

  /** Hand a seccomp audit record to the session whose sandbox owns its host uid, if any. */
  recordDenial(r: SeccompAudit): void {
    for (const s of this.sessions.values()) {
      if (s.ownsUid(r.uid)) return s.recordDenial(r);
    }
  }

  async disposeAll(reason: string): Promise<void> {
    await Promise.allSettled([...this.starting.values()]);
    await Promise.allSettled([...this.sessions.values()].map((s) => s.dispose(reason)));
  }
}
