/**
 * The explorer of one session: reads snapshots of its sandbox and streams them to the viewers
 * attached to it (explorer panels), a full snapshot first and then deltas (protocol/explorer-
 * delta.ts), each viewer with its own consecutive `seq`. Also keeps the session's seccomp
 * denials (the newest EXPLORER_LIMITS.denials and a total).
 *
 * When it reads for its viewers: about once a second while at least one is attached (no timer
 * when none), shortly after a command finished (poke), and when a denial arrives; at most
 * EXPLORER_LIMITS.perSecond snapshots a second, requests that come while a read is scheduled
 * sharing it. A lesson check reads its own snapshot, at once (readForCheck).
 *
 * A viewer whose socket is backed up (a slow tab) is skipped rather than buffered without bound,
 * and gets a full snapshot once it has drained.
 */
import { EXPLORER_LIMITS, type ExplorerDelta, type ExplorerDenial, type ExplorerFull, type ExplorerSnapshot } from '../../../protocol/explorer';
import { diffExplorer } from '../../../protocol/explorer-delta';
import { encodeServerFrame } from '../../../protocol/frames';
import type { Viewer } from '../viewer';
import type { DenialState } from './snapshot';

/** Bytes a viewer's socket may hold unsent before it is skipped. */
export const MAX_QUEUED_BYTES = 256 * 1024;
const TICK_MS = 1000;
/** After Enter in a terminal: once soon, once more for what the command left behind. */
export const POKE_DELAYS_MS = [150, 700] as const;
const RATE_WINDOW_MS = 1000;

export interface HubOptions {
  /** Read the sandbox now (snapshot.ts), with the denials the hub kept. */
  read(denials: DenialState): ExplorerSnapshot;
  /** Whether the agent can read the kernel's log at all (kmsg.ts). */
  denialsAvailable: boolean;
  /** A read failed unexpectedly (vanishing processes are not failures). */
  onError(e: Error): void;
}

interface ViewerState {
  /** seq of the last message sent to this viewer. */
  seq: number;
  /** Holds the hub's last snapshot, so a delta from it applies. */
  synced: boolean;
}

export class ExplorerHub {
  private readonly viewers = new Map<Viewer, ViewerState>();
  private readonly denials: ExplorerDenial[] = [];
  private deniedTotal = 0;
  /** The snapshot every synced viewer holds. */
  private last: ExplorerSnapshot | undefined;
  /** When the latest reads happened (at most perSecond of them), oldest first. */
  private readonly reads: number[] = [];
  private scheduled: { promise: Promise<ExplorerSnapshot>; timer: NodeJS.Timeout } | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private readonly pokes = new Set<NodeJS.Timeout>();
  private disposed = false;

  constructor(private readonly o: HubOptions) {}

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** A new viewer gets a full snapshot as soon as one is read, then deltas. */
  attach(viewer: Viewer): void {
    if (this.disposed) return;
    this.viewers.set(viewer, { seq: 0, synced: false });
    if (!this.ticker) {
      this.ticker = setInterval(() => this.refresh(), TICK_MS);
      this.ticker.unref();
    }
    this.refresh();
  }

  detach(viewer: Viewer): void {
    this.viewers.delete(viewer);
    if (this.viewers.size > 0) return;
    clearInterval(this.ticker);
    this.ticker = undefined;
    for (const t of this.pokes) clearTimeout(t);
    this.pokes.clear();
  }

  /** A command may have just finished (Enter in a terminal): look again soon, if anyone watches. */
  poke(): void {
    if (this.viewers.size === 0 || this.disposed) return;
    for (const ms of POKE_DELAYS_MS) {
      const t: NodeJS.Timeout = setTimeout(() => {
        this.pokes.delete(t);
        this.refresh();
      }, ms);
      t.unref();
      this.pokes.add(t);
    }
  }

  /** A seccomp denial in this sandbox: kept, and shown to viewers with the next read. */
  deny(d: ExplorerDenial): void {
    this.denials.push(d);
    this.deniedTotal++;
    if (this.denials.length > EXPLORER_LIMITS.denials) this.denials.splice(0, this.denials.length - EXPLORER_LIMITS.denials);
    if (this.viewers.size > 0) this.refresh();
  }

  /**
   * A read for the viewers after this call, as soon as the rate limit allows; asks that come
   * while one is scheduled share it. Never settles once the hub is disposed.
   */
  private scheduleRead(): Promise<ExplorerSnapshot> {
    if (this.scheduled) return this.scheduled.promise;
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<ExplorerSnapshot>((resolve, reject) => {
      timer = setTimeout(() => {
        this.scheduled = undefined;
        try {
          resolve(this.readNow());
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }, this.waitMs());
      timer.unref();
    });
    this.scheduled = { promise, timer: timer! };
    return promise;
  }

  /**
   * A snapshot read now, for a lesson check (session.ts writes it to the check's stdin). Neither
   * sent to viewers nor counted against their rate: a check must see the sandbox as it is at
   * that moment (right after a command), and it already costs a whole process in the sandbox,
   * far more than this read, so the rate of checks bounds it.
   */
  readForCheck(): ExplorerSnapshot {
    return this.o.read(this.denialState());
  }

  dispose(): void {
    this.disposed = true;
    for (const viewer of [...this.viewers.keys()]) this.detach(viewer);
    if (this.scheduled) clearTimeout(this.scheduled.timer);
    this.scheduled = undefined;
  }

  private refresh(): void {
    this.scheduleRead().catch((e: Error) => this.o.onError(e));
  }

  /** How long until another read is allowed (EXPLORER_LIMITS.perSecond in any second). */
  private waitMs(): number {
    if (this.reads.length < EXPLORER_LIMITS.perSecond) return 0;
    return Math.max(0, this.reads[0]! + RATE_WINDOW_MS - Date.now());
  }

  private readNow(): ExplorerSnapshot {
    this.reads.push(Date.now());
    if (this.reads.length > EXPLORER_LIMITS.perSecond) this.reads.shift();
    const next = this.o.read(this.denialState());
    this.broadcast(next);
    return next;
  }

  private denialState(): DenialState {
    return { denials: [...this.denials], total: this.deniedTotal, available: this.o.denialsAvailable };
  }

  private broadcast(next: ExplorerSnapshot): void {
    const delta = this.last ? diffExplorer(this.last, next, 0) : 'full';
    for (const [viewer, state] of this.viewers) {
      if (viewer.bufferedAmount > MAX_QUEUED_BYTES) {
        state.synced = false;
        continue;
      }
      if (!state.synced || delta === 'full') {
        send(viewer, { type: 'explorer', seq: ++state.seq, snapshot: next });
        state.synced = true;
      } else if (delta !== null) {
        send(viewer, { ...delta, seq: ++state.seq });
      }
    }
    this.last = next;
  }
}

function send(viewer: Viewer, msg: ExplorerFull | ExplorerDelta): void {
  viewer.send(encodeServerFrame({ op: 'control', json: JSON.stringify(msg) }));
}
