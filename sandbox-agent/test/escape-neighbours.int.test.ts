/**
 * Escape and abuse suite, part 4: two sandboxes side by side (research/sandbox.md §6.4 E15).
 * Sandbox A plants something; sandbox B must not see, reach or signal it: processes, files,
 * cgroups, abstract unix sockets, /dev/shm, SysV IPC, hostnames, and host uid ranges.
 * After every case (escapeSuite) a third, long-lived neighbour must echo a fresh marker within 5 s.
 * Requires root, bubblewrap, cgroups and the built rootfs; elsewhere it skips with the reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cannotRun, run, TermClient } from './harness';
import { escapeSuite, eventually, hostView, marker, processGone, sandboxProcesses, sessionCgroups, sh } from './escape-helpers';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);


/** [first, last] host ids of a uid_map/gid_map "inside outside count" line set. */
function ranges(map: string): Array<[number, number]> {
  return map
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .map(([, outside, count]) => [outside!, outside! + count! - 1]);
}

describe.skipIf(reason !== null)('escape suite: two sandboxes side by side (real sandboxes)', () => {
  const s = escapeSuite();

  it("processes: B sees none of A's, and cannot signal them even by their host PID", async () => {
    const [a, b] = [s.session(), s.session()];
    const tag = 4000 + Math.floor(Math.random() * 999);
    await run(s.h.client, a, sh(`sleep ${tag} >/dev/null 2>&1 & echo started`));
    const sleeper = sandboxProcesses(s.get(a).initPid).find((p) => p.comm === 'sleep')!;
    expect(sleeper).toBeDefined();
    const rb = await run(s.h.client, b, sh(`ps -e -o args= | grep -c "[s]leep ${tag}"; kill -9 ${sleeper.pid} 2>/dev/null && echo killed; echo probed`));
    expect(rb.stdout.trim().split('\n')).toEqual(['0', 'probed']);
    expect(processGone(sleeper.pid)).toBe(false);
  });

  it("files: B cannot reach A's /tmp, /root or /etc by any path", async () => {
    const [a, b] = [s.session(), s.session()];
    const secret = marker('a-secret');
    await run(s.h.client, a, sh(`echo ${secret} > /tmp/${secret}; echo ${secret} > /root/${secret}; echo ${secret} > /etc/${secret}; echo ok`));
    const rb = await run(
      s.h.client,
      b,
      sh(
        `find / \\( -path /proc -o -path /sys \\) -prune -o -name '${secret}*' -print 2>/dev/null; ` +
          `grep -rlsF -- '${secret.slice(0, 10)}''${secret.slice(10)}' /tmp /root /home /etc /var /run /mnt /dev 2>/dev/null; ls /proc/*/root/tmp 2>/dev/null | grep -c ${secret}; echo searched`,
      ),
    );
    expect(rb.stdout.trim().split('\n')).toEqual(['0', 'searched']);
    // A still has them: the plant worked.
    const ra = await run(s.h.client, a, ['cat', `/tmp/${secret}`, `/root/${secret}`, `/etc/${secret}`]);
    expect(ra.stdout.trim().split('\n')).toEqual([secret, secret, secret]);
  });

  it("cgroups: separate session cgroups, and B cannot see A's sub-cgroups", async () => {
    const [a, b] = [s.session(), s.session()];
    const group = marker('agroup');
    await run(s.h.client, a, sh(`mkdir /sys/fs/cgroup/memory/${group} /sys/fs/cgroup/pids/${group} && echo made`));
    const rb = await run(
      s.h.client,
      b,
      sh(`find /sys/fs/cgroup -name '${group}*' 2>/dev/null; mkdir -p /tmp/m && mount -t cgroup -o memory cgroup /tmp/m && find /tmp/m -name '${group}*'; echo searched`),
    );
    expect(rb.stdout.trim()).toBe('searched');
    const ca = sessionCgroups(s.get(a).initPid);
    const cb = sessionCgroups(s.get(b).initPid);
    expect(ca.memory).not.toBe(cb.memory);
    expect(ca.memory.startsWith(cb.memory) || cb.memory.startsWith(ca.memory)).toBe(false);
  });

  it("abstract unix sockets: A's \\0lab-test is unreachable from B", async () => {
    const [a, b] = [s.session(), s.session()];
    const name = marker('lab-test');
    const ta = new TermClient(s.h.client, a);
    try {
      await ta.command(
        `python3 -c 'import socket, time; s = socket.socket(socket.AF_UNIX); s.bind("\\0${name}"); s.listen(); print("listening", flush=True); time.sleep(60)' &`,
      );
      await ta.waitFor(/listening\r?\n/, 15_000);
      const connect = `python3 -c 'import socket\ntry:\n  socket.socket(socket.AF_UNIX).connect("\\0${name}"); print("connected")\nexcept OSError as e: print(type(e).__name__)'`;
      // The listener is real: A itself connects.
      expect((await run(s.h.client, a, sh(connect))).stdout.trim()).toBe('connected');
      expect((await run(s.h.client, b, sh(connect))).stdout.trim()).toBe('ConnectionRefusedError');
    } finally {
      ta.close();
    }
  });

  it("/dev/shm: A's file does not appear in B", async () => {
    const [a, b] = [s.session(), s.session()];
    const name = marker('shm');
    await run(s.h.client, a, sh(`echo hello > /dev/shm/${name} && python3 -c 'from multiprocessing import shared_memory as m; x = m.SharedMemory("${name}-posix", create=True, size=4096); x.close()'; ls /dev/shm`));
    const rb = await run(s.h.client, b, sh(`ls -A /dev/shm | grep -c ${name}; python3 -c 'from multiprocessing import shared_memory as m\ntry:\n  m.SharedMemory("${name}-posix"); print("opened")\nexcept FileNotFoundError: print("absent")'`));
    expect(rb.stdout.trim().split('\n')).toEqual(['0', 'absent']);
  });

  it('SysV IPC: `ipcmk -M 4096` in A; `ipcs -m` in B shows none', async () => {
    const [a, b] = [s.session(), s.session()];
    const ra = await run(s.h.client, a, sh('ipcmk -M 4096 && ipcmk -Q && ipcmk -S 1 && ipcs -m | grep -c "^0x"'));
    expect(ra.stdout).toMatch(/Shared memory id: \d+/);
    expect(ra.stdout.trim().split('\n').pop()).toBe('1');
    const rb = await run(s.h.client, b, sh('ipcs -m | grep -c "^0x"; ipcs -q | grep -c "^0x"; ipcs -s | grep -c "^0x"'));
    expect(rb.stdout.trim().split('\n')).toEqual(['0', '0', '0']);
  });

  it('uid ranges: A, B and the neighbour map disjoint 65536-id host ranges, none of them host root', async () => {
    const [a, b] = [s.session(), s.session()];
    await Promise.all([run(s.h.client, a, ['true']), run(s.h.client, b, ['true'])]);
    const pids = [s.get(a).initPid, s.get(b).initPid, s.get(s.neighbourId).initPid];
    const all: Array<[number, number]> = [];
    for (const pid of pids) {
      for (const f of ['uid_map', 'gid_map']) {
        const r = ranges(readFileSync(`/proc/${pid}/${f}`, 'utf8'));
        expect(r).toHaveLength(1);
        expect(r[0]![1] - r[0]![0] + 1).toBe(65536);
        expect(r[0]![0]).toBeGreaterThan(0);
        if (f === 'uid_map') all.push(r[0]!);
      }
      // The owner of each user namespace differs too (user_namespaces(7): the creator's euid).
      expect(hostView(pid)!.uids[0]).toBe(ranges(readFileSync(`/proc/${pid}/uid_map`, 'utf8'))[0]![0]);
    }
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const [x, y] = [all[i]!, all[j]!];
        expect(x[1] < y[0] || y[1] < x[0], `ranges ${x} and ${y} overlap`).toBe(true);
      }
    }
  });

  it("hostname and network: A's changes do not show in B", async () => {
    const [a, b] = [s.session(), s.session()];
    await run(s.h.client, a, sh('hostname changed-in-a && ip link add dummy-a type dummy && ip addr add 10.99.0.1/24 dev dummy-a && ip link set dummy-a up && echo ok'));
    const rb = await run(s.h.client, b, sh('hostname; ip -o link | grep -c dummy-a; ip -o addr | grep -c 10.99.0.1'));
    expect(rb.stdout.trim().split('\n')).toEqual([s.profile.hostname, '0', '0']);
  });

  it('teardown of A leaves B running', async () => {
    const [a, b] = [s.session(), s.session()];
    const tb = new TermClient(s.h.client, b);
    try {
      await tb.command('sleep 300 &');
      await run(s.h.client, a, sh('sleep 300 >/dev/null 2>&1 & echo ok'));
      const initA = s.get(a).initPid;
      await s.dispose(a);
      await eventually(() => processGone(initA), 'A to be gone');
      expect(await tb.command('echo b-alive-$((6*7))')).toMatch(/^b-alive-42$/m);
      expect(sandboxProcesses(s.get(b).initPid).some((p) => p.comm === 'sleep')).toBe(true);
    } finally {
      tb.close();
    }
  });
});
