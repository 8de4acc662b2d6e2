/**
 * Escape and abuse suite, part 3: system calls. Every call the baseline seccomp filter denies
 * (native/seccomp_policy.c) is probed inside a sandbox the way bubblewrap's try-syscall does,
 * TIOCSTI and the other syscall ABIs (i386 `int 0x80`, x32) are tried, and the calls lessons
 * need (unshare, setns, mount, pivot_root, ptrace, a learner's own seccomp filter, nested
 * namespaces) must still work while all of that holds.
 * After every case (escapeSuite) a neighbouring sandbox must echo a fresh marker within 5 s.
 * Requires root, bubblewrap, cgroups and the built rootfs; elsewhere it skips with the reason.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, run, TermClient } from './harness';
import { compileStatic, escapeSuite, hasGcc, saveAndRun } from './escape-helpers';

const reason = cannotRun() ?? (process.arch === 'x64' ? null : 'the syscall table below is x86_64');
if (reason) console.warn(`[integration] skipped: ${reason}`);

/**
 * The baseline deny-list with x86_64 numbers (arch/x86/entry/syscalls/syscall_64.tbl) and
 * arguments chosen so that, were the call not filtered, most would fail differently (EFAULT,
 * EBADF, EINVAL, ENOSYS) or even succeed: then EPERM inside can only come from the filter.
 */
const DENIED: Array<{ name: string; nr: number; args: number[] }> = [
  { name: 'keyctl', nr: 250, args: [0, -4, 0] }, // KEYCTL_GET_KEYRING_ID of the user keyring: succeeds unfiltered
  { name: 'add_key', nr: 248, args: [0, 0, 0, 0, 0] },
  { name: 'request_key', nr: 249, args: [0, 0, 0, 0] },
  { name: 'bpf', nr: 321, args: [-1, 0, 0] },
  { name: 'perf_event_open', nr: 298, args: [0, 0, -1, -1, 0] },
  { name: 'userfaultfd', nr: 323, args: [1] }, // UFFD_USER_MODE_ONLY: allowed to users unfiltered
  { name: 'io_uring_setup', nr: 425, args: [1, 0] },
  { name: 'io_uring_enter', nr: 426, args: [-1, 0, 0, 0, 0, 0] },
  { name: 'io_uring_register', nr: 427, args: [-1, 0, 0, 0] },
  { name: 'kexec_load', nr: 246, args: [0, 0, 0, -1] },
  { name: 'kexec_file_load', nr: 320, args: [-1, -1, 0, 0, -1] },
  { name: 'init_module', nr: 175, args: [0, 0, 0] },
  { name: 'finit_module', nr: 313, args: [-1, 0, -1] },
  { name: 'delete_module', nr: 176, args: [0, -1] },
  { name: 'open_by_handle_at', nr: 304, args: [-1, 0, 0] },
  { name: 'acct', nr: 163, args: [0] },
  { name: 'swapon', nr: 167, args: [0, 0] },
  { name: 'swapoff', nr: 168, args: [0] },
  { name: 'settimeofday', nr: 164, args: [0, 0] },
  { name: 'clock_settime', nr: 227, args: [0, 0] },
  { name: 'clock_adjtime', nr: 305, args: [0, 0] },
  { name: 'adjtimex', nr: 159, args: [0] },
  { name: 'lookup_dcookie', nr: 212, args: [0, 0, 0] },
  { name: 'quotactl', nr: 179, args: [0, 0, 0, 0] },
  { name: 'iopl', nr: 172, args: [0] },
  { name: 'ioperm', nr: 173, args: [0, 0, 0] },
  { name: 'uselib', nr: 134, args: [0] },
  { name: 'syslog', nr: 103, args: [10, 0, 0] }, // SYSLOG_ACTION_SIZE_BUFFER
  { name: 'fanotify_init', nr: 300, args: [0x200, 0] }, // FAN_REPORT_FID: allowed to users unfiltered
  { name: 'nfsservctl', nr: 180, args: [0, 0, 0] },
];
/** In seccomp_policy.c's list but not system calls on x86_64 (libseccomp skips them there). */
const NOT_ON_X86_64 = ['vm86', 'vm86old'];

