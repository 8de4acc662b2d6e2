/**
 * A private agent in this process, for the lab CLI and the integration tests: its own temporary
 * data dir and socket, a random token, and its own cgroup parent and id ranges derived from the
 * process id, so it never sweeps or shares ids with a server's agent or another private one.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type Agent } from './agent';
import { loadAgentConfig } from './config';
import { RANGE } from './isolation/userns';

export interface PrivateAgentOptions {
  /** Names the cgroup parent and temp dir: container-lab-<purpose>-<pid>. */
  purpose: string;
  /** Sandboxes it may run; also the width of each process's id slice. */
  slots: number;
  /** Where this purpose's owner uids and mapped ranges start (100 process slices fit above). */
  uidBase: number;
  subidBase: number;
  /** Extra settings (e.g. LAB_CONFIG for a test profile). */
  env?: Record<string, string>;
}

export async function startPrivateAgent(o: PrivateAgentOptions): Promise<{ agent: Agent; token: string }> {
  const dir = mkdtempSync(join(tmpdir(), `lab-${o.purpose}-`));
  const token = randomBytes(24).toString('hex');
  const slice = process.pid % 100;
  const config = loadAgentConfig({
    ...process.env,
    ...o.env,
    LAB_DATA_DIR: dir,
    LAB_AGENT_SOCKET: join(dir, 'agent.sock'),
    LAB_AGENT_TOKEN: token,
    LAB_CGROUP_PARENT: `container-lab-${o.purpose}-${process.pid}`,
    LAB_UID_BASE: String(o.uidBase + slice * o.slots),
    LAB_SUBID_BASE: String(o.subidBase + slice * o.slots * RANGE),
    LAB_MAX_SANDBOXES: String(o.slots),
  });
  return { agent: await startAgent(config, () => undefined), token };
}
