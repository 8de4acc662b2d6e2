#!/usr/bin/env node
// npm start: set up whatever is missing, build what changed, then run the web app with its
// embedded sandbox agent on http://localhost:$PORT.
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
    env = { LAB_DATA_DIR: dataDir(), LAB_ROOTFS: realpathSync(current), LAB_AGENT_TOKEN: ensureAgentToken(), NEXT_TELEMETRY_DISABLED: '1' };
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

  console.log(bold(`==> Starting the web app and its sandbox agent: http://localhost:${port}`) + (host === '0.0.0.0' ? ` (listening on all interfaces)` : ` (listening on ${host})`));
  const child = spawn(process.execPath, ['--import', 'tsx', server], { cwd: ROOT, env: childEnv, stdio: 'inherit' });

  // We stay as a thin parent: pass termination signals on, and leave with the server's status.
  const forward = (sig) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => forward(sig));
  onOrphaned(() => {
    console.error('npm went away: stopping the server');
    forward('SIGTERM');
  });
  return await new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(red(`error: could not start the server: ${err.message}`));
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      const n = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[signal] ?? 0;
      resolve(code ?? 128 + n);
    });
  });
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(red(`error: ${err instanceof SetupError ? err.message : err?.stack ?? err}`));
  process.exitCode = 1;
}
