/**
 * The order of the isolation steps, and nowhere else (DESIGN.md §3). Runs in the agent as host
 * root; everything it starts drops privilege in labsbx before the sandbox sees it.
 *
 *  1. identity   – a free slot: owner uid + 65536-id range (userns.ts)
 *  2. cgroups    – session cgroup with root-owned limits, subtree chowned to the mapped root
 *  3. labsbx spawn – joins the cgroups, drops to the owner uid, new user namespace, maps written,
 *                  the rootfs mounted read-only and idmapped to that namespace (rootfs.ts), and
 *                  the size-capped writable tmpfs (mounts.ts), both on the host side
 *  4. bwrap      – new pid/mount/net/uts/ipc/cgroup namespaces, read-only rootfs, tmpfs writable
 *                  dirs, seccomp filter, no_new_privs, lab-init as PID 1
 *  5. lab-init   – fresh sysfs + delegated cgroup tree, says "ready"
 * Every later process enters with `labsbx exec` (execCommand), which repeats the cgroup join,
 * namespaces, uid, no_new_privs and seccomp of step 3-4.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Profile } from '../../../protocol/profile';
import type { CgroupDriver, CgroupLayout, LimitEvents, SessionCgroup } from './cgroups';
import { cgroupLimits } from './limits';
import { mountArgs } from './mounts';
import { netArgs } from './net';
import { INIT_PATH, releaseRootfsMount, rootfsArgs, rootfsMountPath } from './rootfs';
import type { Identity, IdentityPool } from './userns';

export interface LaunchContext {
  labsbx: string;
  initBinary: string;
  rootfs: string;
  /** Where the per-sandbox idmapped rootfs mounts live (rootfs.ts). */
  rootsDir: string;
  seccompFile: string;
  cgroups: CgroupDriver;
  identities: IdentityPool;
}

export interface Sandbox {
  readonly id: string;
  readonly identity: Identity;
  /** Host PID of the sandbox's PID 1 (lab-init). */
  readonly initPid: number;
  /** argv (for node-pty or child_process) that runs `argv` inside this sandbox. */
  execCommand(argv: string[], cwd?: string): ExecCommand;
  /** How often the session's own limits were hit so far (cgroups.ts). */
  limitEvents(): LimitEvents;
  /** The session's cgroup directories, for the explorer (cgroups.ts). */
  readonly cgroupLayout: CgroupLayout;
  /** Resolves when PID 1 is gone (crash, kill, or destroy). */
  readonly exited: Promise<void>;
  /** Kill everything, remove the cgroups, release the identity. Idempotent. */
  destroy(): Promise<void>;
}

/** A program to start (with node-pty or child_process) that runs inside the sandbox. */
export interface ExecCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

export class SandboxLimitError extends Error {
  override name = 'SandboxLimitError';
}

const READY_TIMEOUT_MS = 15_000;

/** Environment of every process in a sandbox: nothing of the agent's leaks in. */
export const SANDBOX_ENV: Record<string, string> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  USER: 'root',
  LOGNAME: 'root',
  SHELL: '/bin/bash',
  TERM: 'xterm-256color',
  LANG: 'C.UTF-8',
};

/**
 * An exact environment for a child process. (Next.js's type augmentation makes NODE_ENV a
 * required key of ProcessEnv; sandbox processes must not get one, so the type is asserted.)
 */
export function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return env as NodeJS.ProcessEnv;
}

