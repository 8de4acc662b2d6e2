import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySysctls, checkSysctls, hardenHost, parseSysctlValue, planSysctl, readSysctl, renderConf, sysctlPath, writeIfChanged } from './sysctls';
import { hardeningSysctls, namespaceFloor, type SysctlSpec } from './sysctl-table';

const specs = hardeningSysctls(64);
const spec = (key: string): SysctlSpec => specs.find((s) => s.key === key)!;

/** A fake /proc/sys holding an unhardened, Debian-12-like host (6.1: no io_uring_disabled). */
const SOFT: Record<string, string> = {
  'kernel.unprivileged_bpf_disabled': '0',
  'kernel.perf_event_paranoid': '2',
  'vm.unprivileged_userfaultfd': '1',
  'kernel.dmesg_restrict': '0',
  'kernel.kptr_restrict': '0',
  'fs.protected_symlinks': '1',
  'fs.protected_hardlinks': '1',
  'fs.protected_regular': '1',
  'fs.protected_fifos': '1',
  'user.max_user_namespaces': '96364',
  'user.max_pid_namespaces': '96364',
  'user.max_net_namespaces': '100',
  'user.max_mnt_namespaces': '0',
  'user.max_uts_namespaces': '96364',
  'user.max_ipc_namespaces': '96364',
  'user.max_cgroup_namespaces': '96364',
  'user.max_time_namespaces': '96364',
};

let root: string;
let proc: string;
const put = (key: string, value: string) => {
  const p = sysctlPath(proc, key);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, `${value}\n`);
};
const get = (key: string) => readFileSync(sysctlPath(proc, key), 'utf8').trim();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sysctl-test-'));
  proc = join(root, 'proc-sys');
  for (const [k, v] of Object.entries(SOFT)) put(k, v);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the table', () => {
  it('has one entry per setting, each with a one-line reason', () => {
    const keys = specs.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      'kernel.unprivileged_bpf_disabled',
      'kernel.perf_event_paranoid',
      'vm.unprivileged_userfaultfd',
      'kernel.dmesg_restrict',
      'kernel.kptr_restrict',
      'fs.protected_symlinks',
      'fs.protected_hardlinks',
      'fs.protected_regular',
      'fs.protected_fifos',
      'kernel.io_uring_disabled',
      ...['user', 'pid', 'net', 'mnt', 'uts', 'ipc', 'cgroup', 'time'].map((t) => `user.max_${t}_namespaces`),
    ]);
    for (const s of specs) expect(s.why).toMatch(/^[^\n]{10,}$/);
  });

  it('sizes the namespace floors from LAB_MAX_SANDBOXES × 64 + 1024', () => {
    expect(namespaceFloor(64)).toBe(5120);
    expect(namespaceFloor(1)).toBe(1088);
    expect(hardeningSysctls(200).find((s) => s.key === 'user.max_net_namespaces')!.want).toBe(200 * 64 + 1024);
  });
});

describe('parsing /proc/sys values', () => {
  it('reads one integer', () => {
    expect(parseSysctlValue('2\n')).toBe(2);
    expect(parseSysctlValue('  -1 ')).toBe(-1);
    expect(parseSysctlValue('96364')).toBe(96364);
  });
  it('rejects anything else', () => {
    expect(() => parseSysctlValue('')).toThrow(/one integer/);
    expect(() => parseSysctlValue('4\t4\t1\t7')).toThrow(/one integer/);
    expect(() => parseSysctlValue('abc', 'kernel.x')).toThrow(/kernel\.x/);
  });
  it('maps dotted keys to files and reports a missing setting as null', () => {
    expect(sysctlPath('/proc/sys', 'kernel.kptr_restrict')).toBe('/proc/sys/kernel/kptr_restrict');
    expect(readSysctl(proc, 'kernel.kptr_restrict')).toBe(0);
    expect(readSysctl(proc, 'kernel.io_uring_disabled')).toBeNull();
  });
});