/** Python that runs every probe and prints `name errno-name` (or `name OK`), one per line. */
const PROBE_PY = `
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
for name, nr, args in ${JSON.stringify(DENIED.map((d) => [d.name, d.nr, d.args]))}:
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    e = ctypes.get_errno()
    print(name, errno.errorcode.get(e, str(e)) if r == -1 else "OK")
`;

function parseProbe(out: string): Map<string, string> {
  return new Map(out.trim().split('\n').map((l) => l.split(' ') as [string, string]));
}

/** The names in seccomp_policy.c's `denied[]` array. */
function policyNames(): string[] {
  const src = readFileSync(join(__dirname, '../native/seccomp_policy.c'), 'utf8');
  const block = (/denied\[\]\s*=\s*\{([\s\S]*?)\n\};/.exec(src)?.[1] ?? '').replace(/\/\*[\s\S]*?\*\//g, '');
  // Either a list of names or {"name", "why"} pairs: the name is the first string of an entry.
  const entries = block.includes('{') ? block.matchAll(/\{\s*"([a-z0-9_]+)"/g) : block.matchAll(/"([a-z0-9_]+)"/g);
  const names = [...entries].map((m) => m[1]!);
  if (names.length === 0) throw new Error('could not read the deny-list from seccomp_policy.c');
  return names;
}

/** i386 getpid through `int $0x80`; if that returns, exit(42) through the native table. */
const I386_C = String.raw`
void _start(void) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
  __asm__ volatile("syscall" :: "a"(60L), "D"(42L) : "rcx", "r11", "memory");
  for (;;) {}
}
`;

describe.skipIf(reason !== null)('escape suite: system calls (real sandboxes)', () => {
  const s = escapeSuite();

  describe('the baseline filter', () => {
    let inside: Map<string, string>;
    beforeAll(async () => {
      const r = await run(s.h.client, s.session(), ['python3', '-c', PROBE_PY]);
      inside = parseProbe(r.stdout);
    });

    it("covers every name in seccomp_policy.c's deny-list (this table is not stale)", () => {
      const names = DENIED.map((d) => d.name);
      for (const n of policyNames()) if (!NOT_ON_X86_64.includes(n)) expect(names, `${n} is denied by the policy but not probed here`).toContain(n);
      for (const n of names) expect(policyNames(), `${n} is probed here but no longer denied`).toContain(n);
    });

    it.each(DENIED.map((d) => [d.name, d.nr]))('seccomp: %s (x86_64 nr %i) returns EPERM', (name) => {
      expect(inside.get(name as string)).toBe('EPERM');
    });

    it('the filter, not a missing capability, refuses: unfiltered in a host user namespace most probes get other errors', () => {
      const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
      if (!python) return void console.warn('[escape] no system python3 on the host: control probe skipped');
      // As nobody, in a fresh user namespace of its own: root there, but no filter at all.
      const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'unshare', '-Ur', python, '-c', PROBE_PY], { encoding: 'utf8' });
      const control = parseProbe(out);
      const differs = DENIED.filter((d) => control.get(d.name) !== 'EPERM').map((d) => d.name);
      // keyctl succeeds, add_key/adjtimex/clock_settime reach the kernel's argument checks
      // (EFAULT), removed calls say ENOSYS... without the filter. (Host sysctls such as
      // kernel.io_uring_disabled=2 make some of them EPERM for everyone, hence "most".)
      expect(differs.length).toBeGreaterThanOrEqual(10);
      for (const n of ['keyctl', 'add_key', 'adjtimex', 'clock_settime']) expect(differs).toContain(n);
    });
  });

  it('ioctl(TIOCSTI) on the terminal returns EPERM and types nothing into it', async () => {
    const id = s.session();
    const t = new TermClient(s.h.client, id);
    try {
      const out = await t.command(`python3 -c 'import fcntl, termios
try:
    fcntl.ioctl(0, termios.TIOCSTI, b"X")
    print("injected")
except OSError as e:
    print("TIOCSTI", e.errno)'`);
      expect(out).toMatch(/^TIOCSTI 1$/m);
      expect(out).not.toMatch(/^injected$/m);
    } finally {
      t.close();
    }
  });

  it.skipIf(!hasGcc())('i386 ABI (int 0x80): the process is killed by SIGSYS (status 159 = 128 + 31)', async () => {
    const bin = compileStatic(I386_C, ['-nostdlib']);
    // Control: on the host, unfiltered, the same binary gets through the i386 table (status 42).
    expect(hostStatus(bin), 'this kernel runs i386 system calls at all (IA32_EMULATION)').toBe(42);
    const r = await run(s.h.client, s.session(), saveAndRun('/tmp/i386'), { stdin: bin });
    expect(r.code).toBe(159);
  });

  it('x32 ABI (syscall number | 0x40000000): the process is killed by SIGSYS (status 159)', async () => {
    const r = await run(s.h.client, s.session(), [
      'bash',
      '-c',
      `python3 -c 'import ctypes; ctypes.CDLL(None).syscall(ctypes.c_long(0x40000000 | 39)); print("alive")' 2>/dev/null; echo "status=$?"`,
    ]);
    expect(r.stdout.trim()).toBe('status=159');
  });

  describe('what lessons need still works', () => {
    it('unshare --pid --fork --mount-proc: the new shell is PID 1', async () => {
      const r = await run(s.h.client, s.session(), ['unshare', '--pid', '--fork', '--mount-proc', 'sh', '-c', 'echo $$; exec ps -e -o pid=,comm=']);
      expect(r.stdout.trim().split('\n').map((l) => l.trim())).toEqual(['1', '1 ps']);
    });

    it('unshare --net: a new netns with only lo, which can be brought up', async () => {
      const r = await run(s.h.client, s.session(), ['unshare', '--net', 'sh', '-c', 'ip link set lo up && ip -o link | cut -d: -f2 && ping -c1 -W2 127.0.0.1 >/dev/null && echo ping-ok']);
      expect(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['lo', 'ping-ok']);
    });

    it('unshare --uts, --ipc, --cgroup: hostname changes inside only', async () => {
      const id = s.session();
      const r = await run(s.h.client, id, ['sh', '-c', 'unshare --uts sh -c "hostname inner-$$; hostname"; hostname; unshare --ipc --cgroup true && echo ipc-cgroup-ok']);
      const [inner, outer, ok] = r.stdout.trim().split('\n');
      expect(inner).toMatch(/^inner-\d+$/);
      expect(outer).toBe(s.profile.hostname);
      expect(ok).toBe('ipc-cgroup-ok');
      expect(execFileSync('hostname', { encoding: 'utf8' }).trim()).not.toMatch(/^inner-/);
    });

    it('nested user namespace: `unshare -Urpf --mount-proc ps -e` shows PID 1', async () => {
      const r = await run(s.h.client, s.session(), ['unshare', '-Urpf', '--mount-proc', 'ps', '-e', '-o', 'pid=,comm=']);
      expect(r.stdout.trim().split('\n').map((l) => l.trim())).toEqual(['1 ps']);
    });

    it('setns via nsenter into a child process namespaces', async () => {
      const r = await run(s.h.client, s.session(), [
        'bash',
        '-c',
        'unshare --uts --pid --fork --mount-proc sh -c "hostname child-ns; exec sleep 30" >/dev/null 2>&1 & ' +
          'for i in $(seq 100); do p=$(pgrep -x sleep) && break; sleep 0.1; done; ' +
          'nsenter -t $p -u -p -m sh -c \'hostname; echo pid1=$(cat /proc/1/comm)\'; kill -9 $p',
      ]);
      expect(r.stdout.trim().split('\n')).toEqual(['child-ns', 'pid1=sleep']);
    });

    it('mount a tmpfs in a private mount namespace: invisible outside it', async () => {
      const r = await run(s.h.client, s.session(), ['bash', '-c', 'unshare -m sh -c "mount -t tmpfs lesson /mnt && grep -c ^lesson /proc/self/mounts"; grep -c ^lesson /proc/self/mounts']);
      expect(r.stdout.trim().split('\n')).toEqual(['1', '0']);
    });

    it('pivot_root into a busybox root in a new mount namespace', async () => {
      const r = await run(s.h.client, s.session(), [
        'unshare',
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        'mkdir -p /tmp/nr && mount -t tmpfs none /tmp/nr && mkdir -p /tmp/nr/old /tmp/nr/bin && cp /bin/busybox /tmp/nr/bin/ && ' +
          'cd /tmp/nr && pivot_root . old && exec /bin/busybox sh -c "/bin/busybox umount -l /old && /bin/busybox ls / && /bin/busybox ls /old | /bin/busybox wc -l"',
      ]);
      expect(r.stdout.trim().split('\n')).toEqual(['bin', 'old', '0']);
    });

    it('strace follows a child: `strace -f -e trace=mkdir mkdir /tmp/x`', async () => {
      const r = await run(s.h.client, s.session(), ['strace', '-f', '-e', 'trace=mkdir', 'mkdir', '/tmp/x']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/mkdir\("\/tmp\/x", 0777\)\s+= 0/);
    });

    it("a learner's own seccomp filter loads on top of the baseline (Seccomp_filters: 2; mkdir denied, mkdirat not)", async () => {
      const py = `
import ctypes, errno, os, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
# BPF: load the syscall number; mkdir (83) -> ERRNO(EPERM); everything else -> ALLOW
insns = [(0x20, 0, 0, 0), (0x15, 0, 1, 83), (0x06, 0, 0, 0x00050000 | errno.EPERM), (0x06, 0, 0, 0x7fff0000)]
buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in insns))
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
prog = Prog(len(insns), ctypes.addressof(buf))
print("nnp", libc.prctl(38, 1, 0, 0, 0))
print("load", libc.syscall(317, 1, 0, ctypes.byref(prog)))
print([l.split()[1] for l in open("/proc/self/status") if l.startswith("Seccomp_filters")][0])
libc.syscall(83, b"/tmp/by-mkdir", 0o755); print("mkdir", errno.errorcode[ctypes.get_errno()])
print("mkdirat", libc.syscall(258, -100, b"/tmp/by-mkdirat", 0o755), os.path.isdir("/tmp/by-mkdirat"))
# Strict mode cannot follow a filter (seccomp(2): EINVAL); lessons demo filter mode instead.
print("strict", libc.prctl(22, 1, 0, 0, 0), errno.errorcode[ctypes.get_errno()])
`;
      const r = await run(s.h.client, s.session(), ['python3', '-c', py]);
      expect(r.stdout.trim().split('\n')).toEqual(['nnp 0', 'load 0', '2', 'mkdir EPERM', 'mkdirat 0 True', 'strict -1 EINVAL']);
    });

    it('ip netns add x && ip netns exec x ip -o link: works inside the sandbox', async () => {
      const r = await run(s.h.client, s.session(), ['sh', '-c', 'ip netns add x && ip netns exec x ip -o link | cut -d: -f2 && ip netns del x && echo deleted']);
      expect(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['lo', 'deleted']);
    });
  });
});

/** Run a binary on the host (as nobody, from a private temp dir) and return its exit status. */
function hostStatus(bin: Buffer): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'lab-escape-i386-'));
  try {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'probe'), bin, { mode: 0o755 });
    try {
      execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', join(dir, 'probe')], { stdio: 'ignore' });
      return 0;
    } catch (e) {
      const err = e as { status?: number | null };
      return err.status ?? null;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
