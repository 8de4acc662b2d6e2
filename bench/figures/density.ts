/**
 * `idle_session_mb` (issue 5, item 4): what one idle session costs (agent, web tier and sandbox
 * processes together, one terminal each), at 50, 150 and 300 concurrent idle sessions.
 *
 * How: open N learners through the gateway (each its own cookie, hence its own sandbox, one
 * terminal, waiting for the prompt), let it settle, then measure
 *  - the server's own processes (web tier, agent; everything under the server's pid that is not
 *    in a sandbox cgroup): PSS from /proc/PID/smaps_rollup, so pages they share are split, not
 *    counted once per process;
 *  - the sandboxes: the sum of `memory.usage_in_bytes` of each session's memory cgroup
 *    (<memory mount>/<parent>/<session>). That is the kernel's own charge: anonymous memory,
 *    tmpfs, kernel memory (page tables, slab) and page cache first touched by that sandbox. It
 *    is used rather than the sandbox processes' PSS because it includes kernel memory; their PSS
 *    is reported beside it. The two groups are disjoint (a server process is never in a session
 *    cgroup), so nothing is counted twice;
 *  - CPU over an idle window: utime+stime of the server processes and `cpuacct.usage` of the
 *    session cgroups, as a share of one core;
 *  - as a cross-check, the machine's used memory (MemTotal - MemAvailable, less this client's
 *    own RSS) against before the first session: it catches what the two above miss (kernel
 *    memory not charged to any cgroup), but is noisy (page cache, anything else running).
 * Cost per session = (server PSS + sandbox cgroups) / N, the server's fixed cost included; the
 * marginal cost (growth between counts) is in `detail` too. Afterwards every sandbox is reset and
 * the count of session cgroups must come back to what it was.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LearnerHttp } from '../../cli/loadtest-http';
import { cgroupParentOf, countSandboxes, waitForCount } from '../../cli/loadtest-leftovers';
import { GatewayTerminal } from '../../cli/loadtest-terminal';
import { percentile, type BenchContext, type Figure, type FigureModule } from '../figure';
import { descendants, listProcesses } from '../lib/proc';
import { mapLimit, round } from '../lib/util';

const FULL = { counts: [50, 150, 300], idleMs: 60_000, settleMs: 10_000 };
const QUICK = { counts: [5, 10, 20], idleMs: 10_000, settleMs: 3_000 };
const TARGET_MB = 10;
const MiB = 1024 * 1024;
/** Sandboxes started at once while opening sessions (a class arriving, not one at a time). */
const OPEN_CONCURRENCY = 8;
const CGROUP_ROOT = '/sys/fs/cgroup';

// ---------------------------------------------------------------------------------------------
// Pure parts (unit-tested in density.test.ts)

/** `Pss:` and `Rss:` of /proc/PID/smaps_rollup, in bytes. */
export function parseSmapsRollup(text: string): { pss: number; rss: number } {
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { pss: field('Pss'), rss: field('Rss') };
}

/**
 * Whether a process is in one of the agent's session cgroups, from /proc/PID/cgroup: on v1 the
 * memory controller's line, on v2 the unified line, names a path under `/<parent>/`.
 */
export function inSessionCgroup(procCgroup: string, parent: string): boolean {
  for (const line of procCgroup.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    if (controllers === '' || controllers!.split(',').includes('memory')) {
      if (path.startsWith(`/${parent}/`)) return true;
    }
  }
  return false;
}

export interface Snapshot {
  /** Server processes (not in a session cgroup) under the server's pid. */
  serverPss: number;
  serverRss: number;
  serverProcesses: number;
  serverCpuSec: number;
  /** The sandboxes' processes. */
  sandboxPss: number;
  sandboxProcesses: number;
  /** memory.usage_in_bytes of each measured session cgroup. */
  sessionUsage: number[];
  sandboxCpuSec: number;
  /** MemTotal - MemAvailable. */
  machineUsed: number;
  /** This (the client's) process's RSS: its 300 WebSockets are on the same machine, not the server's cost. */
  clientRss: number;
}

