// npm dependencies: `npm ci` when the lockfile (or package.json's dependency fields, or Node's
// version, which native addons are built for) changed since the last install; otherwise nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { note, ROOT, SetupError } from './util.mjs';

const STAMP = join(ROOT, 'node_modules', '.lab-deps-stamp');

function depsKey() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const h = createHash('sha256');
  h.update(readFileSync(join(ROOT, 'package-lock.json')));
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'overrides', 'allowScripts']) {
    h.update(`${field}=${JSON.stringify(pkg[field] ?? null)}\n`);
  }
  h.update(`node=${process.version} ${process.platform} ${process.arch} abi=${process.versions.modules}\n`);
  return h.digest('hex');
}

/** Environment for npm: build native addons against the local Node headers, fetch no browsers. */
export function npmEnv() {
  const env = {
    ...process.env,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // node-gyp would otherwise download Node's headers, which this network cannot reach; Debian's
  // and NodeSource's nodejs ship them under /usr/include/node.
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h')) env.npm_config_nodedir = '/usr';
  return env;
}

export async function ensureNodeModules() {
  if (!existsSync(join(ROOT, 'package-lock.json'))) throw new SetupError('package-lock.json is missing: cannot run npm ci.');
  const key = depsKey();
  const hidden = join(ROOT, 'node_modules', '.package-lock.json');
  let upToDate = false;
  if (existsSync(STAMP)) {
    upToDate = readFileSync(STAMP, 'utf8').trim() === key && existsSync(hidden);
  } else if (existsSync(hidden)) {
    // Installed by someone else (a plain `npm ci`): trust it if it is newer than its inputs.
    const t = statSync(hidden).mtimeMs;
    upToDate = t >= statSync(join(ROOT, 'package-lock.json')).mtimeMs && t >= statSync(join(ROOT, 'package.json')).mtimeMs;
  }
  if (upToDate) {
    if (!existsSync(STAMP)) writeFileSync(STAMP, key + '\n');
    note('node_modules up to date');
    return;
  }
  note('installing npm dependencies: npm ci --no-audit --no-fund (native addons are compiled; ~1-2 min)');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) throw new SetupError(`installing npm dependencies failed (exit ${code}); see the output above.`);
  writeFileSync(STAMP, key + '\n');
}

/** Run a command with its output passed through; resolves with its exit status. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: npmEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) => {
      process.stderr.write(`${cmd}: ${err.message}\n`);
      resolve(127);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}