describe('deciding what to change', () => {
  it('sets an exact value that differs, keeps one that matches', () => {
    expect(planSysctl(spec('kernel.kptr_restrict'), 0)).toEqual({ kind: 'set', current: 0, target: 2 });
    expect(planSysctl(spec('kernel.kptr_restrict'), 1)).toEqual({ kind: 'set', current: 1, target: 2 });
    expect(planSysctl(spec('kernel.kptr_restrict'), 2)).toEqual({ kind: 'in-place', current: 2 });
    expect(planSysctl(spec('kernel.io_uring_disabled'), null)).toEqual({ kind: 'missing' });
  });

  it('never lowers a user.max_* value, raises one below the floor', () => {
    const s = spec('user.max_user_namespaces');
    expect(planSysctl(s, 96364)).toEqual({ kind: 'in-place', current: 96364 });
    expect(planSysctl(s, 5120)).toEqual({ kind: 'in-place', current: 5120 });
    expect(planSysctl(s, 5119)).toEqual({ kind: 'set', current: 5119, target: 5120 });
    expect(planSysctl(s, 0)).toEqual({ kind: 'set', current: 0, target: 5120 });
  });

  it('leaves unprivileged_bpf_disabled=1 alone: a one-way latch, as good as 2', () => {
    const s = spec('kernel.unprivileged_bpf_disabled');
    expect(planSysctl(s, 1)).toMatchObject({ kind: 'in-place', current: 1, note: expect.stringMatching(/latch/) });
    expect(planSysctl(s, 0)).toEqual({ kind: 'set', current: 0, target: 2 });
    expect(planSysctl(s, 2)).toEqual({ kind: 'in-place', current: 2 });
  });

  it('aims perf_event_paranoid at 3 but counts 2 as hardened', () => {
    const s = spec('kernel.perf_event_paranoid');
    expect(planSysctl(s, 2)).toEqual({ kind: 'set', current: 2, target: 3 });
    expect(planSysctl(s, 3)).toEqual({ kind: 'in-place', current: 3 });
    const proc2 = proc;
    put('kernel.perf_event_paranoid', '2');
    expect(checkSysctls([s], proc2).warnings).toEqual([]);
    put('kernel.perf_event_paranoid', '1');
    expect(checkSysctls([s], proc2).warnings).toHaveLength(1);
  });
});

describe('applying', () => {
  it('changes what is soft, announces each change with its reason, and never lowers', () => {
    const said: string[] = [];
    const warned: string[] = [];
    const out = applySysctls({ specs, procSys: proc, say: (l) => said.push(l), warn: (l) => warned.push(l) });
    expect(warned).toEqual([]);
    expect(said).toContain(`set kernel.kptr_restrict 0 → 2 (${spec('kernel.kptr_restrict').why})`);
    expect(said.filter((l) => l.startsWith('set '))).toHaveLength(9);
    expect(get('kernel.unprivileged_bpf_disabled')).toBe('2');
    expect(get('kernel.perf_event_paranoid')).toBe('3');
    expect(get('vm.unprivileged_userfaultfd')).toBe('0');
    expect(get('fs.protected_regular')).toBe('2');
    expect(get('user.max_user_namespaces')).toBe('96364');
    expect(get('user.max_net_namespaces')).toBe('5120');
    expect(get('user.max_mnt_namespaces')).toBe('5120');
    expect(out.find((o) => o.key === 'kernel.io_uring_disabled')!.kind).toBe('missing');
  });

  it('keeps a latched bpf setting without trying to write it', () => {
    put('kernel.unprivileged_bpf_disabled', '1');
    const writes: string[] = [];
    const out = applySysctls({
      specs: [spec('kernel.unprivileged_bpf_disabled')],
      procSys: proc,
      writeValue: (p) => writes.push(p),
    });
    expect(writes).toEqual([]);
    expect(out[0]).toMatchObject({ kind: 'in-place', value: 1 });
  });

  it('accepts a refused write when what remains is hardened enough, warns when it is not', () => {
    const refuse = () => {
      throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
    };
    const said: string[] = [];
    const warned: string[] = [];
    const out = applySysctls({
      specs: [spec('kernel.perf_event_paranoid'), spec('kernel.kptr_restrict')],
      procSys: proc,
      writeValue: refuse,
      say: (l) => said.push(l),
      warn: (l) => warned.push(l),
    });
    expect(out.map((o) => o.kind)).toEqual(['kept', 'failed']);
    expect(said[0]).toMatch(/kept kernel\.perf_event_paranoid = 2: the kernel refused 3 \(EINVAL\)/);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/could not set kernel\.kptr_restrict 0 → 2.*EINVAL.*sysctl -w kernel\.kptr_restrict=2/);
  });

  it('warns about a required setting this kernel lacks, but not about io_uring_disabled', () => {
    rmSync(sysctlPath(proc, 'kernel.dmesg_restrict'));
    const warned: string[] = [];
    applySysctls({ specs, procSys: proc, warn: (l) => warned.push(l) });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/kernel\.dmesg_restrict does not exist/);
  });
});

