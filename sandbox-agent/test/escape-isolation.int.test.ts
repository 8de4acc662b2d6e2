/**
 * Escape and abuse suite, part 3: the session's cgroups, the network, the agent's file
 * descriptors and host privilege through setuid binaries (research/sandbox.md §5 and §6.4).
 * Every case asserts the attack is contained; after every case (escapeSuite) a neighbouring
 * sandbox must still echo a fresh marker within 5 s and host canaries must be untouched.
 * Network cases only use loopback addresses and a network namespace the test makes itself.
 * Requires root, bubblewrap, cgroups and the built rootfs; elsewhere it skips with the reason.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cannotRun, run, TermClient } from './harness';
import { cgroupDirsOf, escapeSuite, eventually, hostView, marker, read, readOr, safeReaddir, safeReadlink, sandboxProcesses, sessionCgroups, sh } from './escape-helpers';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);


function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as { port: number }).port));
  });
}

describe.skipIf(reason !== null)('escape suite: cgroups, network, descriptors, privilege (real sandboxes)', () => {
  const s = escapeSuite();

  describe('cgroup limits', () => {
    it("raise the session's own limits from inside: refused, and the host-side values are unchanged", async () => {
      const id = s.session();
      await run(s.h.client, id, ['true']);
      const cg = sessionCgroups(s.get(id).initPid);
      const knobs: Array<[string, string, string]> = [
        ['memory', 'memory.limit_in_bytes', '-1'],
        ['memory', 'memory.memsw.limit_in_bytes', '-1'],
        ['memory', 'memory.soft_limit_in_bytes', '-1'],
        ['memory', 'memory.oom_control', '1'],
        ['pids', 'pids.max', 'max'],
        ['cpu', 'cpu.cfs_quota_us', '-1'],
        ['cpu', 'cpu.cfs_period_us', '1000'],
        ['cpu', 'cpu.shares', '262144'],
      ];
      const hostPath = (c: string, f: string) => `${cg[c as keyof typeof cg]}/${f}`;
      const before = knobs.map(([c, f]) => readOr(hostPath(c, f)));
      const r = await run(
        s.h.client,
        id,
        sh(`${knobs.map(([c, f, v]) => `test -e /sys/fs/cgroup/${c}/${f} && { echo ${v} > /sys/fs/cgroup/${c}/${f} 2>/dev/null && echo "RAISED ${f}"; }`).join('; ')}; echo probed`),
      );
      expect(r.stdout.trim()).toBe('probed');
      expect(knobs.map(([c, f]) => readOr(hostPath(c, f)))).toEqual(before);
      expect(Number(read(hostPath('memory', 'memory.limit_in_bytes')))).toBe(s.profile.memoryBytes);
    });

    it("escape the session cgroup through a parent's cgroup.procs: no parent is visible, /proc/self/cgroup shows /", async () => {
      const id = s.session();
      const r = await run(
        s.h.client,
        id,
        sh(
          'grep -E ":(memory|pids|cpu):" /proc/self/cgroup; echo ---; ls /sys/fs/cgroup/memory/..; echo ---; ' +
            // A fresh mount of the hierarchy shows the cgroup namespace's root: the session's own
            // cgroup (its limit), with nothing above it to write a PID into.
            'mkdir -p /tmp/m && mount -t cgroup -o memory cgroup /tmp/m && cat /tmp/m/memory.limit_in_bytes; ' +
            'echo $$ > /tmp/m/cgroup.procs; test -e /sys/fs/cgroup/memory/../cgroup.procs && echo parent-visible; echo probed',
        ),
      );
      const [own, above, rest] = r.stdout.split('---\n');
      expect(own!.trim().split('\n').map((l) => l.replace(/^\d+:/, ''))).toEqual(expect.arrayContaining(['memory:/', 'pids:/', 'cpu:/']));
      expect(above!.trim().split('\n').sort()).toEqual(['cpu', 'memory', 'pids']);
      // The freshly mounted hierarchy's root is the session cgroup itself (its limit), nothing above.
      expect(rest!.trim().split('\n')).toEqual([String(s.profile.memoryBytes), 'probed']);
      // The kernel's view: every sandbox process is still inside the session's cgroups.
      const sessionDirs = sessionCgroups(s.get(id).initPid);
      for (const p of sandboxProcesses(s.get(id).initPid)) {
        const dirs = cgroupDirsOf(p.pid);
        expect(dirs.get('memory')?.startsWith(sessionDirs.memory)).toBe(true);
        expect(dirs.get('pids')?.startsWith(sessionDirs.pids)).toBe(true);
      }
    });

    it("raising a limit in a learner's own sub-cgroup does not lift the session's", async () => {
      const id = s.session();
      const hogMiB = Math.ceil((s.profile.memoryBytes * 2) / (1 << 20));
      const forks = s.profile.pids + 50;
      const r = await run(
        s.h.client,
        id,
        sh(
          'mkdir /sys/fs/cgroup/memory/big /sys/fs/cgroup/pids/big && echo $((8 << 30)) > /sys/fs/cgroup/memory/big/memory.limit_in_bytes && ' +
            'echo max > /sys/fs/cgroup/pids/big/pids.max && echo raised-sub || exit 1\n' +
            `cgexec -g memory,pids:big python3 -c 'b = b"x" * (${hogMiB} << 20); print("survived")'; echo "hog=$?"\n` +
            `cgexec -g pids:big python3 -c '
import os
n = 0
try:
    while n < ${forks}:
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "60"])
        n += 1
except OSError as e:
    print("forked", n, e.strerror)
' </dev/null >/tmp/forks 2>&1; cat /tmp/forks`,
        ),
      );
      expect(r.stdout).toContain('raised-sub');
      expect(r.stdout).not.toContain('survived');
      expect(r.stdout).toContain('hog=137');
      const m = /forked (\d+) Resource temporarily unavailable/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      expect(Number(m![1])).toBeLessThan(s.profile.pids);
      // The kernel's view: the learner's group is limited by the session's caps (v1 counts the
      // events in the group the task was in, although the limit hit was the session's).
      const cg = sessionCgroups(s.get(id).initPid);
      expect(read(`${cg.pids}/big/pids.max`).trim()).toBe('max');
      expect(Number(read(`${cg.pids}/pids.current`))).toBeLessThanOrEqual(s.profile.pids);
      expect(Number(/^max (\d+)/m.exec(read(`${cg.pids}/big/pids.events`))?.[1])).toBeGreaterThan(0);
      expect(Number(/oom_kill (\d+)/.exec(read(`${cg.memory}/big/memory.oom_control`))?.[1])).toBeGreaterThan(0);
    });
  });

  describe('network', () => {
    it('only lo exists inside (links, addresses, /proc/net/dev)', async () => {
      const id = s.session();
      const r = await run(s.h.client, id, sh('ip -o link | cut -d: -f2; echo ---; ip -o addr | awk "{print \\$4}"; echo ---; tail -n +3 /proc/net/dev | cut -d: -f1'));
      const [links, addrs, dev] = r.stdout.split('---\n').map((p) => p.trim().split('\n').map((l) => l.trim()));
      expect(links).toEqual(['lo']);
      expect(addrs!.sort()).toEqual(['127.0.0.1/8', '::1/128'].filter((a) => addrs!.includes(a)).sort());
      expect(addrs!.every((a) => a === '127.0.0.1/8' || a === '::1/128')).toBe(true);
      expect(dev).toEqual(['lo']);
    });

    it("the host's loopback listeners are unreachable (the sandbox has its own loopback)", async () => {
      const id = s.session();
      const server = createServer((c) => c.end('host-secret\n'));
      let connections = 0;
      server.on('connection', () => connections++);
      const port = await listen(server, '127.0.0.1');
      try {
        const r = await run(
          s.h.client,
          id,
          ['python3', '-c', `import socket\ntry:\n  socket.create_connection(("127.0.0.1", ${port}), 2); print("connected")\nexcept OSError as e: print(type(e).__name__)`],
        );
        expect(r.stdout.trim()).toBe('ConnectionRefusedError');
        expect(connections).toBe(0);
      } finally {
        server.close();
      }
    });

    it('a listener in a network namespace the test made on the host is unreachable and invisible', async () => {
      const id = s.session();
      const ns = marker('labesc').slice(0, 15);
      execFileSync('ip', ['netns', 'add', ns]);
      let listener: ReturnType<typeof spawn> | undefined;
      try {
        execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
        const js = 'const s=require("net").createServer(c=>{console.log("accepted");c.end()});s.listen(0,"127.0.0.1",()=>console.log("port",s.address().port))';
        listener = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', js], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        listener.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        await eventually(() => /port \d+/.test(out), 'the namespaced listener');
        const port = Number(/port (\d+)/.exec(out)![1]);
        const r = await run(
          s.h.client,
          id,
          sh(
            `python3 -c 'import socket\ntry:\n  socket.create_connection(("127.0.0.1", ${port}), 2); print("connected")\nexcept OSError as e: print(type(e).__name__)'; ` +
              `ip netns list | grep -c '${ns}'; test -e /run/netns/${ns} && echo visible; ip netns exec ${ns} true 2>/dev/null && echo entered; echo probed`,
          ),
        );
        expect(r.stdout.trim().split('\n')).toEqual(['ConnectionRefusedError', '0', 'probed']);
        expect(out).not.toContain('accepted');
      } finally {
        listener?.kill('SIGKILL');
        execFileSync('ip', ['netns', 'del', ns]);
      }
    });

    it('AF_VSOCK sockets are refused (vsock is not network-namespaced: it would reach the hypervisor host)', async () => {
      // Only socket(2) is called, never connect: no address outside this machine is touched.
      const id = s.session();
      const r = await run(s.h.client, id, [
        'python3',
        '-c',
        'import ctypes, socket\ntry:\n  socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM); print("created")\nexcept OSError as e: print(type(e).__name__, e.errno)\n' +
          // The kernel reads the domain as an int: high bits must not slip past the filter.
          'l = ctypes.CDLL(None, use_errno=True)\nprint("raw", l.syscall(ctypes.c_long(41), ctypes.c_long((1 << 32) | socket.AF_VSOCK), ctypes.c_long(1), ctypes.c_long(0)), ctypes.get_errno())',
      ]);
      expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^(PermissionError 1|OSError 97)$/), expect.stringMatching(/^raw -1 (1|97)$/)]);
    });
  });

  describe('file descriptors', () => {
    it("no fd of the agent reaches a sandbox: shells in two terminals and a run hold only their stdio", async () => {
      const id = s.session();
      const t1 = new TermClient(s.h.client, id, '1');
      const t2 = new TermClient(s.h.client, id, '2');
      try {
        // ls's own descriptors: stdio and the directory it lists.
        for (const t of [t1, t2]) expect(await t.command('echo "self: $(ls /proc/self/fd | tr "\\n" " ")"')).toMatch(/^self: 0 1 2 3 $/m);
        const r = await run(s.h.client, id, sh('ls /proc/self/fd | tr "\\n" " "'));
        expect(r.stdout).toBe('0 1 2 3 ');
        // The idle shells, seen from the host: stdio and bash's own copy (255) of their terminal.
        const shells = sandboxProcesses(s.get(id).initPid).filter((p) => p.comm === 'bash');
        expect(shells).toHaveLength(2);
        for (const p of shells) {
          expect(safeReaddir(`/proc/${p.pid}/fd`).sort()).toEqual(['0', '1', '2', '255']);
          for (const fd of ['0', '1', '2', '255']) expect(safeReadlink(`/proc/${p.pid}/fd/${fd}`)).toMatch(/^\/dev\/pts\/\d+$/);
        }
        // The kernel's view: no sandbox process shares a socket, file or directory with the agent.
        const agentFds = new Set(readdirSync('/proc/self/fd').map((fd) => safeReadlink(`/proc/self/fd/${fd}`)).filter((t) => t && !t.startsWith('pipe:') && !t.startsWith('/dev/pts/') && t !== '/dev/null'));
        for (const p of sandboxProcesses(s.get(id).initPid)) {
          for (const fd of safeReaddir(`/proc/${p.pid}/fd`)) {
            const target = safeReadlink(`/proc/${p.pid}/fd/${fd}`);
            if (target) expect(agentFds.has(target), `${p.comm} (${p.pid}) fd ${fd} -> ${target}`).toBe(false);
          }
        }
      } finally {
        t1.close();
        t2.close();
      }
    });
  });

  describe('host privilege', () => {
    it('no_new_privs, the seccomp filter and a non-root host uid in every process kind (terminal, second terminal, run, children)', async () => {
      const id = s.session();
      const t1 = new TermClient(s.h.client, id, '1');
      const t2 = new TermClient(s.h.client, id, '2');
      try {
        await t1.command('sleep 1001 &');
        await t2.command('(sleep 1002 &)');
        await run(s.h.client, id, sh('sleep 1003 >/dev/null 2>&1 & echo ok'));
        const initPid = s.get(id).initPid;
        const base = hostView(initPid)!.uids[0]!;
        const procs = sandboxProcesses(initPid);
        expect(procs.map((p) => p.comm)).toEqual(expect.arrayContaining(['lab-init', 'bash', 'sleep']));
        for (const p of procs) {
          expect(p.noNewPrivs, `${p.comm} ${p.pid}`).toBe(1);
          expect(p.seccomp, `${p.comm} ${p.pid}`).toBe(2);
          for (const id of [...p.uids, ...p.gids]) {
            expect(id, `${p.comm} ${p.pid}`).toBeGreaterThanOrEqual(base);
            expect(id, `${p.comm} ${p.pid}`).toBeLessThan(base + 65536);
          }
        }
        expect(base).toBeGreaterThan(0);
      } finally {
        t1.close();
        t2.close();
      }
    });

    it('su and setuid binaries do not change host-visible privilege', async () => {
      const id = s.session();
      const t = new TermClient(s.h.client, id, '1');
      try {
        const out = await t.command(
          'useradd -m learner2 && cp /usr/bin/sleep /tmp/suid-sleep && chmod u+s /tmp/suid-sleep && ' +
            'su learner2 -c "/tmp/suid-sleep 1004 & sleep 1005 & id -u; mount -t tmpfs x /mnt 2>/dev/null && echo mounted-as-user; grep NoNewPrivs /proc/self/status"',
        );
        expect(out).toMatch(/^1000$/m);
        expect(out).toMatch(/NoNewPrivs:\s+1/);
        expect(out).not.toMatch(/^mounted-as-user$/m);
        const initPid = s.get(id).initPid;
        const base = hostView(initPid)!.uids[0]!;
        await eventually(() => sandboxProcesses(initPid).filter((p) => p.comm === 'suid-sleep' || p.comm === 'sleep').length >= 2, 'the learner2 sleeps');
        for (const p of sandboxProcesses(initPid)) {
          expect(p.uids.includes(0), `${p.comm} ${p.pid} ${p.uids}`).toBe(false);
          if (p.comm === 'suid-sleep' || p.comm === 'sleep') expect(p.uids, `${p.comm}`).toEqual([base + 1000, base + 1000, base + 1000, base + 1000]);
        }
      } finally {
        t.close();
      }
    });
  });
});
