// Host prerequisites: Linux, root, the Debian packages the agent and the tests use, and a kernel
// that lets an unprivileged uid create user namespaces.
// Runs on the host as root, before anything else; only Debian's apt is used to install.
import { existsSync, readFileSync } from 'node:fs';
import { capture, note, run, SetupError, warn } from './util.mjs';

/** Debian packages, each with the reason it is needed (printed when it gets installed). */
export const RUNTIME_PACKAGES = {
  bubblewrap: 'sandbox launcher (bwrap)',
  'cgroup-tools': 'cgcreate/cgexec, used by lessons and by tests on the host',
  'libseccomp-dev': 'headers to build the native seccomp launcher',
  libseccomp2: 'seccomp filter library',
  mmdebstrap: 'builds the sandbox root filesystem from Debian packages',
  uidmap: 'newuidmap/newgidmap (user namespace id maps)',
  gcc: 'builds the native helpers labsbx and lab-init',
  'g++': 'node-gyp builds native npm addons (node-pty, better-sqlite3)',
  make: 'builds the native helpers and native npm addons',
  'libc6-dev': 'C library headers for the native helpers',
  python3: 'node-gyp, which builds native npm addons',
  iproute2: 'ip, used for network namespaces',
  procps: 'ps/pkill, used by the agent and tests',
  psmisc: 'fuser/killall, used by tests',
  'util-linux': 'unshare, nsenter, setpriv, mount',
  passwd: 'useradd, which creates the web tier\'s unprivileged system user',
};

export const TEST_PACKAGES = {
  chromium: 'browser for the end-to-end tests (Playwright cannot download its own here)',
  'fonts-dejavu-core': 'a monospace font so the terminal renders the same in headless Chromium',
};

/** Refuse early, with a sentence, on anything but Linux as root. */
export function requireLinuxRoot(what = 'this command') {
  if (process.platform !== 'linux') {
    throw new SetupError(`${what} needs Linux (Debian 12): it runs sandboxes with Linux namespaces, cgroups and seccomp. This is ${process.platform}.`);
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new SetupError(`${what} must run as root: it installs Debian packages and the sandbox agent needs root to create namespaces and cgroups. Try: sudo npm ${what === 'npm test' ? 'test' : 'start'}`);
  }
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Names of packages from the list that dpkg does not report as installed. */
export async function missingPackages(names) {
  // One dpkg-query call for all; a package dpkg has never heard of makes it print an error line
  // on stderr and no status for that name, which we count as missing.
  const r = await capture('dpkg-query', ['-W', '-f=${Package}\t${Status}\n', ...names]);
  if (r.code === 127) throw new SetupError('dpkg-query not found: this set-up needs Debian 12 (or a Debian-based system).');
  const installed = new Set();
  for (const line of r.stdout.split('\n')) {
    const [pkg, status] = line.split('\t');
    // Multi-arch packages print as name:arch in some cases; strip the suffix.
    if (pkg && status && / installed$/.test(status)) installed.add(pkg.replace(/:.*$/, ''));
  }
  return names.filter((n) => !installed.has(n));
}

/** Install whatever of `packages` ({name: reason}) is missing. Cheap when nothing is. */
export async function ensurePackages(packages) {
  const names = Object.keys(packages);
  const missing = await missingPackages(names);
  if (missing.length === 0) {
    note(`all ${names.length} Debian packages present`);
    return;
  }
  if (!isRoot()) {
    throw new SetupError(`missing Debian packages: ${missing.join(' ')}. Run as root so they can be installed, or install them: apt-get install ${missing.join(' ')}`);
  }
  note('installing missing Debian packages:');
  for (const m of missing) note(`  ${m.padEnd(18)} ${packages[m]}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const timer = performance.now();
  const upd = await run('apt-get', ['update'], { env, prefix: '    [apt]', timer });
  // apt-get update returns non-zero when *any* source fails; a third-party source that this
  // machine cannot reach should not stop us if Debian's own did update. The install decides.
  if (upd !== 0) warn(`apt-get update exited with ${upd}; trying the install anyway`);
  const code = await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, prefix: '    [apt]', timer });
  if (code !== 0) throw new SetupError(`apt-get install ${missing.join(' ')} failed (exit ${code}); see the output above.`);
  const still = await missingPackages(names);
  if (still.length) throw new SetupError(`still missing after apt-get install: ${still.join(' ')}`);
}

/** Warn (not fail) about kernel settings the sandboxes need; the agent re-checks at start. */
export function checkKernel() {
  const read = (p) => {
    try {
      return readFileSync(p, 'utf8').trim();
    } catch {
      return null;
    }
  };
  const maxUserNs = read('/proc/sys/user/max_user_namespaces');
  if (maxUserNs === '0') warn('user namespaces are disabled (user.max_user_namespaces = 0): sysctl -w user.max_user_namespaces=15000');
  const clone = read('/proc/sys/kernel/unprivileged_userns_clone');
  if (clone === '0') warn('unprivileged user namespaces are disabled: sysctl -w kernel.unprivileged_userns_clone=1');
  const cgroupV2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  note(`kernel ${read('/proc/sys/kernel/osrelease') ?? '?'}, cgroup ${cgroupV2 ? 'v2' : 'v1'}, user namespaces ${maxUserNs && maxUserNs !== '0' ? 'on' : 'off?'}`);
}