export interface CountCost {
  count: number;
  /** (server PSS + sandbox cgroups) / count, MB. */
  mbPerSession: number;
  /** (server PSS + sandbox PSS) / count, MB: the same without kernel memory. */
  pssMbPerSession: number;
  /** Machine used memory growth since no session / count, MB (noisy). */
  machineMbPerSession: number;
  /** One sandbox's cgroup plus its share of the server, MB, at p50 and p99 over sessions. */
  sessionP50Mb: number;
  sessionP99Mb: number;
  serverMb: number;
  sandboxCgroupMb: number;
  /** Share of one core per session over the idle window, percent. */
  cpuPctPerSession: number;
  total: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Costs at one count from a snapshot, the snapshot with no session (`base`) and the CPU window. */
export function costAt(count: number, snap: Snapshot, base: Snapshot, cpu: { serverSec: number; sandboxSec: number; windowSec: number }): CountCost {
  const sandboxCgroup = sum(snap.sessionUsage);
  const total = snap.serverPss + sandboxCgroup;
  const serverShare = snap.serverPss / count;
  const perSession = snap.sessionUsage.map((u) => (u + serverShare) / MiB);
  return {
    count,
    mbPerSession: total / count / MiB,
    pssMbPerSession: (snap.serverPss + snap.sandboxPss) / count / MiB,
    machineMbPerSession: (snap.machineUsed - snap.clientRss - (base.machineUsed - base.clientRss)) / count / MiB,
    sessionP50Mb: percentile(perSession, 50),
    sessionP99Mb: percentile(perSession, 99),
    serverMb: snap.serverPss / MiB,
    sandboxCgroupMb: sandboxCgroup / MiB,
    cpuPctPerSession: ((cpu.serverSec + cpu.sandboxSec) / cpu.windowSec / count) * 100,
    total,
  };
}

/** How cost grows: MB per session added between consecutive counts. */
export function marginalMb(costs: readonly CountCost[]): Array<{ from: number; to: number; mb: number }> {
  const out: Array<{ from: number; to: number; mb: number }> = [];
  for (let i = 1; i < costs.length; i++) {
    const a = costs[i - 1]!;
    const b = costs[i]!;
    out.push({ from: a.count, to: b.count, mb: (b.total - a.total) / (b.count - a.count) / MiB });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading the machine (root)

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readOr(path: string, fallback = ''): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback; // a process that exited meanwhile, a cgroup being removed
  }
}

function machineUsed(): number {
  const info = readOr('/proc/meminfo');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(info)?.[1] ?? 0) * 1024;
  return kb('MemTotal') - kb('MemAvailable');
}

