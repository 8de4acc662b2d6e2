#!/usr/bin/env node
// npm start: set up whatever is missing, build what changed, then run the sandbox agent and the
// web app on http://localhost:$PORT, as two sibling processes this script supervises: the web
// tier can be restarted (or crash and be restarted) while the agent, and every learner's
// sandbox, keeps running; terminals reconnect to the same sandboxes.
//
//   node scripts/start.mjs               set up, build, serve
//   node scripts/start.mjs --build-only  set up and build, then exit (npm run build)
//   node scripts/start.mjs --no-setup    serve what was already built (for test harnesses that
//                                        ran the set-up moments before)
//
// Plain Node with no npm dependencies: on a fresh clone it runs before node_modules exists.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { rootfsDir } from './lib/rootfs.mjs';
import { setup } from './lib/setup.mjs';
import { requireLinuxRoot } from './lib/system.mjs';
import { dataDir, ensureAgentToken } from './lib/token.mjs';
import { ensureWebUser } from './lib/webuser.mjs';
import { bold, green, onOrphaned, red, ROOT, secondsSince, SetupError } from './lib/util.mjs';

const args = process.argv.slice(2);
const buildOnly = args.includes('--build-only');
const noSetup = args.includes('--no-setup');
for (const a of args) {
  if (!['--build-only', '--no-setup'].includes(a)) {
    console.error(`usage: node scripts/start.mjs [--build-only | --no-setup]   (unknown argument: ${a})`);
    process.exit(2);
  }
}

async function main() {
  const t0 = performance.now();
  requireLinuxRoot('npm start');

  let env;
  if (noSetup) {
    const current = join(rootfsDir(), 'current');
    if (!existsSync(join(ROOT, '.next', 'BUILD_ID'))) throw new SetupError('--no-setup: there is no web build yet (.next/BUILD_ID); run npm run build first');
    if (!existsSync(current)) throw new SetupError(`--no-setup: there is no rootfs yet (${current}); run npm run build first`);
    const user = ensureWebUser();
    env = {
      LAB_DATA_DIR: dataDir(),
      LAB_ROOTFS: realpathSync(current),
      LAB_AGENT_TOKEN: ensureAgentToken(),
      LAB_WEB_USER: user.name,
      LAB_AGENT_SOCKET_UID: String(user.uid),
      NEXT_TELEMETRY_DISABLED: '1',
    };
  } else {
    ({ env } = await setup());
  }
  console.log(green(`set-up done in ${secondsSince(t0)} s`));
  if (buildOnly) return 0;

  const server = join(ROOT, 'server', 'main.ts');
  if (!existsSync(server)) throw new SetupError('server/main.ts does not exist yet: nothing to start.');

  const port = process.env.PORT || '3000';
  const host = process.env.HOST || '0.0.0.0';
  const childEnv = {
    ...process.env,
    ...env,
    PORT: port,
    HOST: host,
    NODE_ENV: 'production',
  };

  console.log(bold(`==> Starting the sandbox agent and the web app: http://localhost:${port}`) + (host === '0.0.0.0' ? ` (listening on all interfaces)` : ` (listening on ${host})`));
  return await serve(server, childEnv);
}

/** More than this many web-tier deaths in a minute is a crash loop: stop everything. */
const MAX_WEB_RESTARTS = 5;

/**
 * Run the agent (its own supervisor restarts its worker), wait until it listens, then run the web
 * tier and restart it whenever it dies on its own. Ctrl-C / SIGTERM / npm going away stops the
 * web tier first, then the agent (closing its IPC channel), which stops every sandbox.
 */
function serve(server, childEnv) {
  return new Promise((resolve) => {
    let stopping = false;
    let web;
    const deaths = [];
    const agent = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'sandbox-agent', 'src', 'main.ts')], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const finish = (code) => {
      if (web && web.exitCode === null && web.signalCode === null) return web.once('exit', () => finish(code));
      if (agent.connected) {
        agent.once('exit', () => resolve(code));
        agent.disconnect();
      } else resolve(code);
    };
    const startWeb = () => {
      web = spawn(process.execPath, ['--import', 'tsx', server], { cwd: ROOT, env: { ...childEnv, LAB_AGENT: 'external' }, stdio: 'inherit' });
      web.on('exit', (code, signal) => {
        if (stopping) return finish(0);
        const now = Date.now();
        deaths.push(now);
        while (deaths.length && deaths[0] < now - 60_000) deaths.shift();
        if (deaths.length > MAX_WEB_RESTARTS) {
          console.error(red(`the web tier died ${deaths.length} times within a minute; stopping`));
          stopping = true;
          return finish(1);
        }
        console.error(red(`the web tier exited (${signal ?? `status ${code}`}); restarting it: sandboxes keep running`));
        setTimeout(startWeb, 250 * deaths.length);
      });
    };
    agent.on('message', (m) => {
      if (m?.type === 'listening' && !web && !stopping) startWeb();
    });
    agent.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(red(`the sandbox agent exited (${signal ?? `status ${code}`}); stopping`));
      stop();
      resolve(code || 1);
    });
    const stop = (sig = 'SIGTERM') => {
      if (stopping) return;
      stopping = true;
      if (web && web.exitCode === null && web.signalCode === null) web.kill(sig);
      else finish(0);
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(sig === 'SIGHUP' ? 'SIGTERM' : sig));
    onOrphaned(() => {
      console.error('npm went away: stopping the server');
      stop();
    });
  });
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(red(`error: ${err instanceof SetupError ? err.message : err?.stack ?? err}`));
  process.exitCode = 1;
}
