/**
 * The agent worker: the process that owns sandboxes, run and restarted by the supervisor
 * (main.ts). Stops every sandbox on SIGINT/SIGTERM or when its supervisor goes away; if it is
 * SIGKILLed, its sandboxes die with it (--die-with-parent, PDEATHSIG) and the next worker sweeps
 * their cgroups at start.
 */
import { loadAgentConfig } from './config';
import { startAgent } from './agent';
import { createLogger } from './log';

const log = createLogger({ component: 'agent' });
const agent = await Promise.resolve()
  .then(() => startAgent(loadAgentConfig(), log))
  .catch((e: Error) => {
    log.error(`cannot start: ${e.message}`);
    process.exit(1);
  });
// The supervisor (and through it the web tier) waits for this before anything connects.
process.send?.({ type: 'listening', socketPath: agent.socketPath, pid: process.pid });

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void agent.close().finally(() => process.exit(0));
  });
}
// When the supervisor goes away, so do we.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
