/**
 * Escape and abuse suite, part 1: resource abuse (research/sandbox.md §6.4 R2-R10).
 * A learner is root in their sandbox and may try to exhaust the machine; each case checks the
 * attack stays inside the sandbox's own limits, and (after every case, see escapeSuite) that a
 * neighbouring sandbox still answers within a few seconds and host canaries are untouched.
 * Requires root, bubblewrap, cgroups and the built rootfs; elsewhere it skips with the reason.
 */
import { cpus } from 'node:os';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cannotRun, run, TermClient } from './harness';
import { compileStatic, escapeSuite, eventually, hasGcc, hostFiles, marker, neighbourEchoes, pidsUnder, processGone, read, sandboxProcesses, saveAndRun, sessionCgroups } from './escape-helpers';

const reason = cannotRun() ?? (hasGcc() ? null : 'gcc is needed to build the probe binaries');
if (reason) console.warn(`[integration] skipped: ${reason}`);

const MiB = 1024 * 1024;
const counter = (text: string, key: string) => Number(new RegExp(`^${key}\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);

/** Forks N children that each open /dev/null until the kernel refuses, then hold them for 60 s. */
const FD_HOG_C = String.raw`
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100, p[2], spawned = 0, lasterr = 0, max = 0;
  long total = 0;
  if (pipe(p)) return 2;
  for (int i = 0; i < n; i++) {
    pid_t c = fork();
    if (c < 0) break;
    spawned++;
    if (c == 0) {
      close(p[0]); close(0); close(1); close(2);
      int k = 0, e = 0;
      for (;;) { if (open("/dev/null", O_RDONLY) < 0) { e = errno; break; } k++; }
      int msg[2] = {k, e};
      if (write(p[1], msg, sizeof msg) != sizeof msg) _exit(1);
      close(p[1]);
      alarm(60);
      pause();
      _exit(0);
    }
  }
  close(p[1]);
  int msg[2];
  while (read(p[0], msg, sizeof msg) == sizeof msg) { total += msg[0]; lasterr = msg[1]; if (msg[0] > max) max = msg[0]; }
  printf("children=%d files=%ld max=%d err=%s\n", spawned, total, max, lasterr ? strerror(lasterr) : "none");
  return 0;
}
`;

/** mkdir DIR/d0 .. DIR/d{N-1} until the kernel refuses; prints how many were made. */
const MKDIR_FLOOD_C = String.raw`
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
  int n = atoi(argv[2]), i;
  char p[256];
  for (i = 0; i < n; i++) {
    snprintf(p, sizeof p, "%s/d%d", argv[1], i);
    if (mkdir(p, 0755)) { printf("refused at %d: %s\n", i, strerror(errno)); break; }
  }
  printf("made %d\n", i);
  return 0;
}
`;

describe.skipIf(reason !== null)('escape suite: resource abuse (real sandboxes)', () => {
  const s = escapeSuite();

  it('fork bomb: capped at the session pids.max, and teardown removes every process', async () => {
    const id = s.session();
    await run(s.h.client, id, ['true']);
    const sandbox = s.get(id);
    const cg = sessionCgroups(sandbox.initPid);
    const pidsMax = Number(read(`${cg.pids}/pids.max`));
    expect(pidsMax).toBe(s.profile.pids);
    // The bomb backgrounds itself at once (and `timeout` only kills the first bash): its
    // descendants go on forking at the cap until teardown.
    const r = await run(s.h.client, id, ['bash', '-c', `timeout -s KILL 3 bash -c ':(){ :|:& };:' >/dev/null 2>&1; echo bomb-started`]);
    expect(r.stdout).toContain('bomb-started');
    await eventually(() => counter(read(`${cg.pids}/pids.events`), 'max') > 0, 'the bomb to hit pids.max', 20_000);
    expect(Number(read(`${cg.pids}/pids.current`))).toBeLessThanOrEqual(pidsMax);
    // While the bomb still runs, the neighbour answers.
    await neighbourEchoes(s.neighbour, 5000);
    await s.dispose(id);
    expect(existsSync(cg.pids), 'session pids cgroup removed').toBe(false);
    expect(processGone(sandbox.initPid), 'sandbox init gone').toBe(true);
  });

  it('memory hog: a 1 GiB allocation is OOM-killed at the session limit (exit 137), the shell survives', async () => {
    const id = s.session();
    const r = await run(s.h.client, id, ['bash', '-c', `python3 -c 'b = b"x" * (1 << 30); print("survived")'; echo "hog=$?"`]);
    expect(r.stdout).not.toContain('survived');
    expect(r.stdout).toContain('hog=137');
    const cg = sessionCgroups(s.get(id).initPid);
    expect(counter(read(`${cg.memory}/memory.oom_control`), 'oom_kill')).toBeGreaterThanOrEqual(1);
    expect(Number(read(`${cg.memory}/memory.max_usage_in_bytes`))).toBeLessThanOrEqual(s.profile.memoryBytes);
  });

  it('disk fill: /tmp and /root stop at the writable cap with "No space left on device", the shell survives', async () => {
    const id = s.session();
    const mb = Math.ceil(s.profile.writableBytes / MiB) + 16;
    const r = await run(s.h.client, id, [
      'bash',
      '-c',
      `dd if=/dev/zero of=/tmp/fill bs=1M count=${mb}; dd if=/dev/zero of=/root/fill bs=1M count=${mb}; ` +
        `du -sb /tmp/fill /root/fill; rm -f /tmp/fill /root/fill; echo after > /tmp/after && cat /tmp/after`,
    ]);
    expect(r.stderr.match(/No space left on device/g)?.length).toBe(2);
    const sizes = [...r.stdout.matchAll(/^(\d+)\s/gm)].map((m) => Number(m[1]));
    expect(sizes).toHaveLength(2);
    expect(sizes[0]! + sizes[1]!).toBeLessThanOrEqual(s.profile.writableBytes);
    expect(r.stdout).toContain('after');
    expect(r.code).toBe(0);
  });

  it('disk fill: the writable cap holds even after a remount with a bigger size= (the learner owns that tmpfs)', async () => {
    // The cap only protects the learner from themselves if they cannot lift it: a tmpfs mounted
    // inside the sandbox's user namespace can be remounted by its root (mount(2) MS_REMOUNT).
    const id = s.session();
    const mb = Math.ceil(s.profile.memoryBytes / MiB) + 16;
    const r = await run(s.h.client, id, [
      'bash',
      '-c',
      `python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); print("remount", l.mount(None, b"/tmp", None, 32, b"size=${mb * 2}m"), ctypes.get_errno())'; ` +
        `dd if=/dev/zero of=/tmp/fill bs=1M count=${mb}; du -sb /tmp/fill; rm -f /tmp/fill; echo shell-survived`,
    ]);
    expect(r.code, 'the shell was not OOM-killed by its own tmpfs pages').toBe(0);
    expect(r.stdout).toContain('shell-survived');
    expect(r.stderr).toContain('No space left on device');
    const size = Number(/^(\d+)\s+\/tmp\/fill/m.exec(r.stdout)?.[1]);
    expect(size).toBeLessThanOrEqual(s.profile.writableBytes);
  });

  it('tmpfs fill: /dev/shm, /dev and a remounted / are capped too (ENOSPC or EROFS below the memory limit, the shell survives)', async () => {
    // bwrap makes /dev and / as tmpfs without size=, inside the sandbox's user namespace; their
    // pages are charged to the memory cgroup, so filling one OOM-kills the learner's own shell.
    const id = s.session();
    const mb = Math.ceil(s.profile.memoryBytes / MiB) + 16;
    const fill = (path: string) => `dd if=/dev/zero of=${path} bs=1M count=${mb}; rm -f ${path}; `;
    const r = await run(s.h.client, id, [
      'bash',
      '-c',
      fill('/dev/shm/fill') + fill('/dev/fill') + 'mount -o remount,rw,bind / 2>/dev/null; ' + fill('/fill') + 'echo shell-survived',
    ]);
    expect(r.code, 'the shell was not OOM-killed by its own tmpfs pages').toBe(0);
    expect(r.stdout).toContain('shell-survived');
    expect(r.stderr.match(/No space left on device|Read-only file system|Permission denied/g)?.length).toBe(3);
  });

  it('output flood: `yes` in a terminal neither grows the agent without bound nor blocks Ctrl-C', async () => {
    const id = s.session();
    const t = new TermClient(s.h.client, id);
    try {
      await t.command('echo flood-ready');
      const rssBefore = process.memoryUsage().rss;
      const base = t.received;
      t.type('yes flood-line\r');
      // 32 MiB through the agent (acknowledged as a browser would), or 5 s worth at a lower
      // configured output rate.
      const target = Math.min(32 * MiB, 5 * s.profile.outputBytesPerSec);
      await eventually(() => t.received - base > target, `${target} bytes of flood output`, 45_000, 20);
      // The neighbour answers while the flood runs.
      await neighbourEchoes(s.neighbour, 5000);
      const rssDuring = process.memoryUsage().rss;
      t.type('\x03');
      const m = marker('after-flood');
      const from = t.text.length;
      t.type(`echo ${m.slice(0, 5)}""${m.slice(5)}\r`);
      await t.waitFor(new RegExp(`${m}\\r?\\n`), 15_000, Math.max(0, from - 100));
      // Generous: this process is the agent *and* the client; 32 MiB passed through it.
      expect(rssDuring - rssBefore).toBeLessThan(256 * MiB);
    } finally {
      t.close();
    }
  });

  it('open files: one process stops at EMFILE, and a whole sandbox stays far below the host file-max', async () => {
    const id = s.session();
    const one = await run(s.h.client, id, [
      'python3',
      '-c',
      'import os\nfds = []\ntry:\n  while True: fds.append(os.open("/dev/null", os.O_RDONLY))\nexcept OSError as e: print(len(fds) + 3, e.strerror)',
    ]);
    expect(one.stdout.trim()).toBe(`${s.profile.openFiles} Too many open files`);
    // Then every process the pids limit allows, each holding all the files its limit allows:
    // as many processes as the pids limit allows, unless their open files (~0.5 KiB of memory
    // each, charged to the sandbox) would not fit in half the memory limit.
    const children = Math.min(s.profile.pids - 16, Math.floor(s.profile.memoryBytes / 2 / (s.profile.openFiles * 512)));
    const before = hostFiles();
    const all = await run(s.h.client, id, saveAndRun('/tmp/fdhog', [String(children)]), { stdin: compileStatic(FD_HOG_C) });
    const m = /children=(\d+) files=(\d+) max=(\d+) err=(.*)/.exec(all.stdout);
    expect(m, all.stdout + all.stderr).not.toBeNull();
    const [spawned, files, max] = [Number(m![1]), Number(m![2]), Number(m![3])];
    const during = hostFiles();
    expect(spawned).toBeLessThanOrEqual(s.profile.pids);
    expect(max).toBeLessThanOrEqual(s.profile.openFiles);
    expect(files).toBeLessThanOrEqual(s.profile.pids * s.profile.openFiles);
    // Not vacuous: the sandbox really held all of them (per sandbox, pids × openFiles is the bound).
    expect(spawned).toBe(children);
    expect(files).toBeGreaterThanOrEqual(spawned * (s.profile.openFiles - 8));
    expect(during.used - before.used).toBeLessThanOrEqual(s.profile.pids * s.profile.openFiles + 10_000);
    // Far below the host-wide limit: the rest of the host can still open files.
    expect(during.used).toBeLessThan(during.max / 2);
    await s.dispose(id);
    await eventually(() => hostFiles().used < before.used + 10_000, 'the files to be released at teardown');
  });

  it('CPU spinners on every core: throttled to the session quota while the neighbour stays responsive', async () => {
    const id = s.session();
    const n = Math.max(4, cpus().length * 2);
    const r = await run(s.h.client, id, ['bash', '-c', `for i in $(seq ${n}); do (while :; do :; done) >/dev/null 2>&1 & done; echo started`]);
    expect(r.stdout).toContain('started');
    const cg = sessionCgroups(s.get(id).initPid);
    expect(Number(read(`${cg.cpu}/cpu.cfs_quota_us`))).toBeGreaterThan(0);
    await eventually(() => counter(read(`${cg.cpu}/cpu.stat`), 'nr_throttled') > 0, 'the session to be throttled');
    for (let i = 0; i < 3; i++) await neighbourEchoes(s.neighbour, 5000);
  });

  it('namespace flood: 200 × `unshare -n true` completes and leaves nothing behind', async () => {
    const id = s.session();
    await run(s.h.client, id, ['true']);
    const initPid = s.get(id).initPid;
    const before = sandboxProcesses(initPid).length;
    const r = await run(s.h.client, id, ['bash', '-c', 'for i in $(seq 200); do unshare -n true || exit 1; done; echo flood-done; ls -A /run/netns 2>/dev/null | wc -l']);
    expect(r.stdout.trim().split('\n')).toEqual(['flood-done', '0']);
    expect(sandboxProcesses(initPid).length).toBe(before);
  });

  it('veth flood: pairs live in the sandbox netns only (never on the host) and vanish with it', async () => {
    const id = s.session();
    const prefix = `q${marker('').slice(-4)}`;
    const hostLinks = () => readdirSync('/sys/class/net');
    const before = hostLinks();
    const r = await run(s.h.client, id, [
      'bash',
      '-c',
      `i=0; while [ $i -lt 200 ] && ip link add ${prefix}a$i type veth peer name ${prefix}b$i 2>/dev/null; do i=$((i+1)); done; echo made=$i; ip -o link | grep -c ${prefix}`,
    ]);
    const made = Number(/made=(\d+)/.exec(r.stdout)?.[1]);
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThanOrEqual(200);
    expect(Number(r.stdout.trim().split('\n').pop())).toBe(2 * made);
    expect(hostLinks().filter((l) => l.startsWith(prefix))).toEqual([]);
    await s.dispose(id);
    expect(hostLinks().filter((l) => !before.includes(l) && l.startsWith(prefix))).toEqual([]);
  });

  it('learner sub-cgroups up to the bound (60 each in memory and pids, nested too) are all removed at teardown', async () => {
    const id = s.session();
    const r = await run(s.h.client, id, ['bash', '-c', 'for i in $(seq 30); do mkdir -p /sys/fs/cgroup/pids/f$i/n /sys/fs/cgroup/memory/f$i/n || exit 1; done; echo made']);
    expect(r.stdout).toContain('made');
    const cg = sessionCgroups(s.get(id).initPid);
    const subdirs = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    expect(subdirs(cg.pids)).toBe(30);
    expect(subdirs(cg.memory)).toBe(30);
    await s.dispose(id);
    expect(existsSync(cg.pids)).toBe(false);
    expect(existsSync(cg.memory)).toBe(false);
    expect(existsSync(cg.cpu)).toBe(false);
  });

  it('cgroup directory flood: bounded by the kernel (v2) or ended by the agent with a notice (v1), and every cgroup removed', async () => {
    // cgroup v1 has no cgroup.max.descendants, and the kernel memory of a cgroup is barely
    // charged to the sandbox: the agent counts the learner's cgroups every second and ends a
    // sandbox past the bound (sandbox-agent/src/limit-notices.ts). v2 refuses the mkdir itself.
    const id = s.session();
    const watcher = new TermClient(s.h.client, id);
    await watcher.command('echo watching');
    const cg = sessionCgroups(s.get(id).initPid);
    const flood = run(s.h.client, id, ['sh', '-c', 'mkdir /sys/fs/cgroup/pids/flood && cat > /tmp/mkflood && chmod +x /tmp/mkflood && exec /tmp/mkflood /sys/fs/cgroup/pids/flood 1000000'], { stdin: compileStatic(MKDIR_FLOOD_C) }).catch((e: Error) => e);
    expect(await watcher.waitForNotice(/created more than \d+ cgroups/, 30_000)).toMatch(/so it was stopped/);
    await flood;
    await eventually(() => !existsSync(cg.pids) && !existsSync(cg.memory), 'the session cgroups are gone', 30_000, 100);
    watcher.close();
  });

  it('oom_kill_disable=1 in a learner sub-cgroup with a hog inside: only that group hangs, teardown still ends it', async () => {
    const id = s.session();
    const g = '/sys/fs/cgroup/memory/stuck';
    const r = await run(s.h.client, id, [
      'bash',
      '-c',
      `mkdir ${g} && echo $((32 << 20)) > ${g}/memory.limit_in_bytes && echo 1 > ${g}/memory.oom_control || exit 1\n` +
        `( echo $BASHPID > ${g}/cgroup.procs; exec python3 -c 'b = b"x" * (64 << 20)' ) </dev/null >/dev/null 2>&1 &\n` +
        'echo started',
    ]);
    expect(r.stdout).toContain('started');
    const cg = sessionCgroups(s.get(id).initPid);
    await eventually(() => /under_oom 1/.test(read(`${cg.memory}/stuck/memory.oom_control`)), 'the hog to hang under OOM');
    // Only the learner's group hangs: the same sandbox still runs commands.
    const other = await run(s.h.client, id, ['echo', 'still-here']);
    expect(other.stdout.trim()).toBe('still-here');
    // The session's own knob stays root-owned: the learner cannot hang the whole sandbox this way.
    const own = await run(s.h.client, id, ['sh', '-c', 'echo 1 > /sys/fs/cgroup/memory/memory.oom_control && echo set || echo refused']);
    expect(own.stdout.trim()).toBe('refused');
    const t0 = Date.now();
    await s.dispose(id);
    expect(Date.now() - t0, 'teardown finished in a generous bound').toBeLessThan(30_000);
    expect(existsSync(cg.memory)).toBe(false);
    expect(pidsUnder(cg.memory)).toEqual([]);
  });
});
