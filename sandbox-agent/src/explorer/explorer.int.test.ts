/**
 * The explorer against the real kernel: in a real sandbox the learner makes a nested PID
 * namespace, a network namespace, a memory-limited cgroup and a seccomp denial, and the
 * explorer channel (and a run with `explorer: true`) shows each, in the sandbox's numbering;
 * a second sandbox's explorer shows none of it.
 * Requires root, bubblewrap, cgroups, a rootfs whose deny-syscall logs its denials, and a
 * readable /dev/kmsg; elsewhere it skips with the reason. Kernel state is polled with a
 * deadline, never timed.
 */
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { EXPLORER_LIMITS, ExplorerSnapshot as SnapshotSchema, type ExplorerSnapshot } from '../../../protocol/explorer';
import { applyExplorerDelta } from '../../../protocol/explorer-delta';
import { decodeServerFrame, encodeClientFrame } from '../../../protocol/frames';
import { CloseCode, parseControl, ServerControl } from '../../../protocol/messages';
import { AgentClient } from '../../../server/agent-client';
import { cannotRun, newId, run } from '../../test/harness';
import type { Agent } from '../agent';
import { loadAgentConfig } from '../config';
import { startPrivateAgent } from '../private-agent';

const DENY_SOURCE = join(__dirname, '../../rootfs/tools/deny-syscall.c');
const DEADLINE_MS = 30_000;

function whyNot(): string | null {
  const base = cannotRun();
  if (base) return base;
  const installed = join(loadAgentConfig().rootfs, 'usr/local/src/deny-syscall/deny-syscall.c');
  if (!existsSync(installed) || readFileSync(installed, 'utf8') !== readFileSync(DENY_SOURCE, 'utf8')) {
    return 'the rootfs has an older deny-syscall (its denials are not logged): node scripts/lib/rootfs.mjs rebuilds it';
  }
  try {
    closeSync(openSync('/dev/kmsg', 'r'));
  } catch (e) {
    return `/dev/kmsg is not readable (${(e as Error).message})`;
  }
  return null;
}

const reason = whyNot();
if (reason) console.warn(`[integration] skipped: ${reason}`);

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An explorer channel: every message it got, and the snapshot a page would hold. */
class ExplorerViewer {
  readonly types: string[] = [];
  snapshot: ExplorerSnapshot | undefined;
  closed: { code: number; reason: string } | undefined;
  private seq = 0;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op !== 'control') throw new Error(`unexpected ${f.op} frame on an explorer channel`);
      const m = parseControl(ServerControl, f.json);
      if (!m.ok) throw new Error(m.error);
      const msg = m.value;
      if (msg.type !== 'explorer' && msg.type !== 'explorer-delta') return;
      this.types.push(msg.type);
      expect(msg.seq).toBe(this.seq + 1);
      this.seq = msg.seq;
      this.snapshot = msg.type === 'explorer' ? msg.snapshot : applyExplorerDelta(this.snapshot!, msg);
    });
    ws.on('close', (code, why) => (this.closed = { code, reason: why.toString() }));
  }

  static open(client: AgentClient, id: string): ExplorerViewer {
    return new ExplorerViewer(client.open({ session: { id, create: false, disposeOnClose: false }, channel: { kind: 'explorer' } }));
  }

  /** The first snapshot (as held by the viewer) for which `ok` is true, within the deadline. */
  async until(ok: (s: ExplorerSnapshot) => boolean, what: string, beforeEach?: () => Promise<unknown>): Promise<ExplorerSnapshot> {
    const end = Date.now() + DEADLINE_MS;
    while (Date.now() < end) {
      await beforeEach?.();
      if (this.snapshot && ok(this.snapshot)) return this.snapshot;
      await settle(200);
    }
    throw new Error(`explorer never showed ${what}; last snapshot: ${JSON.stringify(this.snapshot)}`);
  }

  close(): void {
    this.ws.close(1000);
  }
}

