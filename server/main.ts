/**
 * The web tier: one Node process serving the Next.js app and the `/ws` gateway. The sandbox agent
 * is a separate process, either
 *   - external (LAB_AGENT=external, what `npm start` does): started beside us by
 *     scripts/start.mjs, so this process can restart without touching any sandbox; or
 *   - embedded (the default, for running this file on its own): our child, stopped with us.
 * Start order: settings → the agent (embedded: start it; external: wait until it answers) →
 * drop root for good → database → Next → HTTP server. Stop order is the reverse.
 */
import next from 'next';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentRegistry, connectExternalAgent, startEmbeddedAgent } from './agent-client';
import { createApi } from './api';
import { LessonSetups } from './lesson-setup';
import { loadWebConfig } from './config';
import { openSqliteStore } from './db/sqlite';
import { createGateway } from './gateway';
import { createOpsHandler, webReadiness } from './health';
import { ensureLearnerCookie } from './identity';
import { createLogger, requestIdOf } from './log';
import { webMetrics } from './metrics';
import { canRead, dropPrivileges, ensureWebUser } from './privileges';

const log = createLogger({ component: 'web' });
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fatal(message: string): never {
  log.error(message);
  process.exit(1);
}

const config = (() => {
  try {
    return loadWebConfig();
  } catch (e) {
    fatal((e as Error).message);
  }
})();
if (process.getuid?.() !== 0) fatal('start as root (npm start does): the embedded sandbox agent needs it; the web tier drops it right after');

const webUser = ensureWebUser(config.webUser);
const agent = config.externalAgent
  ? await connectExternalAgent(config.agentSocket, config.agentToken).catch((e: Error) => fatal(e.message))
  : await startEmbeddedAgent({ ...process.env, LAB_AGENT_SOCKET_UID: String(webUser.uid) }, config.agentSocket, config.agentToken).catch(
      (e: Error) => fatal(e.message),
    );
const mustRead = [join(root, 'package.json'), join(root, 'node_modules', 'next', 'package.json'), ...(config.dev ? [] : [join(root, '.next', 'BUILD_ID')])];
if (canRead(webUser, mustRead)) {
  dropPrivileges(webUser, [dirname(config.dbPath), join(root, '.next', 'cache')]);
  log.info(`running as ${webUser.name} (uid ${webUser.uid}); only the agent is root`);
} else {
  // Serving nothing would be worse than serving as root; say so loudly and how to fix it.
  log.warn(
    `user ${webUser.name} cannot read ${root} (a parent directory is not world-searchable, or files are not world-readable); ` +
      'the web tier keeps running as root. Move the checkout (e.g. to /srv or /opt) or fix its permissions so the web tier can drop root.',
  );
}

const store = openSqliteStore(config.dbPath);
if (!config.externalAgent) {
  // Our own new agent swept every sandbox of an earlier run at its start: their rows are history.
  // (An external agent outlives us: its sessions are still live, and stay.)
  const ended = store.endSessionsOnAgent(agent.client.name, 'the lab server restarted');
  if (ended) log.info(`marked ${ended} session(s) of the previous run as ended`);
}
const agents = new AgentRegistry();
agents.add(agent.client);

const app = next({ dev: config.dev, dir: root, hostname: config.host, port: config.port });
await app.prepare();
const handle = app.getRequestHandler();
const gateway = createGateway({ store, agents, log });
const handleApi = createApi({ store, agents, setups: new LessonSetups(), log });
let stopping = false;
const handleOps = createOpsHandler({
  host: config.host,
  metricsToken: config.metricsToken,
  ready: webReadiness({ store, agents, stopping: () => stopping }),
});

const server = createServer((req, res) => {
  // Every request gets an id, returned to the client and put on every line logged about it.
  const request = requestIdOf(req);
  res.setHeader('x-request-id', request);
  if (handleOps(req, res)) return;
  const t0 = performance.now();
  const path = (req.url ?? '').split('?')[0] ?? '';
  const route = path.startsWith('/api/') ? 'api' : 'page';
  res.once('finish', () => {
    webMetrics.httpRequests.inc({ route, status: String(res.statusCode) });
    // Static assets are many per page and say little: logged only at debug level.
    const line = `${req.method} ${path} ${res.statusCode}`;
    const fields = { request, ms: Math.round(performance.now() - t0) };
    if (path.startsWith('/_next/')) log.debug(line, fields);
    else log.info(line, fields);
  });
  ensureLearnerCookie(req, res);
  if (!handleApi(req, res)) void handle(req, res);
});
const nextUpgrade = app.getUpgradeHandler();
server.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/ws') gateway.handleUpgrade(req, socket, head);
  else if (config.dev) void nextUpgrade(req, socket, head); // HMR in development
  else socket.destroy();
});
server.on('error', (e) => fatal(`cannot listen on ${config.host}:${config.port}: ${e.message}`));
server.listen(config.port, config.host, () => {
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log.info(`ready on http://${shown}:${config.port}`);
});

agent.process?.once('exit', (code) => fatal(`the sandbox agent exited (status ${code}); stopping`));

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    agent.process?.removeAllListeners('exit');
    gateway.close();
    server.close();
    void agent.stop().finally(() => {
      store.close();
      process.exit(0);
    });
  });
}
