// The sandbox root filesystem: a Debian bookworm tree built once by mmdebstrap from
// sandbox-agent/rootfs/packages.txt, customized by sandbox-agent/rootfs/customize.sh (which also
// compiles the lesson tools in sandbox-agent/rootfs/tools, e.g. deny-syscall), cached under a key
// that changes whenever any of those files (or FORMAT) changes, and bind-mounted read-only into
// every sandbox by the agent.
//
// Runs on the host as root. Layout under LAB_ROOTFS_DIR (default /var/lib/container-lab/rootfs):
//   <key>/            a finished rootfs (never modified after the rename that publishes it)
//   <key>.json        what went into it and how long it took
//   <key>.tmp-<pid>   a build in progress (removed at the next run if <pid> is gone)
//   current -> <key>  the rootfs the next server start uses (replaced atomically)
//   .build.lock       held while a build runs, so two set-ups never build at once
//
// Usage on its own: node scripts/lib/rootfs.mjs [--rebuild]   (prints the rootfs path)
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bold, capture, note, pidAlive, ROOT, run, secondsSince, SetupError, warn } from './util.mjs';

/** Bump when the way a rootfs is built changes in a way the two input files do not show. */
const FORMAT = 1;
const SUITE = 'bookworm';
const KEEP = 2; // finished rootfs trees kept, `current` included

export const PACKAGES_FILE = join(ROOT, 'sandbox-agent', 'rootfs', 'packages.txt');
export const CUSTOMIZE_FILE = join(ROOT, 'sandbox-agent', 'rootfs', 'customize.sh');
/** Sources of the tools customize.sh builds into the rootfs (its second argument). */
export const TOOLS_DIR = join(ROOT, 'sandbox-agent', 'rootfs', 'tools');

export function rootfsDir() {
  return resolve(ROOT, process.env.LAB_ROOTFS_DIR || '/var/lib/container-lab/rootfs');
}

export function readPackageList(text = readFileSync(PACKAGES_FILE, 'utf8')) {
  const names = [];
  for (const raw of text.split('\n')) {
    const name = raw.replace(/#.*/, '').trim();
    if (!name) continue;
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name)) throw new SetupError(`${PACKAGES_FILE}: "${name}" is not a Debian package name`);
    names.push(name);
  }
  return [...new Set(names)];
}

export function rootfsKey() {
  const h = createHash('sha256');
  h.update(`container-lab rootfs format ${FORMAT}\nsuite ${SUITE}\n`);
  h.update(readFileSync(PACKAGES_FILE));
  h.update('\0');
  h.update(readFileSync(CUSTOMIZE_FILE));
  // Every file under tools/, by relative path and content, in a fixed order.
  for (const rel of toolFiles()) {
    h.update(`\0tool ${rel}\0`);
    h.update(readFileSync(join(TOOLS_DIR, rel)));
  }
  return h.digest('hex');
}

/** Paths of the files under TOOLS_DIR, relative to it, sorted. */
export function toolFiles(dir = TOOLS_DIR, prefix = '') {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...toolFiles(join(dir, e.name), rel + '/'));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

const KEY_RE = /^[0-9a-f]{64}$/;
const TMP_RE = /^[0-9a-f]{64}\.(tmp|old)-(\d+)$/;

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo). */
function mountsUnder(dir) {
  const unescape = (s) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter(Boolean)
    .map(unescape)
    .filter((p) => p === dir || p.startsWith(dir + '/'));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * Remove a rootfs tree without ever reaching the host through a mount a crashed build left
 * behind (mmdebstrap's root mode mounts /proc, /sys and /dev nodes inside while it runs).
 */
async function removeTree(dir) {
  for (const m of mountsUnder(dir)) await capture('umount', ['-l', m]);
  const left = mountsUnder(dir);
  if (left.length) {
    warn(`not removing ${dir}: still mounted: ${left.join(', ')}`);
    return false;
  }
  // --one-file-system: never cross into anything mounted below, even if it appeared just now.
  const r = await capture('rm', ['-rf', '--one-file-system', '--', dir]);
  if (r.code !== 0) warn(`could not remove ${dir}: ${r.stderr.trim()}`);
  return r.code === 0;
}

async function sweepStale(dir) {
  for (const name of readdirSync(dir)) {
    const m = TMP_RE.exec(name);
    if (m && !pidAlive(Number(m[2]))) {
      note(`removing ${name} left by an interrupted build`);
      await removeTree(join(dir, name));
    }
  }
}

function currentTarget(dir) {
  try {
    return readlinkSync(join(dir, 'current'));
  } catch {
    return null;
  }
}

/** Point `current` at `key` atomically: a new symlink renamed over the old one. */
function publishCurrent(dir, key) {
  if (currentTarget(dir) === key) return;
  const tmp = join(dir, `.current.tmp-${process.pid}`);
  try {
    unlinkSync(tmp);
  } catch {}
  symlinkSync(key, tmp);
  renameSync(tmp, join(dir, 'current'));
}

/**
 * Keys of rootfs trees that a mount on this host still comes from: the agent binds a sandbox's
 * rootfs (idmapped) under /run/container-lab, so a tree with such a mount is in use by a running
 * sandbox, possibly started before `current` moved on. Field 4 of mountinfo is the mount's root
 * within its filesystem; the key is a unique path component whatever that filesystem is.
 */
function treesInUse() {
  const used = new Set();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const root = line.split(' ')[3];
    if (!root) continue;
    for (const part of root.split('/')) if (KEY_RE.test(part)) used.add(part);
  }
  return used;
}

async function prune(dir) {
  const current = currentTarget(dir);
  const inUse = treesInUse();
  for (const n of inUse) if (n !== current && existsSync(join(dir, n))) note(`keeping rootfs ${n.slice(0, 12)}…: a sandbox still uses it`);
  const others = readdirSync(dir)
    .filter((n) => KEY_RE.test(n) && n !== current && !inUse.has(n))
    .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of others.slice(Math.max(0, KEEP - 1))) {
    note(`pruning old rootfs ${n.slice(0, 12)}…`);
    if (await removeTree(join(dir, n))) {
      try {
        unlinkSync(join(dir, `${n}.json`));
      } catch {}
    }
  }
}

