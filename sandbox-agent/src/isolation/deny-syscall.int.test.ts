/**
 * deny-syscall (sandbox-agent/rootfs/tools/deny-syscall.c, built into the rootfs by
 * customize.sh) run in a real sandbox, as the seccomp lesson uses it: a denied call fails with
 * EPERM and has no effect, everything else still works, its filter stacks on the sandbox's
 * baseline one, and a name it does not know is a usage error.
 * Requires root, bubblewrap, cgroups and a rootfs built with the tool; elsewhere it skips with
 * the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, newId, run, startHarness, type Harness } from '../../test/harness';
import { loadAgentConfig } from '../config';

const SOURCE = join(__dirname, '../../rootfs/tools/deny-syscall.c');

function whyNot(): string | null {
  const base = cannotRun();
  if (base) return base;
  const rootfs = loadAgentConfig().rootfs;
  if (!existsSync(join(rootfs, 'usr/local/bin/deny-syscall'))) return `${rootfs} has no /usr/local/bin/deny-syscall (built before the tool existed: node scripts/lib/rootfs.mjs rebuilds it)`;
  return null;
}

const reason = whyNot();
if (reason) console.warn(`[integration] skipped: ${reason}`);

describe.skipIf(reason !== null)('deny-syscall in a real sandbox', () => {
  let h: Harness;
  /** One sandbox for every case, like a learner's. */
  const id = newId();
  const sh = (script: string) => run(h.client, id, ['bash', '-c', script]);

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.agent.sessions.get(id)?.dispose('test over');
    await h?.stop();
  });

  it('deny-syscall mkdir -- mkdir /tmp/x fails with "Operation not permitted" and makes nothing', async () => {
    const r = await sh('deny-syscall mkdir -- mkdir /tmp/x; echo "status $?"; [ -e /tmp/x ] && echo "/tmp/x exists" || echo "no /tmp/x"');
    expect(r.stderr).toMatch(/mkdir: cannot create directory .\/tmp\/x.: Operation not permitted/);
    expect(r.stdout.trim().split('\n')).toEqual(['status 1', 'no /tmp/x']);
    // Not a read-only /tmp or a missing right: without the filter the same command works.
    const plain = await sh('mkdir /tmp/x && [ -d /tmp/x ] && echo made && rmdir /tmp/x');
    expect(plain.stdout.trim()).toBe('made');
  });

  it('lets every call it was not told about through: coreutils mkdir does not use mkdirat', async () => {
    const r = await sh('deny-syscall mkdirat -- mkdir /tmp/by-mkdir && [ -d /tmp/by-mkdir ] && echo made');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('made');
    const list = await sh('deny-syscall mkdir,mkdirat -- echo "hello from $0"');
    expect(list.stdout.trim()).toBe('hello from bash');
  });

  it("stacks its filter on the sandbox's baseline one (Seccomp_filters 1 -> 2), also through exec and fork", async () => {
    const r = await sh('grep ^Seccomp_filters: /proc/self/status; deny-syscall mkdir -- bash -c "grep ^Seccomp_filters: /proc/self/status; (mkdir /tmp/from-child) 2>&1"');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2).map((l) => l.replace(/\s+/g, ' '))).toEqual(['Seccomp_filters: 1', 'Seccomp_filters: 2']);
    expect(lines[2]).toMatch(/^mkdir: cannot create directory .\/tmp\/from-child.: Operation not permitted$/);
    expect(lines).toHaveLength(3);
  });

  it('an unknown system call name is a usage error (exit 2) that names it; nothing runs', async () => {
    const r = await sh('deny-syscall mkdri -- touch /tmp/ran; echo "status $?"; [ -e /tmp/ran ] && echo ran || echo "did not run"');
    expect(r.stderr).toMatch(/^deny-syscall: unknown system call name: mkdri\nusage: deny-syscall NAME\[,NAME\.\.\.\] \[--\] COMMAND/);
    expect(r.stdout.trim().split('\n')).toEqual(['status 2', 'did not run']);
    const none = await sh('deny-syscall mkdir; echo "status $?"');
    expect(none.stderr).toMatch(/no command given/);
    expect(none.stdout.trim()).toBe('status 2');
  });

  it('--show prints the filter (one ERRNO(1) rule per name, ALLOW by default) and runs nothing', async () => {
    const r = await sh('deny-syscall --show mkdir,mkdirat; echo "status $?"; deny-syscall --show mkdir -- touch /tmp/shown; echo "status $?"; [ -e /tmp/shown ] || echo "nothing ran"');
    expect(r.stdout).toMatch(/filter for syscall "mkdir" \(\d+\)[^\n]*\n\s+if \(\$syscall == \d+\)\n\s+action ERRNO\(1\);/);
    expect(r.stdout).toMatch(/filter for syscall "mkdirat" \(\d+\)/);
    expect(r.stdout).toMatch(/# default action\n\s+action ALLOW;/);
    expect(r.stdout.trim().split('\n').slice(-3)).toEqual(['status 0', 'status 2', 'nothing ran']);
    expect(r.stderr).toMatch(/--show runs nothing/);
  });

  it('ships its source, readable, at /usr/local/src/deny-syscall/deny-syscall.c', async () => {
    const r = await sh('stat -c %a /usr/local/src/deny-syscall/deny-syscall.c; cat /usr/local/src/deny-syscall/deny-syscall.c');
    const [mode, ...rest] = r.stdout.split('\n');
    expect(mode).toBe('644');
    expect(rest.join('\n'), 'the rootfs is older than tools/deny-syscall.c: node scripts/lib/rootfs.mjs').toBe(readFileSync(SOURCE, 'utf8'));
  });
});
