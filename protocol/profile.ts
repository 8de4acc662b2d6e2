/**
 * What a sandbox may do. One typed profile, validated before anything is applied (runc's shape:
 * typed data, named checks, then application by sandbox-agent/src/isolation/*).
 */
import { z } from 'zod';

const MiB = 1024 * 1024;

const ProfileFields = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
    /** Memory limit of the whole sandbox, tmpfs pages included (they are charged to the memcg). */
    memoryBytes: z.number().int().min(32 * MiB).max(64 * 1024 * MiB),
    /** Maximum number of tasks (processes and threads). */
    pids: z.number().int().min(16).max(65536),
    /** CPU quota as a fraction of one core (0.5 = half a core). */
    cpus: z.number().min(0.05).max(64),
    /** Size cap of the writable area: one tmpfs behind /tmp, /root, /home, /var/tmp and /mnt. */
    writableBytes: z.number().int().min(1 * MiB).max(16 * 1024 * MiB),
    /** Open files per process (RLIMIT_NOFILE, soft = hard; raising it needs host privilege). */
    openFiles: z.number().int().min(64).max(1_048_576),
    /** Output one terminal may print per second before the agent slows its pty down. */
    outputBytesPerSec: z.number().int().min(64 * 1024).max(1024 * MiB),
    /** Terminals one sandbox may have open at once. */
    maxTerminals: z.number().int().min(1).max(9),
    /** Dispose the sandbox after this long with no browser attached. */
    idleTimeoutSec: z.number().int().min(10).max(7 * 24 * 3600),
    /** Dispose the sandbox this long after it started, attached or not. */
    wallTimeSec: z.number().int().min(60).max(30 * 24 * 3600),
    hostname: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/),
  });

/** Any subset of a profile's fields: what the config file may override. */
export const ProfileOverrides = ProfileFields.partial();
export type ProfileOverrides = z.infer<typeof ProfileOverrides>;

export const Profile = ProfileFields.check((ctx) => {
    // Named checks, each with a sentence an operator can act on.
    const p = ctx.value;
    // The writable tmpfs is charged to the memcg; if it could fill the limit, the learner's own
    // shell would be OOM-killed by a full /tmp. Keep it at most half the memory.
    if (p.writableBytes * 2 > p.memoryBytes) {
      ctx.issues.push({
        code: 'custom',
        input: p.writableBytes,
        path: ['writableBytes'],
        message: 'writable-area-below-memory: writableBytes must be at most half of memoryBytes, because tmpfs pages count against the memory limit',
      });
    }
    if (p.idleTimeoutSec > p.wallTimeSec) {
      ctx.issues.push({
        code: 'custom',
        input: p.idleTimeoutSec,
        path: ['idleTimeoutSec'],
        message: 'idle-within-wall: idleTimeoutSec must not exceed wallTimeSec',
      });
    }
  });
export type Profile = z.infer<typeof Profile>;

/** Defaults sized for a class of 30 on a 2-core, 4 GiB VM (README "Settings"). */
export const DEFAULT_PROFILE: Profile = Profile.parse({
  name: 'default',
  memoryBytes: 256 * MiB,
  pids: 256,
  cpus: 0.5,
  writableBytes: 64 * MiB,
  openFiles: 1024,
  // Far above what a browser renders (xterm.js parses 5-35 MB/s) so it never slows a lesson;
  // it bounds what one terminal can make the agent and gateway move.
  outputBytesPerSec: 64 * MiB,
  maxTerminals: 4,
  idleTimeoutSec: 15 * 60,
  wallTimeSec: 4 * 3600,
  hostname: 'sandbox',
});
