/**
 * The floor for the sandbox start figures (issue 5 item 1): a bare bubblewrap launch of `true`
 * with the same namespaces as a sandbox (user, pid, net, uts, ipc, cgroup; bwrap adds mount) and
 * the same root filesystem bound read-only. No cgroups, idmapped mount, seccomp, init or shell:
 * what the kernel and bwrap alone cost on this machine.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOTFS = process.env.LAB_ROOTFS ?? join(process.env.LAB_ROOTFS_DIR ?? '/var/lib/container-lab/rootfs', 'current');

export function bwrapArgs(rootfs: string = ROOTFS): string[] {
  return [
    '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-ipc', '--unshare-cgroup',
    '--die-with-parent',
    '--ro-bind', rootfs, '/',
    '--proc', '/proc',
    '--dev', '/dev',
    '--',
    '/bin/true',
  ];
}

/** One launch: ms from spawn to exit. Rejects if bwrap fails (the baseline would be meaningless). */
export function bwrapOnce(rootfs: string = ROOTFS): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('bwrap', bwrapArgs(rootfs), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`bwrap exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** `rounds` × `concurrency` launches, each round started at once; every launch's ms. */
export async function bwrapSamples(rounds: number, concurrency = 1, rootfs: string = ROOTFS): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) out.push(...(await Promise.all(Array.from({ length: concurrency }, () => bwrapOnce(rootfs)))));
  return out;
}