describe('persisting', () => {
  it('writes every applied value, the optional knob with "-", and no floor that is already higher', () => {
    const out = applySysctls({ specs, procSys: proc });
    const conf = renderConf(out);
    expect(conf).toMatch(/^# Host hardening for container-lab/);
    expect(conf).toContain('sysctls.ts');
    expect(conf).toContain('LAB_SKIP_HARDENING=1');
    expect(conf).toMatch(/^kernel\.kptr_restrict = 2$/m);
    expect(conf).toMatch(/^kernel\.perf_event_paranoid = 3$/m);
    expect(conf).toMatch(/^-kernel\.io_uring_disabled = 2$/m);
    expect(conf).toMatch(/^user\.max_net_namespaces = 5120$/m);
    expect(conf).not.toMatch(/^user\.max_user_namespaces = /m);
    expect(conf).toMatch(/^# user\.max_user_namespaces: this kernel's 96364 is above 5120; left alone/m);
    // Every setting line has its reason on the line above.
    const lines = conf.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (/^-?[a-z_]+\.[a-z_.]+ = /.test(lines[i]!)) expect(lines.slice(0, i).reverse().find((l) => l.startsWith('# ') && !l.startsWith('# ('))).toBeTruthy();
    }
  });

  it('persists a latched bpf value as it is', () => {
    put('kernel.unprivileged_bpf_disabled', '1');
    expect(renderConf(applySysctls({ specs, procSys: proc }))).toMatch(/^kernel\.unprivileged_bpf_disabled = 1$/m);
  });

  it('rewrites the file only when its text changes', () => {
    const conf = join(root, 'etc', 'sysctl.d', '60-container-lab.conf');
    expect(writeIfChanged(conf, 'a\n')).toBe(true);
    expect(statSync(conf).mode & 0o777).toBe(0o644);
    expect(writeIfChanged(conf, 'a\n')).toBe(false);
    expect(writeIfChanged(conf, 'b\n')).toBe(true);
    expect(readFileSync(conf, 'utf8')).toBe('b\n');
  });
});

describe('the set-up step end to end', () => {
  it('applies and persists once, then says one line', () => {
    const confPath = join(root, 'etc', 'sysctl.d', '60-container-lab.conf');
    const first: string[] = [];
    const r1 = hardenHost({ specs, procSys: proc, confPath, say: (l) => first.push(l), warn: (l) => first.push(`warning: ${l}`) });
    expect(r1.confWritten).toBe(true);
    expect(first.some((l) => l.startsWith('set kernel.kptr_restrict 0 → 2 ('))).toBe(true);
    expect(first).toContain(`wrote ${confPath} (applied again at every boot)`);
    expect(first.at(-1)).toMatch(/^host hardening: 17 of 17 settings in place, 9 changed just now \(kernel\.io_uring_disabled: not in this kernel/);

    const second: string[] = [];
    const r2 = hardenHost({ specs, procSys: proc, confPath, say: (l) => second.push(l), warn: (l) => second.push(`warning: ${l}`) });
    expect(r2.confWritten).toBe(false);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatch(/^host hardening: all 17 settings in place \(kernel\.io_uring_disabled: not in this kernel/);
  });

  it('counts 18 settings on a kernel with io_uring_disabled', () => {
    put('kernel.io_uring_disabled', '0');
    const confPath = join(root, 'conf');
    hardenHost({ specs, procSys: proc, confPath });
    expect(get('kernel.io_uring_disabled')).toBe('2');
    const said: string[] = [];
    hardenHost({ specs, procSys: proc, confPath, say: (l) => said.push(l) });
    expect(said).toEqual(['host hardening: all 18 settings in place']);
  });
});

describe('checking at agent start', () => {
  it('names each soft setting, its value and how to fix it', () => {
    const { warnings, notes } = checkSysctls(specs, proc);
    const keys = warnings.map((w) => w.key);
    expect(keys).toEqual([
      'kernel.unprivileged_bpf_disabled',
      'vm.unprivileged_userfaultfd',
      'kernel.dmesg_restrict',
      'kernel.kptr_restrict',
      'fs.protected_regular',
      'fs.protected_fifos',
      'user.max_net_namespaces',
      'user.max_mnt_namespaces',
    ]);
    const kptr = warnings.find((w) => w.key === 'kernel.kptr_restrict')!.message;
    expect(kptr).toMatch(/^kernel\.kptr_restrict is 0, not 2 \(hide kernel pointers/);
    expect(kptr).toContain('npm start applies it');
    expect(kptr).toContain('sysctl -w kernel.kptr_restrict=2');
    expect(warnings.find((w) => w.key === 'user.max_net_namespaces')!.message).toMatch(/is 100, below the 5120 this host needs/);
    expect(notes.map((n) => n.key)).toEqual(['kernel.io_uring_disabled']);
  });

  it('is quiet once hardened, and accepts the latched bpf value', () => {
    applySysctls({ specs, procSys: proc });
    put('kernel.unprivileged_bpf_disabled', '1');
    expect(checkSysctls(specs, proc).warnings).toEqual([]);
  });

  it('warns, not throws, about a value it cannot parse', () => {
    put('kernel.kptr_restrict', 'garbage');
    const { warnings } = checkSysctls([spec('kernel.kptr_restrict')], proc);
    expect(warnings[0]!.message).toMatch(/kernel\.kptr_restrict: expected one integer/);
  });
});
