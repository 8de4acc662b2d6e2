import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../protocol/profile';
import { loadAgentConfig, NATIVE_BUILD } from './config';

/** Next.js types make NODE_ENV required in ProcessEnv; these tests pass partial environments. */
const load = (env: Record<string, string | undefined>) => loadAgentConfig(env as NodeJS.ProcessEnv);

describe('loadAgentConfig', () => {
  it('has defaults for everything', () => {
    const c = load({});
    expect(c).toEqual({
      dataDir: resolve('.lab'),
      socketPath: resolve('.lab', 'agent.sock'),
      token: undefined,
      rootfs: '/var/lib/container-lab/rootfs/current',
      labsbx: join(NATIVE_BUILD, 'labsbx'),
      initBinary: join(NATIVE_BUILD, 'lab-init'),
      seccompFile: join(resolve('.lab'), 'seccomp.bpf'),
      maxSandboxes: 64,
      cgroupParent: 'container-lab',
      uidBase: 3_000_000,
      subidBase: 1_000_000_000,
      profile: DEFAULT_PROFILE,
    });
  });

  it('honours every setting', () => {
    const c = load({
      LAB_DATA_DIR: '/srv/lab',
      LAB_AGENT_SOCKET: '/run/lab.sock',
      LAB_AGENT_TOKEN: 't'.repeat(32),
      LAB_ROOTFS: '/images/root',
      LAB_MAX_SANDBOXES: '10',
      LAB_IDLE_TIMEOUT_SEC: '120',
      LAB_CGROUP_PARENT: 'lab-test.1',
      LAB_UID_BASE: '4000000',
      LAB_SUBID_BASE: '2000000000',
    });
    expect(c.dataDir).toBe('/srv/lab');
    expect(c.socketPath).toBe('/run/lab.sock');
    expect(c.token).toBe('t'.repeat(32));
    expect(c.rootfs).toBe('/images/root');
    expect(c.seccompFile).toBe('/srv/lab/seccomp.bpf');
    expect(c.maxSandboxes).toBe(10);
    expect(c.profile).toEqual({ ...DEFAULT_PROFILE, idleTimeoutSec: 120 });
    expect(c.cgroupParent).toBe('lab-test.1');
    expect(c.uidBase).toBe(4_000_000);
    expect(c.subidBase).toBe(2_000_000_000);
    expect(load({ LAB_ROOTFS_DIR: '/r' }).rootfs).toBe('/r/current');
  });

  it('ignores settings it does not know (the whole process environment is passed)', () => {
    expect(() => load({ PATH: '/usr/bin', PORT: 'not-ours' })).not.toThrow();
  });

  it.each([
    ['LAB_AGENT_TOKEN', { LAB_AGENT_TOKEN: 'short' }],
    ['LAB_MAX_SANDBOXES', { LAB_MAX_SANDBOXES: '0' }],
    ['LAB_MAX_SANDBOXES', { LAB_MAX_SANDBOXES: 'many' }],
    ['LAB_MAX_SANDBOXES', { LAB_MAX_SANDBOXES: '5000' }],
    ['LAB_CGROUP_PARENT', { LAB_CGROUP_PARENT: '../escape' }],
    ['LAB_CGROUP_PARENT', { LAB_CGROUP_PARENT: 'a/b' }],
    ['LAB_UID_BASE', { LAB_UID_BASE: '0' }],
    ['LAB_SUBID_BASE', { LAB_SUBID_BASE: '5' }],
    ['LAB_IDLE_TIMEOUT_SEC', { LAB_IDLE_TIMEOUT_SEC: '1.5' }],
  ])('names %s when its value is bad', (name, env) => {
    expect(() => load(env)).toThrow(new RegExp(`^bad setting ${name}: `));
  });

  it('runs the profile checks on an idle timeout out of range', () => {
    expect(() => load({ LAB_IDLE_TIMEOUT_SEC: '5' })).toThrow(/idleTimeoutSec/);
  });

  it('takes LAB_AGENT_METRICS_PORT (unset by default: metrics on the socket only)', () => {
    expect(load({}).metricsPort).toBeUndefined();
    expect(load({ LAB_AGENT_METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    for (const bad of ['0', '70000', 'metrics']) expect(() => load({ LAB_AGENT_METRICS_PORT: bad })).toThrow(/^bad setting LAB_AGENT_METRICS_PORT: /);
  });
});
