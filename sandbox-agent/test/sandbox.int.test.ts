/**
 * The sandbox against the real kernel: namespaces, identity, cgroups, seccomp and teardown.
 * Requires root, bubblewrap, cgroups and the built rootfs; elsewhere it skips with the reason.
 */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../src/config';
import { cannotRun, newId, run, startHarness, TermClient, type Harness } from './harness';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

describe.skipIf(reason !== null)('sandbox (real kernel)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('unshare --fork --pid --mount-proc gives a new PID 1', async () => {
    const r = await run(h.client, newId(), ['unshare', '--fork', '--pid', '--mount-proc', 'ps', '-e', '-o', 'pid=,comm='], { disposeOnClose: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.trim())).toEqual(['1 ps']);
  });

  it('lets a second terminal join the same sandbox and see the nested bash under another PID', async () => {
    const id = newId();
    const t1 = new TermClient(h.client, id, '1');
    await t1.command('unshare --fork --pid --mount-proc bash');
    // As in the article: the new bash is PID 1 and ps, its first child, PID 2.
    const inner = await t1.command('ps -e -o pid=,comm=');
    expect(inner.trim().split('\n').slice(1).map((l) => l.trim())).toEqual(['1 bash', '2 ps']);
    expect(await t1.command('echo "inner-pid=$$"')).toMatch(/inner-pid=1\b/);
    const t2 = new TermClient(h.client, id, '2');
    await t2.opened();
    expect(t2.ready!.terminals).toEqual(['1', '2']);
    // Every bash whose NSpid has two entries lives in a nested PID namespace: the one above.
    const seen = await t2.command('for p in $(pgrep -x bash); do grep -h "^NSpid:" /proc/$p/status; done');
    const nested = seen.split('\n').map((l) => l.match(/^NSpid:\s+(\d+)\s+(\d+)\s*$/)).filter((m) => m !== null);
    expect(nested).toHaveLength(1);
    expect(nested[0]![2]).toBe('1');
    expect(Number(nested[0]![1])).toBeGreaterThan(1);
    t1.close();
    t2.close();
    await h.agent.sessions.get(id)!.dispose('test over');
  });

  it("has namespaces of its own: every inode differs from the host's", async () => {
    const kinds = ['pid', 'net', 'mnt', 'uts', 'ipc', 'user', 'cgroup'];
    const r = await run(h.client, newId(), ['readlink', ...kinds.map((k) => `/proc/self/ns/${k}`)], { disposeOnClose: true });
    expect(r.code).toBe(0);
    const inside = r.stdout.trim().split('\n');
    expect(inside).toHaveLength(kinds.length);
    kinds.forEach((k, i) => expect(inside[i]).not.toBe(readlinkSync(`/proc/self/ns/${k}`)));
  });

  it('is root inside, a 65536-id range outside, never host root', async () => {
    const r = await run(h.client, newId(), ['sh', '-c', 'id -u; cat /proc/self/uid_map /proc/self/gid_map'], { disposeOnClose: true });
    const [uid, uidMap, gidMap] = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(uid).toEqual(['0']);
    expect(uidMap![0]).toBe('0');
    expect(Number(uidMap![1])).toBeGreaterThan(0);
    expect(uidMap![2]).toBe('65536');
    expect(gidMap).toEqual(uidMap);
  });

  it('shows the rootfs as root-owned (idmapped) and lets root inside add users and edit /etc, not /usr', async () => {
    const script = [
      'stat -c "%U:%G %n" /usr/bin/bash /etc/passwd',
      'useradd -m alice && su alice -c "id -un; touch ~/mine && stat -c %U ~/mine"',
      'echo "10.9.8.7 lab-test" >> /etc/hosts && grep -c lab-test /etc/hosts',
      'touch /usr/bin/evil || true',
    ].join('\n');
    const r = await run(h.client, newId(), ['bash', '-c', script], { disposeOnClose: true });
    expect(r.stdout.trim().split('\n')).toEqual(['root:root /usr/bin/bash', 'root:root /etc/passwd', 'alice', 'alice', '1']);
    expect(r.stderr).toMatch(/cannot touch '\/usr\/bin\/evil': Read-only file system/);
    // The shared rootfs on the host is untouched by the sandbox's /etc changes.
    expect(readFileSync(`${loadAgentConfig().rootfs}/etc/passwd`, 'utf8')).not.toContain('alice');
  });

  it('runs every process with no_new_privs, the seccomp filter, and no leaked fds', async () => {
    const id = newId();
    const r = await run(h.client, id, ['sh', '-c', 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; ls /proc/self/fd']);
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
    expect(r.stdout).toMatch(/Seccomp:\s+2/);
    // ls itself opens one directory fd: 0 1 2 3.
    expect(r.stdout.split('\n').slice(2).filter(Boolean)).toEqual(['0', '1', '2', '3']);
    const t = new TermClient(h.client, id);
    const out = await t.command('grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; echo $(ls /proc/self/fd)');
    expect(out).toMatch(/NoNewPrivs:\s+1/);
    expect(out).toMatch(/Seccomp:\s+2/);
    // The subshell's ls opens one directory fd: 0 1 2 3 and nothing of the agent's.
    expect(out).toMatch(/^0 1 2 3$/m);
    t.close();
    await h.agent.sessions.get(id)!.dispose('test over');
  });

  it('blocks a denied system call with EPERM (keyctl via the baseline filter)', async () => {
    const r = await run(h.client, newId(), ['python3', '-c', 'import ctypes,sys;l=ctypes.CDLL(None,use_errno=True);r=l.syscall(250,0,-4,0);print(r, ctypes.get_errno())'], { disposeOnClose: true });
    expect(r.stdout.trim()).toBe('-1 1');
  });

  it('keeps two sandboxes apart: processes, files and host identity', async () => {
    const a = newId();
    const b = newId();
    await run(h.client, a, ['sh', '-c', 'echo secret > /tmp/only-in-a; echo ok']);
    const ta = new TermClient(h.client, a);
    await ta.command('sleep 4242 &');
    const rb = await run(h.client, b, ['sh', '-c', 'ls -A /tmp; ps -e -o args=']);
    expect(rb.stdout).not.toContain('only-in-a');
    expect(rb.stdout).not.toContain('sleep 4242');
    const ra = await run(h.client, a, ['sh', '-c', 'cat /tmp/only-in-a; ps -e -o args=']);
    expect(ra.stdout).toContain('secret');
    expect(ra.stdout).toContain('sleep 4242');
    const uidOf = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)![1];
    const sa = h.agent.sessions.get(a)!;
    const sb = h.agent.sessions.get(b)!;
    expect(uidOf(sa.initPid)).not.toBe(uidOf(sb.initPid));
    expect(uidOf(sa.initPid)).not.toBe('0');
    ta.close();
    await Promise.all([sa.dispose('test over'), sb.dispose('test over')]);
  });

  it('delegates a cgroup subtree: cgcreate + memory limit + cgexec kills a memory hog at the limit', async () => {
    const id = newId();
    const script = [
      'cgcreate -g memory:mycoolgroup',
      'echo 10000000 > /sys/fs/cgroup/memory/mycoolgroup/memory.limit_in_bytes',
      `cgexec -g memory:mycoolgroup python3 -c 'b = b"x" * (64 << 20); print("survived")'`,
      'echo "hog=$?"',
      'grep oom_kill /sys/fs/cgroup/memory/mycoolgroup/memory.oom_control',
      'cgdelete memory:mycoolgroup && echo deleted',
      'echo 999999999999 > /sys/fs/cgroup/memory/memory.limit_in_bytes && echo raised || echo refused',
    ].join('\n');
    const r = await run(h.client, id, ['bash', '-c', script], { disposeOnClose: true });
    expect(r.stdout).not.toContain('survived');
    expect(r.stdout).toContain('hog=137');
    expect(r.stdout).toMatch(/oom_kill [1-9]/);
    expect(r.stdout).toContain('deleted');
    // The session's own limit is root-owned on the host: the learner cannot raise it.
    expect(r.stdout).toContain('refused');
  });

  it('tells the learner when the sandbox hits its memory or process limit, and not for their own sub-groups', async () => {
    const id = newId();
    const t = new TermClient(h.client, id);
    // A learner's own 10 MB group killing its hog is the lesson, not an incident: no notice.
    await t.command(
      "cgcreate -g memory:small && echo 10000000 > /sys/fs/cgroup/memory/small/memory.limit_in_bytes && cgexec -g memory:small python3 -c 'b = b\"x\" * (64 << 20)'",
    );
    // The sandbox's own limit (256 MiB) is.
    await t.command("python3 -c 'b = b\"x\" * (400 << 20)'");
    expect(await t.waitForNotice(/memory limit/)).toMatch(/^Your sandbox hit its 256 MiB memory limit: a process was killed/);
    expect(t.notices.filter((n) => /memory limit/.test(n))).toHaveLength(1);
    await t.command('for i in $(seq 300); do sleep 5 & done 2>/dev/null; wait');
    expect(await t.waitForNotice(/processes/)).toMatch(/limit of 256 processes/);
    t.close();
    await h.agent.sessions.get(id)!.dispose('test over');
  });

  it('tears everything down: processes, cgroups, identity', async () => {
    const id = newId();
    await run(h.client, id, ['true']);
    const s = h.agent.sessions.get(id)!;
    const pid = s.initPid;
    const cgroupDirs = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
      .split('\n')
      .map((l) => l.split(':'))
      .filter((p) => p[1] === 'memory' || p[1] === 'pids')
      .map(([, c, path]) => `/sys/fs/cgroup/${c}${path}`);
    expect(cgroupDirs.length).toBe(2);
    cgroupDirs.forEach((d) => expect(existsSync(d)).toBe(true));
    await s.dispose('test over');
    // PID 1 of the sandbox is gone (at most a zombie waiting for the host's init to reap it).
    const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
    expect(['gone', 'Z']).toContain(state);
    cgroupDirs.forEach((d) => expect(existsSync(d)).toBe(false));
    expect(h.agent.sessions.get(id)).toBeUndefined();
    // Its idmapped rootfs mount on the host is gone too.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(`/${id} `);
  });
});