/** A run with `explorer: true`: its stdin is the snapshot as text; returns what `cat` echoed. */
function explorerRun(client: AgentClient, id: string): Promise<string> {
  const ws = client.open({ session: { id, create: false, disposeOnClose: false }, channel: { kind: 'run', argv: ['cat'], tty: false, explorer: true } });
  let out = '';
  return new Promise((resolve, reject) => {
    ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op === 'output') out += Buffer.from(f.data).toString();
    });
    ws.on('close', (code, why) => (code === 1000 ? resolve(out) : reject(new Error(`run closed ${code}: ${why.toString()}`))));
  });
}

describe.skipIf(reason !== null)('explorer (real kernel)', () => {
  let agent: Agent;
  let client: AgentClient;
  const a = newId();
  const b = newId();
  const sh = (id: string, script: string) => run(client, id, ['bash', '-c', script]);

  beforeAll(async () => {
    // Its own cgroup parent (container-lab-explorer-test-PID) and ids, far from other tests'.
    const started = await startPrivateAgent({ purpose: 'explorer-test', slots: 4, uidBase: 6_900_000, subidBase: 3_000_000_000 });
    agent = started.agent;
    client = new AgentClient('test', agent.socketPath, started.token);
    for (const id of [a, b]) expect((await sh(id, 'true')).code).toBe(0);
  });
  afterAll(async () => {
    await agent?.close();
  });

  it('shows a nested PID namespace, a network namespace, a limited cgroup and a denial, and none of it next door', async () => {
    const viewer = ExplorerViewer.open(client, a);
    const other = ExplorerViewer.open(client, b);
    const quiet = '</dev/null >/dev/null 2>&1 &';
    const made = await sh(
      a,
      [
        `unshare --pid --fork --mount-proc sleep 600 ${quiet}`,
        `unshare --net sleep 601 ${quiet}`,
        'cgcreate -g memory:mygroup',
        'echo 20000000 > /sys/fs/cgroup/memory/mygroup/memory.limit_in_bytes',
        `cgexec -g memory:mygroup sleep 602 ${quiet}`,
      ].join('\n'),
    );
    expect(made.stderr).toBe('');

    const s = await viewer.until((x) => ['sleep 600', 'sleep 601', 'sleep 602'].every((c) => x.processes.some((p) => p.cmdline === c)), 'the three sleeps');
    expect(SnapshotSchema.safeParse(s).success).toBe(true);
    const init = s.processes.find((p) => p.pid === 1)!;
    expect(init).toMatchObject({ ppid: 0, nspid: [1], comm: 'lab-init', cgroup: '/', seccomp: { mode: 2, filters: 1 } });
    expect(init.ns).toEqual(s.baseNs);

    const nested = s.processes.find((p) => p.cmdline === 'sleep 600')!;
    expect(nested.nspid).toEqual([nested.pid, 1]);
    expect(nested.ns.pid).not.toBe(s.baseNs.pid);
    expect(s.processes.find((p) => p.pid === nested.ppid)?.comm).toBe('unshare');

    const netted = s.processes.find((p) => p.cmdline === 'sleep 601')!;
    expect(netted.ns.net).not.toBe(s.baseNs.net);
    expect(netted.ns.pid).toBe(s.baseNs.pid);

    const grouped = s.processes.find((p) => p.cmdline === 'sleep 602')!;
    expect(grouped.cgroup).toBe('/mygroup');
    const group = s.cgroups.find((c) => c.path === '/mygroup')!;
    // v1 rounds a limit down to whole pages.
    expect(group.memory?.limit).toBeGreaterThan(19_000_000);
    expect(group.memory?.limit).toBeLessThanOrEqual(20_000_000);
    expect(group.procs).toBe(1);
    expect(s.cgroups.find((c) => c.path === '/')?.memory?.limit).toBe(loadAgentConfig().profile.memoryBytes);

    // The kernel logs denials through a machine-wide rate limit (kmsg.ts): ask again until one is seen.
    const pids: number[] = [];
    const denied = await viewer.until(
      (x) => x.denials.some((d) => d.comm === 'mkdir'),
      'a mkdir denial',
      async () => {
        const r = await sh(a, "deny-syscall mkdir -- bash -c 'echo $$; exec mkdir /tmp/x'");
        expect(r.stderr).toMatch(/Operation not permitted/);
        pids.push(Number(r.stdout.trim()));
      },
    );
    const d = denied.denials.find((x) => x.comm === 'mkdir')!;
    expect(['mkdir', 'mkdirat']).toContain(d.syscall);
    expect(d.action).toBe('errno');
    // Read up to half a second late, mkdir is usually gone: null, or the PID it had.
    if (d.pid !== null) expect(pids).toContain(d.pid);
    expect(denied.deniedTotal).toBeGreaterThanOrEqual(1);
    expect(denied.denialsAvailable).toBe(true);

    // A check's view: the same picture, as text on stdin.
    const text = await explorerRun(client, a);
    expect(text).toMatch(new RegExp(`^process\\t${nested.pid}\\t${nested.pid},1\\t`, 'm'));
    expect(text).toMatch(/^namespace\tnet\t\d+\tnew\t1$/m);
    expect(text).toMatch(/^cgroup\t\/mygroup\t1\t\d+\t\d+\t/m);
    expect(text).toMatch(/^denial\t(\d+|-)\tmkdir\tmkdir(at)?\terrno$/m);

    // Next door: its own init and nothing of the above.
    const elsewhere = await other.until((x) => x.processes.length > 0, "the other sandbox's processes");
    expect(elsewhere.processes.map((p) => p.cmdline)).not.toEqual(expect.arrayContaining(['sleep 600']));
    expect(elsewhere.processes.some((p) => /sleep 60\d/.test(p.cmdline))).toBe(false);
    expect(elsewhere.cgroups.map((c) => c.path)).not.toContain('/mygroup');
    expect(elsewhere.denials).toEqual([]);
    expect(elsewhere.baseNs.pid).not.toBe(s.baseNs.pid);
    viewer.close();
    other.close();
  });

  it('shows a crowd of processes as EXPLORER_LIMITS.processes and "N more"', async () => {
    const c = newId();
    expect((await sh(c, 'for i in $(seq 200); do sleep 700 </dev/null >/dev/null 2>&1 & done')).code).toBe(0);
    const viewer = ExplorerViewer.open(client, c);
    const s = await viewer.until((x) => x.omittedProcesses > 0, 'omitted processes');
    expect(s.processes).toHaveLength(EXPLORER_LIMITS.processes);
    expect(s.processes.length + s.omittedProcesses).toBeGreaterThanOrEqual(201);
    expect(SnapshotSchema.safeParse(s).success).toBe(true);
    viewer.close();
    await agent.sessions.get(c)?.dispose('test over');
  });

  it('streams a full snapshot, then deltas; a frame other than an ack closes the channel', async () => {
    const viewer = ExplorerViewer.open(client, b);
    await viewer.until(() => true, 'a first snapshot');
    expect(viewer.types[0]).toBe('explorer');
    expect((await sh(b, 'sleep 605 </dev/null >/dev/null 2>&1 &')).code).toBe(0);
    await viewer.until((x) => x.processes.some((p) => p.cmdline === 'sleep 605'), 'sleep 605');
    expect(viewer.types.slice(1)).toContain('explorer-delta');
    expect(viewer.types.filter((t) => t === 'explorer')).toHaveLength(1);

    viewer.ws.send(encodeClientFrame({ op: 'ack', seq: 1 }));
    viewer.ws.send(encodeClientFrame({ op: 'input', data: new TextEncoder().encode('x') }));
    const end = Date.now() + DEADLINE_MS;
    while (!viewer.closed && Date.now() < end) await settle(50);
    expect(viewer.closed?.code).toBe(CloseCode.BAD_FRAME);
  });
});
