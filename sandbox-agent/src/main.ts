/**
 * Entry point of the sandbox agent process (started by the web tier in embedded mode, or on its
 * own). Stops every sandbox on SIGINT/SIGTERM; a SIGKILLed agent's sandboxes die with it
 * (--die-with-parent) and their cgroups are swept at the next start.
 */
import { loadAgentConfig } from './config';
import { startAgent } from './agent';

const config = loadAgentConfig();
const agent = await startAgent(config).catch((e: Error) => {
  console.error(`[agent] cannot start: ${e.message}`);
  process.exit(1);
});
// The parent waits for this line before it connects.
process.send?.({ type: 'listening', socketPath: agent.socketPath });

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void agent.close().finally(() => process.exit(0));
  });
}
// Embedded mode: when the web tier goes away, so do we.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
