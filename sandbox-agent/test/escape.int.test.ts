/**
 * Escape and abuse suite, part 2: reaching the host from inside a sandbox (research/sandbox.md
 * §5 and §6.4 E1-E14): its processes, secrets, disks and devices, and kernel knobs (part 3,
 * escape-isolation.int.test.ts: cgroups, network, file descriptors, privilege).
 * Every case asserts the attack is contained; after every case (escapeSuite) a neighbouring
 * sandbox must still echo a fresh marker within 5 s and host canaries must be untouched.
 * Network cases only use loopback addresses and a network namespace the test makes itself.
 * Requires root, bubblewrap, cgroups and the built rootfs; elsewhere it skips with the reason.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_ENV } from '../src/isolation/launch';
import { loadAgentConfig } from '../src/config';
import { cannotRun, run } from './harness';
import { escapeSuite, eventually, hostView, marker, read, readOr, sandboxProcesses, sh } from './escape-helpers';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);


/** The host's cgroup v1 hierarchies, as `mount -o` spells them (memory, cpu,cpuacct, name=systemd…). */
function hostHierarchies(): string[] {
  const names: string[] = [];
  for (const line of read('/proc/self/cgroup').split('\n')) {
    const m = /^\d+:([^:]+):/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}

/** `major minor` of the block device the host's root filesystem is on (fallback: sda). */
function hostRootDevice(): { path: string; major: number; minor: number } {
  try {
    const path = execFileSync('findmnt', ['-n', '-o', 'SOURCE', '/'], { encoding: 'utf8' }).trim();
    const rdev = statSync(path).rdev;
    if (rdev) return { path, major: Math.floor(rdev / 256) & 0xfff, minor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00) };
  } catch {
    /* not a plain block device (a container, an overlay root) */
  }
  return { path: '/dev/sda', major: 8, minor: 0 };
}