/** Session cgroup directories (names) under the parent in a v1 controller's hierarchy. */
function sessionNames(controller: string, parent: string): string[] {
  try {
    return readdirSync(join(CGROUP_ROOT, controller, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Every pid in a cgroup directory and below it (a learner may make sub-groups). */
function pidsUnder(dir: string): number[] {
  const pids = readOr(join(dir, 'cgroup.procs'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
  let children: string[] = [];
  try {
    children = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    /* removed meanwhile */
  }
  return [...pids, ...children.flatMap(pidsUnder)];
}

function snapshot(serverPid: number, parent: string, sessions: readonly string[]): Snapshot {
  const snap: Snapshot = { serverPss: 0, serverRss: 0, serverProcesses: 0, serverCpuSec: 0, sandboxPss: 0, sandboxProcesses: 0, sessionUsage: [], sandboxCpuSec: 0, machineUsed: machineUsed(), clientRss: process.memoryUsage().rss };
  const all = listProcesses();
  for (const pid of descendants(all, serverPid)) {
    if (inSessionCgroup(readOr(`/proc/${pid}/cgroup`), parent)) continue;
    const m = parseSmapsRollup(readOr(`/proc/${pid}/smaps_rollup`));
    snap.serverPss += m.pss;
    snap.serverRss += m.rss;
    snap.serverProcesses++;
    snap.serverCpuSec += all.get(pid)!.cpuTicks / CLK_TCK;
  }
  for (const s of sessions) {
    const mem = join(CGROUP_ROOT, 'memory', parent, s);
    snap.sessionUsage.push(Number(readOr(join(mem, 'memory.usage_in_bytes'), '0')));
    snap.sandboxCpuSec += Number(readOr(join(CGROUP_ROOT, 'cpuacct', parent, s, 'cpuacct.usage'), '0')) / 1e9;
    for (const pid of pidsUnder(mem)) {
      snap.sandboxPss += parseSmapsRollup(readOr(`/proc/${pid}/smaps_rollup`)).pss;
      snap.sandboxProcesses++;
    }
  }
  return snap;
}

/** CPU seconds used so far by the web tier (the server pid), the agent (its other non-sandbox
 * descendants) and every sandbox of the parent (cpuacct is hierarchical and keeps the time of
 * sandboxes already removed). The classroom figure reports the split over its run. */
export function cpuSplit(serverPid: number, parent: string): { webSec: number; agentSec: number; sandboxSec: number } {
  const all = listProcesses();
  let webSec = 0;
  let agentSec = 0;
  for (const pid of descendants(all, serverPid)) {
    if (inSessionCgroup(readOr(`/proc/${pid}/cgroup`), parent)) continue;
    const sec = all.get(pid)!.cpuTicks / CLK_TCK;
    if (pid === serverPid) webSec += sec;
    else agentSec += sec;
  }
  const sandboxSec = Number(readOr(join(CGROUP_ROOT, 'cpuacct', parent, 'cpuacct.usage'), '0')) / 1e9;
  return { webSec, agentSec, sandboxSec };
}

// ---------------------------------------------------------------------------------------------
// Sessions

interface IdleSession {
  http: LearnerHttp;
  terminal: GatewayTerminal | undefined;
}

/** One learner with one terminal through the gateway, showing its prompt; throws a sentence. */
async function openSession(base: string, onEnd: (why: string) => void): Promise<IdleSession> {
  const http = new LearnerHttp(base);
  const session: IdleSession = { http, terminal: undefined };
  // Any answer of the web tier gives a learner its cookie; the API is cheaper than a page.
  const r = await http.page('/api/progress');
  if (r.status !== 200 || !http.cookie) throw new Error(`GET /api/progress answered ${r.status}${http.cookie ? '' : ' without a cookie'}`);
  const t = new GatewayTerminal(base, http.cookie, '1', 0, { echo: () => undefined, unechoed: () => undefined, ended: (e) => onEnd(e.why) });
  session.terminal = t;
  try {
    await t.opened(60_000);
    await t.waitFor(/[#$] $/, 30_000);
  } catch (e) {
    t.close();
    http.close();
    throw e;
  }
  return session;
}

async function closeSession(s: IdleSession): Promise<string | null> {
  await s.terminal?.closeAndWait();
  try {
    const r = await s.http.post('/api/sandbox/reset');
    return r.status === 200 ? null : `reset answered ${r.status}`;
  } catch (e) {
    return `reset: ${(e as Error).message}`;
  } finally {
    s.http.close();
  }
}

export const module: FigureModule = {
  name: 'density',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const shape = ctx.quick ? QUICK : FULL;
    const parent = cgroupParentOf(ctx.serverPid) ?? 'container-lab-bench';
    const errors: string[] = [];
    const before = new Set(sessionNames('memory', parent));
    const countBefore = countSandboxes(parent).count;
    await sleep(shape.settleMs / 2);
    const base = snapshot(ctx.serverPid, parent, []);

    const sessions: IdleSession[] = [];
    const costs: CountCost[] = [];
    let errorCount = 0;
    const fail = (m: string) => {
      errorCount++;
      if (errors.length < 20) errors.push(m);
    };
    try {
      for (const count of shape.counts) {
        const need = count - sessions.length;
        ctx.log(`density: opening ${need} more idle session(s), to ${count}`);
        const opened = await mapLimit(Array.from({ length: need }), OPEN_CONCURRENCY, async (_, i) =>
          openSession(ctx.baseUrl, (why) => fail(`session ${sessions.length + i}: ${why}`)).catch((e: Error) => {
            fail(`session ${sessions.length + i} did not open: ${e.message.split('\n')[0]}`);
            return null;
          }),
        );
        for (const s of opened) if (s) sessions.push(s);
        if (sessions.length < count) {
          ctx.log(`density: only ${sessions.length} of ${count} sessions opened; stopping here`);
          break;
        }
        await sleep(shape.settleMs);
        const mine = sessionNames('memory', parent).filter((n) => !before.has(n));
        const t0 = snapshot(ctx.serverPid, parent, mine);
        await sleep(shape.idleMs);
        const t1 = snapshot(ctx.serverPid, parent, mine);
        const cost = costAt(count, t1, base, {
          serverSec: t1.serverCpuSec - t0.serverCpuSec,
          sandboxSec: t1.sandboxCpuSec - t0.sandboxCpuSec,
          windowSec: shape.idleMs / 1000,
        });
        if (mine.length !== count) fail(`${mine.length} session cgroups for ${count} sessions`);
        ctx.log(
          `density: ${count} idle: ${cost.mbPerSession.toFixed(2)} MB/session (server ${cost.serverMb.toFixed(0)} MB in ${t1.serverProcesses} processes, ` +
            `sandboxes ${cost.sandboxCgroupMb.toFixed(0)} MB in ${t1.sandboxProcesses} processes), cpu ${cost.cpuPctPerSession.toFixed(3)} % of a core/session`,
        );
        costs.push(cost);
      }
    } finally {
      ctx.log(`density: closing ${sessions.length} session(s)`);
      const results = await mapLimit(sessions, 16, (s) => closeSession(s));
      for (const r of results) if (r) fail(r);
    }
    const after = await waitForCount(parent, countBefore, 60_000);
    const left = Math.max(0, after - countBefore);

    const last = costs.at(-1);
    const largest = shape.counts.at(-1)!;
    const complete = costs.length === shape.counts.length;
    const detail: Record<string, number | string> = {};
    for (const c of costs) {
      detail[`mb_per_session_at_${c.count}`] = round(c.mbPerSession);
      detail[`pss_mb_per_session_at_${c.count}`] = round(c.pssMbPerSession);
      detail[`machine_mb_per_session_at_${c.count}`] = round(c.machineMbPerSession);
      detail[`server_mb_at_${c.count}`] = round(c.serverMb, 1);
      detail[`sandbox_cgroup_mb_at_${c.count}`] = round(c.sandboxCgroupMb, 1);
      detail[`cpu_pct_per_session_at_${c.count}`] = round(c.cpuPctPerSession, 4);
    }
    for (const m of marginalMb(costs)) detail[`marginal_mb_${m.from}_to_${m.to}`] = round(m.mb);
    detail.server_mb_no_session = round(base.serverPss / MiB, 1);
    detail.idle_window_s = shape.idleMs / 1000;
    detail.errors = errorCount;
    detail.leftover = left;
    if (errors[0]) detail.first_error = errors[0];
    return [
      {
        name: 'idle_session_mb',
        unit: 'MB',
        p50: last ? round(last.mbPerSession) : Number.NaN,
        p99: last ? round(last.sessionP99Mb) : Number.NaN,
        baseline_p50: null,
        ratio: null,
        target: `≤ ${TARGET_MB} MB per idle session at ${shape.counts.join(', ')} sessions${ctx.quick ? ' (quick)' : ''}; ${largest} without any error`,
        met: complete && errorCount === 0 && left === 0 && costs.every((c) => c.mbPerSession <= TARGET_MB),
        detail,
      },
    ];
  },
};
