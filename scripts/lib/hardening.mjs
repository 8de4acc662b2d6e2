// Host hardening set-up step: kernel sysctls that shrink what a learner who is root in its own
// user namespace can reach (unprivileged bpf, perf, userfaultfd, io_uring, kernel pointers and
// log, /tmp link tricks) and namespace limits sized for LAB_MAX_SANDBOXES. Each change is
// announced as it happens and persisted in /etc/sysctl.d/60-container-lab.conf.
// Skip it with LAB_SKIP_HARDENING=1; the agent still warns at start about each setting not in place.
//
// The table of settings has one owner, sandbox-agent/src/host/sysctl-table.ts. This script is plain
// Node and cannot import TypeScript, so instead of keeping a JavaScript copy that would drift it
// runs the small TypeScript entry next to the table with tsx (an npm dependency, hence this step
// comes after `deps`). Runs on the host as root.
import { existsSync } from 'node:fs';
import { isRoot } from './system.mjs';
import { note, ROOT, run, SetupError, warn } from './util.mjs';

const ENTRY = 'sandbox-agent/src/host/apply.ts';
const CONF = '/etc/sysctl.d/60-container-lab.conf';

/** LAB_SKIP_HARDENING: 1, true or yes (any case) skips; unset, empty, 0, false or no does not. */
export function skipRequested(value = process.env.LAB_SKIP_HARDENING) {
  const v = (value ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no'].includes(v)) return false;
  if (['1', 'true', 'yes'].includes(v)) return true;
  throw new SetupError(`LAB_SKIP_HARDENING=${value}: use 1 to skip host hardening, or leave it unset`);
}

export async function hardenHost() {
  if (skipRequested()) {
    note('skipped (LAB_SKIP_HARDENING=1): kernel settings left as they are; the agent warns at start about each one not hardened');
    if (existsSync(CONF)) note(`${CONF} from an earlier set-up still applies at boot; delete it to undo that too`);
    return;
  }
  if (!isRoot()) {
    warn('not root: host hardening skipped (it writes /proc/sys and /etc/sysctl.d)');
    return;
  }
  const code = await run(process.execPath, ['--import', 'tsx', ENTRY], { cwd: ROOT });
  if (code !== 0) throw new SetupError(`host hardening failed (${ENTRY} exited ${code}); see above`);
}