describe.skipIf(reason !== null)('escape suite: reaching the host (real sandboxes)', () => {
  const s = escapeSuite();

  describe('host processes and signals', () => {
    it("kill -9 -1 inside: kills only the sandbox's own processes (the agent, the neighbour and a host process of the same uid survive)", async () => {
      const id = s.session();
      await run(s.h.client, id, ['true']);
      const uid = hostView(s.get(id).initPid)!.uids[0]!;
      // A host process running as the very uid the sandbox's root is on the host.
      const sameUid = spawn('sleep', ['600'], { uid, gid: uid, stdio: 'ignore' });
      try {
        const r = await run(s.h.client, id, sh('sleep 1000 >/dev/null 2>&1 & kill -9 -1; echo "kill=$?"'));
        expect(r.stdout.trim()).toBe('kill=0');
        // Its own sleep is gone (the kernel's view, once lab-init has reaped it).
        const initPid = s.get(id).initPid;
        await eventually(() => !sandboxProcesses(initPid).some((p) => p.comm === 'sleep'), "the sandbox's own sleep to die");
        expect(sameUid.exitCode).toBeNull();
        expect(sameUid.signalCode).toBeNull();
        expect(process.kill(sameUid.pid!, 0)).toBe(true);
        // The agent is this test process: it is alive if the next line runs. It still serves.
        expect((await run(s.h.client, id, ['echo', 'agent-serves'])).stdout.trim()).toBe('agent-serves');
      } finally {
        sameUid.kill('SIGKILL');
      }
    });

    it("/proc lists only the sandbox's own processes (no host PID such as the test runner's, by number or content)", async () => {
      const id = s.session();
      const r = await run(
        s.h.client,
        id,
        sh(`for p in /proc/[0-9]*; do printf '%s %s\\n' "\${p#/proc/}" "$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)"; done; cat /proc/${process.pid}/cmdline 2>&1 | tr '\\0' ' '`),
      );
      const lines = r.stdout.trim().split('\n');
      const procs = lines.slice(0, -1);
      expect(procs.length).toBeLessThan(10);
      expect(procs[0]).toMatch(/^1 \/usr\/local\/sbin\/lab-init /);
      const ours = read(`/proc/${process.pid}/cmdline`).split('\0').join(' ').trim();
      for (const l of lines) {
        expect(l).not.toContain(ours);
        expect(l).not.toMatch(/vitest|node |labsbx|bwrap/);
      }
      // The kernel's view: the sandbox's PID namespace holds only sandbox processes.
      for (const p of sandboxProcesses(s.get(id).initPid)) expect(p.uids[0]).not.toBe(0);
    });

    it("nsenter -t 1 -m -p reaches only the sandbox's own init, never the host's", async () => {
      const id = s.session();
      const r = await run(s.h.client, id, sh('nsenter -t 1 -m -p -- sh -c "readlink /proc/1/exe; readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt"'));
      expect(r.code).toBe(0);
      const [exe, pidns, mntns] = r.stdout.trim().split('\n');
      const initPid = s.get(id).initPid;
      expect(exe).toBe('/usr/local/sbin/lab-init');
      expect(pidns).toBe(readlinkSync(`/proc/${initPid}/ns/pid`));
      expect(mntns).toBe(readlinkSync(`/proc/${initPid}/ns/mnt`));
      // The host's namespaces, as this (host) process has them.
      expect(pidns).not.toBe(readlinkSync('/proc/self/ns/pid'));
      expect(mntns).not.toBe(readlinkSync('/proc/self/ns/mnt'));
      // A host PID (this test process) cannot even be named from inside.
      const host = await run(s.h.client, id, sh(`nsenter -t ${process.pid} -m true; echo "nsenter=$?"; kill -0 ${process.pid}; echo "kill=$?"`));
      expect(host.stdout).toMatch(/nsenter=[1-9]/);
      expect(host.stdout).toMatch(/kill=[1-9]/);
    });
  });

  describe('host secrets', () => {
    it("/etc/shadow: the sandbox sees its rootfs's own copy, never the host's", async () => {
      const id = s.session();
      const r = await run(s.h.client, id, ['cat', '/etc/shadow']);
      const rootfs = realpathSync(loadAgentConfig().rootfs);
      expect(r.stdout).toBe(read(join(rootfs, 'etc/shadow')));
      const host = read('/etc/shadow');
      if (host !== r.stdout) {
        // Any host password hash stays out of the sandbox.
        for (const line of host.split('\n')) {
          const hash = line.split(':')[1] ?? '';
          if (hash.length > 13) expect(r.stdout).not.toContain(hash);
        }
      }
    });

    it('host files are reachable at no path: canaries in the host /etc, /tmp, /run/container-lab, the rootfs parent and the agent data dir', async () => {
      const id = s.session();
      const name = marker('lab-canary');
      const content = marker('lab-canary-content');
      const rootfsParent = dirname(realpathSync(loadAgentConfig().rootfs));
      const dirs = ['/etc', '/tmp', '/run/container-lab', rootfsParent, dirname(s.h.agent.socketPath)];
      const files = dirs.map((d) => join(d, name));
      try {
        for (const f of files) {
          mkdirSync(dirname(f), { recursive: true });
          writeFileSync(f, content, { mode: 0o644 });
        }
        const r = await run(
          s.h.client,
          id,
          sh(
            `find / \\( -path /proc -o -path /sys \\) -prune -o -name '${name}*' -print 2>/dev/null; ` +
              `grep -rlsF -- '${content.slice(0, 12)}''${content.slice(12)}' /etc /var /run /tmp /root /home /mnt /dev /usr/local 2>/dev/null; echo searched`,
          ),
        );
        expect(r.stdout.trim()).toBe('searched');
      } finally {
        for (const f of files) rmSync(f, { force: true });
      }
    });

    it("the agent's token, socket and data dir are unreachable from inside", async () => {
      const id = s.session();
      const token = s.h.token;
      const sock = s.h.agent.socketPath;
      const half = token.length >> 1;
      const r = await run(
        s.h.client,
        id,
        sh(
          // The pattern goes through a file so that no process's command line holds the token
          // (and that file, also reachable through /run/.lab-rw, is not itself a finding).
          `printf '%s%s\\n' '${token.slice(0, half)}' '${token.slice(half)}' > /dev/shm/pat; ` +
            `grep -rlsF --exclude=pat -f /dev/shm/pat /proc/[0-9]*/environ /proc/[0-9]*/cmdline /etc /var /run /tmp /root /home /mnt 2>/dev/null; rm /dev/shm/pat; ` +
            `test -e '${sock}' && echo socket-visible; test -e '${dirname(sock)}' && echo datadir-visible; ` +
            `python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect("${sock}")' 2>&1 | tail -1; echo searched`,
        ),
      );
      const lines = r.stdout.trim().split('\n');
      expect(lines.pop()).toBe('searched');
      expect(lines).toEqual(['FileNotFoundError: [Errno 2] No such file or directory']);
    });

    it("/proc/kcore, the host's /proc/1/environ and /sys/firmware give away nothing a host user could not read", async () => {
      const id = s.session();
      const r = await run(
        s.h.client,
        id,
        sh(
          'head -c 1 /proc/kcore >/dev/null 2>&1 && echo kcore-read; ' +
            'tr "\\0" "\\n" < /proc/1/environ; echo ---; ' +
            'find /sys/firmware -type f 2>/dev/null | while read -r f; do head -c 1 "$f" >/dev/null 2>&1 && echo "$f"; done',
        ),
      );
      const [environ, firmware] = r.stdout.split('---\n');
      expect(r.stdout).not.toContain('kcore-read');
      // PID 1 inside is lab-init with the sandbox's environment: nothing of the host's init.
      const keys = environ!.trim().split('\n').map((l) => l.split('=')[0]);
      for (const k of keys) expect([...Object.keys(SANDBOX_ENV), 'PWD']).toContain(k);
      // Nothing of the host's environment either: its init's (if readable) and this process's.
      const hostEnv = [...readOr('/proc/1/environ').split('\0'), ...Object.entries(process.env).map(([k, v]) => `${k}=${v}`)];
      const sandboxEnv = environ!.trim().split('\n');
      const allowed = new Set(Object.entries(SANDBOX_ENV).map(([k, v]) => `${k}=${v}`));
      expect(hostEnv.filter((e) => e.includes('=') && sandboxEnv.includes(e) && !allowed.has(e))).toEqual([]);
      // Every firmware file readable inside is readable by an unprivileged host user too.
      const nobody = execFileSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', 'find /sys/firmware -type f 2>/dev/null | while read -r f; do head -c 1 "$f" >/dev/null 2>&1 && echo "$f"; done; true'],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
      for (const f of firmware!.trim().split('\n').filter(Boolean)) expect(nobody).toContain(f);
    });

    it('writes outside the writable area are refused (/, /usr, the init binary, /proc/1/exe); /etc writes stay in the sandbox', async () => {
      const id = s.session();
      const name = marker('lab-write');
      const initBinary = loadAgentConfig().initBinary;
      const initHash = createHash('sha256').update(readFileSync(initBinary)).digest('hex');
      const r = await run(
        s.h.client,
        id,
        sh(
          `for f in /${name} /usr/${name} /usr/bin/${name} /sbin/${name}; do touch "$f" 2>/dev/null && echo "wrote $f"; done; ` +
            `cp /bin/true /usr/local/sbin/lab-init 2>/dev/null && echo wrote-init; ` +
            `echo x > /proc/1/exe 2>/dev/null && echo wrote-exe; ` +
            // Even with a read-write remount attempted first (see the next case), nothing is written.
            `mount -o remount,rw,bind /usr 2>/dev/null; touch /usr/${name} 2>/dev/null && echo "wrote /usr after remount"; ` +
            `mount -o remount,rw,bind /usr/local/sbin/lab-init 2>/dev/null; echo x >> /usr/local/sbin/lab-init 2>/dev/null && echo wrote-init-after-remount; ` +
            `unshare -Urm sh -c 'mount -o remount,rw,bind /usr 2>/dev/null; touch /usr/${name} 2>/dev/null && echo nested-wrote'; ` +
            `echo local > /etc/${name} && echo etc-ok`,
        ),
      );
      expect(r.stdout.trim()).toBe('etc-ok');
      // Nothing reached the shared rootfs or the host.
      const rootfs = realpathSync(loadAgentConfig().rootfs);
      for (const p of [`/${name}`, `/usr/${name}`, `/etc/${name}`, join(rootfs, 'usr', name), join(rootfs, 'usr/bin', name), join(rootfs, 'etc', name)]) {
        expect(existsSync(p), p).toBe(false);
      }
      expect(createHash('sha256').update(readFileSync(initBinary)).digest('hex')).toBe(initHash);
      // And a second sandbox starts from the clean rootfs.
      const other = await run(s.h.client, s.session(), sh(`test -e /etc/${name} && echo leaked || echo clean`));
      expect(other.stdout.trim()).toBe('clean');
    });

    it('read-only binds stay read-only: /usr and the init binary cannot be remounted read-write', async () => {
      // A read-only flag is locked only on mounts inherited from a more privileged mount
      // namespace (mount_namespaces(7), "Restrictions on mount namespaces"); a bind that bwrap
      // makes read-only inside the sandbox's user namespace can be made writable again by its root.
      const id = s.session();
      const r = await run(
        s.h.client,
        id,
        sh('for m in /usr /usr/local/sbin/lab-init; do mount -o remount,rw,bind "$m" 2>/dev/null && echo "$m: remounted read-write"; done; echo probed'),
      );
      expect(r.stdout.trim().split('\n')).toEqual(['probed']);
    });
  });

  describe('disks, devices and kernel knobs', () => {
    it('mount the host disk: refused (by path, by type, and through a mknod-made node)', async () => {
      const id = s.session();
      const dev = hostRootDevice();
      const r = await run(
        s.h.client,
        id,
        sh(
          `mount ${dev.path} /mnt 2>/dev/null && echo mounted-path; mount -t ext4 ${dev.path} /mnt 2>/dev/null && echo mounted-ext4; ` +
            `mknod /tmp/disk b ${dev.major} ${dev.minor} 2>/dev/null && echo made-node; mount -t ext4 /tmp/disk /mnt 2>/dev/null && echo mounted-node; ` +
            `findmnt -n -o FSTYPE /mnt`,
        ),
      );
      expect(r.stdout.trim()).toBe('tmpfs');
    });

    it('mknod a block or memory device and read it: refused', async () => {
      const id = s.session();
      const dev = hostRootDevice();
      const r = await run(
        s.h.client,
        id,
        sh(
          `mknod /tmp/blk b ${dev.major} ${dev.minor}; echo "blk=$?"; head -c 512 /tmp/blk 2>/dev/null | wc -c; ` +
            `mknod /tmp/mem c 1 1; echo "mem=$?"; mknod /dev/kmsg2 c 1 11; echo "kmsg=$?"`,
        ),
      );
      expect(r.stdout).toMatch(/blk=1\n0\nmem=1\nkmsg=1/);
      expect(r.stderr).toMatch(/Operation not permitted/);
    });

    it('cgroup v1 release_agent (CVE-2022-0492): new hierarchies refused, release_agent writes refused in every hierarchy', async () => {
      const id = s.session();
      const hierarchies = hostHierarchies();
      const before = new Map(hierarchies.map((h) => [h, readOr(`/sys/fs/cgroup/${h.replace(/^name=/, '')}/release_agent`)]));
      const r = await run(
        s.h.client,
        id,
        sh(
          'mkdir -p /tmp/cg-new /tmp/cg-rdma; ' +
            'mount -t cgroup -o none,name=labx cgroup /tmp/cg-new 2>/dev/null && echo named-mounted; ' +
            'mount -t cgroup -o rdma cgroup /tmp/cg-rdma 2>/dev/null && echo rdma-mounted; ' +
            `for c in ${hierarchies.join(' ')}; do d="/tmp/cg-$c"; mkdir -p "$d"; mount -t cgroup -o "$c" cgroup "$d" 2>/dev/null || continue; ` +
            'for f in $(find "$d" -maxdepth 3 -name release_agent); do echo /tmp/pwn > "$f" 2>/dev/null && echo "WROTE $f"; done; done; echo probed',
        ),
      );
      expect(r.stdout.trim()).toBe('probed');
      for (const [h, v] of before) expect(readOr(`/sys/fs/cgroup/${h.replace(/^name=/, '')}/release_agent`), h).toBe(v);
    });

    it('cgroup namespace: every v1 hierarchy a learner can mount is rooted below the host root (no host tree, no release_agent)', async () => {
      const id = s.session();
      const r = await run(
        s.h.client,
        id,
        sh(
          `for c in ${hostHierarchies().join(' ')}; do d="/tmp/cg-$c"; mkdir -p "$d"; mount -t cgroup -o "$c" cgroup "$d" 2>/dev/null || continue; ` +
            'test -e "$d/release_agent" && echo "$c: host hierarchy root visible"; done; echo probed',
        ),
      );
      expect(r.stdout.trim().split('\n')).toEqual(['probed']);
    });

    it('kernel knobs: core_pattern, sysrq-trigger, modprobe, drop_caches and sysfs uevent_helper are refused', async () => {
      const id = s.session();
      const knobs = ['/proc/sys/kernel/core_pattern', '/proc/sys/kernel/modprobe', '/proc/sys/vm/drop_caches', '/sys/kernel/uevent_helper'];
      const before = knobs.map(readOr);
      const r = await run(
        s.h.client,
        id,
        sh(
          `for f in /proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe /sys/kernel/uevent_helper; do echo '|/tmp/pwn' > "$f" 2>/dev/null && echo "WROTE $f"; done; ` +
            `echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && echo WROTE-drop_caches; echo c > /proc/sysrq-trigger 2>/dev/null && echo WROTE-sysrq; ` +
            `mkdir -p /tmp/sys2 && mount -t sysfs sysfs /tmp/sys2 2>/dev/null && { echo /tmp/pwn > /tmp/sys2/kernel/uevent_helper 2>/dev/null && echo WROTE-uevent2; }; echo probed`,
        ),
      );
      expect(r.stdout.trim()).toBe('probed');
      expect(knobs.map(readOr)).toEqual(before);
    });
  });

});