export async function launchSandbox(ctx: LaunchContext, id: string, profile: Profile): Promise<Sandbox> {
  const identity = ctx.identities.acquire();
  if (!identity) throw new SandboxLimitError(`all ${ctx.identities.size} sandbox slots are in use; try again later`);
  let cgroup: SessionCgroup | undefined;
  let child: ChildProcess | undefined;
  const rootMount = rootfsMountPath(ctx.rootsDir, id);
  const writableMount = `${rootMount}.rw`;
  try {
    try {
      cgroup = ctx.cgroups.create(id, cgroupLimits(profile), identity.mapBase);
    } catch (e) {
      // Half-made directories of a failed create are removed like a finished session's.
      await ctx.cgroups.discard(id).catch(() => undefined);
      throw e;
    }
    const seccompFd = openSync(ctx.seccompFile, 'r');
    try {
      child = spawn(
        ctx.labsbx,
        [
          'spawn',
          '--uid', String(identity.ownerUid),
          '--map-base', String(identity.mapBase),
          '--nofile', String(profile.openFiles),
          '--rootfs', ctx.rootfs,
          '--rootfs-mount', rootMount,
          '--init', ctx.initBinary,
          '--writable', writableMount,
          '--writable-bytes', String(profile.writableBytes),
          ...cgroup.launcherProcs.flatMap((p) => ['--cgroup-procs', p]),
          '--',
          'bwrap',
          '--unshare-pid', '--unshare-uts', '--unshare-ipc', '--unshare-cgroup',
          ...netArgs(),
          '--cap-add', 'ALL',
          '--die-with-parent', '--new-session', '--as-pid-1',
          '--hostname', profile.hostname,
          '--info-fd', '3',
          '--seccomp', '4',
          ...rootfsArgs(rootMount),
          ...mountArgs(writableMount),
          '--chdir', '/',
          '--clearenv', ...Object.entries(SANDBOX_ENV).flatMap(([k, v]) => ['--setenv', k, v]),
          INIT_PATH, ...cgroup.initArgs,
        ],
        { stdio: ['ignore', 'pipe', 'pipe', 'pipe', seccompFd], env: processEnv({}) },
      );
    } finally {
      closeSync(seccompFd);
    }
    const launched = child;
    const initPid = await waitReady(launched);
    const exited = new Promise<void>((resolve) => {
      if (launched.exitCode !== null || launched.signalCode !== null) resolve();
      else launched.once('exit', () => resolve());
    });
    return makeSandbox(ctx, id, profile, identity, initPid, cgroup, launched, exited, [rootMount, writableMount]);
  } catch (e) {
    child?.kill('SIGKILL');
    await cgroup?.destroy().catch(() => undefined);
    await releaseRootfsMount(rootMount);
    await releaseRootfsMount(writableMount);
    ctx.identities.release(identity);
    throw e;
  }
}

function makeSandbox(
  ctx: LaunchContext,
  id: string,
  profile: Profile,
  identity: Identity,
  initPid: number,
  cgroup: SessionCgroup,
  child: ChildProcess,
  exited: Promise<void>,
  hostMounts: string[],
): Sandbox {
  let destroying: Promise<void> | undefined;
  return {
    id,
    identity,
    initPid,
    exited,
    limitEvents: () => cgroup.limitEvents(),
    cgroupLayout: cgroup.layout,
    execCommand(argv, cwd = '/root') {
      return {
        file: ctx.labsbx,
        args: [
          'exec', '--target', String(initPid),
          '--nofile', String(profile.openFiles),
          ...cgroup.execProcs.flatMap((p) => ['--cgroup-procs', p]),
          '--seccomp', ctx.seccompFile,
          '--cwd', cwd,
          '--', ...argv,
        ],
        env: SANDBOX_ENV,
      };
    },
    destroy() {
      destroying ??= (async () => {
        try {
          await cgroup.destroy();
        } finally {
          child.kill('SIGKILL');
          await exited;
          for (const m of hostMounts) await releaseRootfsMount(m);
          ctx.identities.release(identity);
        }
      })();
      return destroying;
    },
  };
}

/** bwrap writes {"child-pid": N} on fd 3; lab-init prints "ready" once its mounts are done. */
function waitReady(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let info = '';
    let pid = 0;
    let ready = false;
    let stderr = '';
    const finish = (err?: Error) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(pid);
    };
    const check = () => {
      if (pid > 0 && ready) finish();
    };
    const timer = setTimeout(() => finish(new Error(`sandbox did not become ready in ${READY_TIMEOUT_MS} ms: ${stderr.trim()}`)), READY_TIMEOUT_MS);
    const infoStream = child.stdio[3] as NodeJS.ReadableStream;
    infoStream.setEncoding('utf8');
    infoStream.on('data', (d: string) => {
      info += d;
      const m = /"child-pid"\s*:\s*(\d+)/.exec(info);
      if (m) {
        pid = Number(m[1]);
        check();
      }
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') {
        ready = true;
        check();
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      if (stderr.length < 4000) stderr += d;
    });
    child.once('exit', (code, signal) =>
      finish(new Error(`sandbox exited before it was ready (${signal ?? `status ${code}`}): ${stderr.trim() || 'no message'}`)),
    );
  });
}