/** Take the build lock, waiting for a live holder; a dead holder's lock is taken over. */
async function lock(dir) {
  const path = join(dir, '.build.lock');
  const deadline = Date.now() + 30 * 60 * 1000;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {}
      };
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (!pidAlive(holder)) {
      try {
        unlinkSync(path);
      } catch {}
      continue;
    }
    if (Date.now() > deadline) throw new SetupError(`another rootfs build (pid ${holder}) has held ${path} for 30 minutes`);
    if (!told) note(`waiting for another rootfs build (pid ${holder}) to finish…`);
    told = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * Make sure the rootfs for the current inputs exists and `current` points at it.
 * Returns the absolute path of the rootfs directory (not the symlink).
 */
export async function ensureRootfs({ rebuild = false } = {}) {
  const dir = rootfsDir();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  // The agent's unprivileged sandbox uids must be able to reach the tree to bind it.
  for (let d = dir; d !== '/'; d = resolve(d, '..')) {
    if (d.startsWith('/var/lib/container-lab')) chmodSync(d, 0o755);
  }
  const key = rootfsKey();
  const target = join(dir, key);
  // Leftovers of a crashed build (its pid is gone); cheap when there are none.
  await sweepStale(dir);

  if (existsSync(target) && !rebuild) {
    publishCurrent(dir, key);
    note(`rootfs cached: ${target}`);
    return target;
  }

  const unlock = await lock(dir);
  try {
    if (existsSync(target) && !rebuild) {
      // Built by whoever held the lock before us.
      publishCurrent(dir, key);
      note(`rootfs cached: ${target}`);
      return target;
    }
    await build(dir, key);
    publishCurrent(dir, key);
    await prune(dir);
  } finally {
    unlock();
  }
  return target;
}

async function build(dir, key) {
  const packages = readPackageList();
  const tmp = join(dir, `${key}.tmp-${process.pid}`);
  const t0 = performance.now();
  note(`building the sandbox root filesystem (Debian ${SUITE}, ${packages.length} extra packages; about a minute, once)`);
  note(`into ${tmp}`);
  const args = [
    '--mode=root',
    '--variant=apt',
    `--include=${packages.join(',')}`,
    '--aptopt=Acquire::Languages "none"',
    // Documentation is dead weight in a read-only sandbox without man-db; keep the copyrights.
    '--dpkgopt=path-exclude=/usr/share/man/*',
    '--dpkgopt=path-exclude=/usr/share/info/*',
    '--dpkgopt=path-exclude=/usr/share/doc/*',
    '--dpkgopt=path-include=/usr/share/doc/*/copyright',
    '--dpkgopt=path-exclude=/usr/share/locale/*',
    '--dpkgopt=path-exclude=/usr/share/lintian/*',
    SUITE,
    tmp,
  ];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C.UTF-8' };
  const code = await run('mmdebstrap', args, { env, prefix: '    [rootfs]', timer: t0 });
  if (code !== 0) {
    await removeTree(tmp);
    throw new SetupError(`mmdebstrap failed (exit ${code}) after ${secondsSince(t0)} s; see the [rootfs] lines above. It needs Debian's mirror (deb.debian.org) to be reachable.`);
  }
  const c = await run('sh', [CUSTOMIZE_FILE, tmp, TOOLS_DIR], { env, prefix: '    [rootfs]', timer: t0 });
  if (c !== 0) {
    await removeTree(tmp);
    throw new SetupError(`sandbox-agent/rootfs/customize.sh failed (exit ${c}); see the [rootfs] lines above.`);
  }
  chmodSync(tmp, 0o755);

  const target = join(dir, key);
  if (existsSync(target)) {
    // --rebuild: move the old tree aside, publish the new one, then delete the old.
    const old = join(dir, `${key}.old-${process.pid}`);
    renameSync(target, old);
    renameSync(tmp, target);
    await removeTree(old);
  } else {
    renameSync(tmp, target);
  }
  const seconds = Number(secondsSince(t0));
  const du = await capture('du', ['-sx', '--block-size=1M', target]);
  const sizeMiB = Number(du.stdout.split('\t')[0]) || null;
  writeFileSync(
    join(dir, `${key}.json`),
    JSON.stringify({ key, suite: SUITE, format: FORMAT, packages, tools: toolFiles(), builtAt: new Date().toISOString(), seconds, sizeMiB }, null, 2) + '\n',
  );
  console.log(bold(`    rootfs built in ${seconds} s (${sizeMiB ?? '?'} MiB): ${target}`));
}

// Run on its own: node scripts/lib/rootfs.mjs [--rebuild]
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.getuid?.() !== 0) throw new SetupError('building the rootfs needs root (mmdebstrap --mode=root)');
    const path = await ensureRootfs({ rebuild: process.argv.includes('--rebuild') });
    console.log(path);
  } catch (err) {
    console.error(err instanceof SetupError ? `error: ${err.message}` : err);
    process.exit(1);
  }
}
