/**
 * Agent configuration from the environment (README "Settings"), validated before anything runs.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Profile } from '../../protocol/profile';
import { readConfigFile, resolveProfile } from './config-file';

const here = dirname(fileURLToPath(import.meta.url));
export const NATIVE_BUILD = resolve(here, '../native/build');
/** Sandboxes one agent runs at once unless the config file or LAB_MAX_SANDBOXES says otherwise. */
export const DEFAULT_MAX_SANDBOXES = 64;
/** Used when LAB_CONFIG is not set, and only if it exists. */
export const DEFAULT_CONFIG_FILE = resolve(here, '../../lab.config.json');

const Env = z.object({
  LAB_CONFIG: z.string().optional(),
  LAB_DATA_DIR: z.string().default('.lab'),
  LAB_AGENT_SOCKET: z.string().optional(),
  LAB_AGENT_TOKEN: z.string().min(16, 'LAB_AGENT_TOKEN must be at least 16 characters').optional(),
  LAB_ROOTFS: z.string().optional(),
  LAB_ROOTFS_DIR: z.string().default('/var/lib/container-lab/rootfs'),
  LAB_MAX_SANDBOXES: z.coerce.number().int().min(1).max(4096).optional(),
  LAB_IDLE_TIMEOUT_SEC: z.coerce.number().int().optional(),
  LAB_CGROUP_PARENT: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/).default('container-lab'),
  LAB_UID_BASE: z.coerce.number().int().min(1000).default(3_000_000),
  LAB_SUBID_BASE: z.coerce.number().int().min(100_000).default(1_000_000_000),
  /** Set by the web tier in embedded mode: the unprivileged uid allowed to use the socket. */
  LAB_AGENT_SOCKET_UID: z.coerce.number().int().min(1).optional(),
  /** A loopback TCP port serving only /metrics, /healthz and /readyz (for Prometheus, probes). */
  LAB_AGENT_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

export interface AgentConfig {
  dataDir: string;
  socketPath: string;
  socketUid: number | undefined;
  token: string | undefined;
  rootfs: string;
  labsbx: string;
  initBinary: string;
  seccompFile: string;
  maxSandboxes: number;
  cgroupParent: string;
  uidBase: number;
  subidBase: number;
  profile: Profile;
  /** 127.0.0.1 port for /metrics, /healthz, /readyz; unset = only on the unix socket. */
  metricsPort: number | undefined;
}

export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const r = Env.safeParse(env);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`bad setting ${i.path.join('.')}: ${i.message}`);
  }
  const e = r.data;
  const dataDir = resolve(e.LAB_DATA_DIR);
  const configPath = resolve(e.LAB_CONFIG ?? DEFAULT_CONFIG_FILE);
  const file = readConfigFile(configPath, e.LAB_CONFIG !== undefined);
  const profile = resolveProfile(configPath, file, e.LAB_IDLE_TIMEOUT_SEC !== undefined ? { idleTimeoutSec: e.LAB_IDLE_TIMEOUT_SEC } : {});
  return {
    dataDir,
    socketPath: resolve(e.LAB_AGENT_SOCKET ?? join(dataDir, 'agent.sock')),
    socketUid: e.LAB_AGENT_SOCKET_UID,
    token: e.LAB_AGENT_TOKEN,
    rootfs: e.LAB_ROOTFS ?? join(e.LAB_ROOTFS_DIR, 'current'),
    labsbx: join(NATIVE_BUILD, 'labsbx'),
    initBinary: join(NATIVE_BUILD, 'lab-init'),
    seccompFile: join(dataDir, 'seccomp.bpf'),
    maxSandboxes: e.LAB_MAX_SANDBOXES ?? file.maxSandboxes ?? DEFAULT_MAX_SANDBOXES,
    cgroupParent: e.LAB_CGROUP_PARENT,
    uidBase: e.LAB_UID_BASE,
    subidBase: e.LAB_SUBID_BASE,
    profile,
    metricsPort: e.LAB_AGENT_METRICS_PORT,
  };
}

export function checkNativeHelpers(c: AgentConfig): void {
  for (const p of [c.labsbx, c.initBinary]) {
    if (!existsSync(p)) throw new Error(`${p} is missing; build it with \`make -C sandbox-agent/native\` (npm start does)`);
  }
}
