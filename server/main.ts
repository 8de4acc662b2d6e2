/**
 * The web tier: one Node process serving the Next.js app and the `/ws` gateway, with the sandbox
 * agent started as a separate child process (embedded mode). Start order: settings → database
 * → agent (waits until it listens) → Next → HTTP server. Stop order is the reverse.
 */
import next from 'next';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentRegistry, startEmbeddedAgent } from './agent-client';
import { loadWebConfig } from './config';
import { openSqliteStore } from './db/sqlite';
import { createGateway } from './gateway';
import { ensureLearnerCookie } from './identity';

const log = (m: string) => console.log(`[web] ${m}`);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const config = (() => {
  try {
    return loadWebConfig();
  } catch (e) {
    console.error(`[web] ${(e as Error).message}`);
    process.exit(1);
  }
})();

const store = openSqliteStore(config.dbPath);
const agent = await startEmbeddedAgent(process.env, config.agentSocket, config.agentToken).catch((e: Error) => {
  console.error(`[web] ${e.message}`);
  process.exit(1);
});
const agents = new AgentRegistry();
agents.add(agent.client);

const app = next({ dev: config.dev, dir: root, hostname: config.host, port: config.port });
await app.prepare();
const handle = app.getRequestHandler();
const gateway = createGateway({ store, agents, log });

const server = createServer((req, res) => {
  ensureLearnerCookie(req, res);
  void handle(req, res);
});
const nextUpgrade = app.getUpgradeHandler();
server.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/ws') gateway.handleUpgrade(req, socket, head);
  else if (config.dev) void nextUpgrade(req, socket, head); // HMR in development
  else socket.destroy();
});
server.listen(config.port, config.host, () => {
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log(`ready on http://${shown}:${config.port}`);
});

agent.process.once('exit', (code) => {
  console.error(`[web] the sandbox agent exited (status ${code}); stopping`);
  process.exit(1);
});

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    agent.process.removeAllListeners('exit');
    gateway.close();
    server.close();
    void agent.stop().finally(() => {
      store.close();
      process.exit(0);
    });
  });
}
