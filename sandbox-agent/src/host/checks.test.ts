import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHost } from './checks';
import { sysctlPath } from './sysctls';
import { hardeningSysctls } from './sysctl-table';

let proc: string;
const put = (key: string, value: number) => {
  const p = sysctlPath(proc, key);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, `${value}\n`);
};

beforeEach(() => {
  proc = mkdtempSync(join(tmpdir(), 'host-checks-'));
  for (const s of hardeningSysctls(64)) put(s.key, s.want);
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

const fixed = async () => ({ fixed: true, detail: 'write refused with EPERM', ms: 12 });

describe('checkHost', () => {
  it('logs one summary line and the probe result when all is well', async () => {
    const log: string[] = [];
    await checkHost({ maxSandboxes: 64, log: (m) => log.push(m), procSys: proc, probe: fixed });
    expect(log).toEqual(['host hardening: 18 of 18 sysctls hardened', 'kernel has the CVE-2022-0492 fix: write refused with EPERM (probe took 12 ms)']);
  });

  it('warns about each soft sysctl but still starts', async () => {
    put('kernel.kptr_restrict', 0);
    put('fs.protected_fifos', 1);
    const log: string[] = [];
    await checkHost({ maxSandboxes: 64, log: (m) => log.push(m), procSys: proc, probe: fixed });
    const warnings = log.filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^warning: host hardening: kernel\.kptr_restrict is 0, not 2 .*npm start applies it.*sysctl -w kernel\.kptr_restrict=2/);
    expect(log).toContain('host hardening: 16 of 18 sysctls hardened');
  });

  it('refuses to start without the CVE-2022-0492 fix', async () => {
    const vulnerable = async () => ({ fixed: false, detail: 'the kernel let it write release_agent' });
    await expect(checkHost({ maxSandboxes: 64, log: () => undefined, procSys: proc, probe: vulnerable })).rejects.toThrow(
      /refusing to start: this kernel does not have the fix for CVE-2022-0492 \(the kernel let it write release_agent\).*Upgrade the kernel/,
    );
  });

  it('notes, without warning, a kernel that predates io_uring_disabled', async () => {
    rmSync(sysctlPath(proc, 'kernel.io_uring_disabled'));
    const log: string[] = [];
    await checkHost({ maxSandboxes: 64, log: (m) => log.push(m), procSys: proc, probe: fixed });
    expect(log[0]).toMatch(/^host hardening: 17 of 17 sysctls hardened \(kernel\.io_uring_disabled: not in this kernel/);
  });
});
