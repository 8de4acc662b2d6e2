/**
 * The web tier faces browsers, so it gives up root as soon as the agent (the one privileged
 * process) is running: it switches to an unprivileged system user for good, after handing that
 * user the few paths it must write (its database directory, Next's cache).
 * credentials(7): setgroups, then setgid, then setuid — in that order, or the later calls fail.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WebUser {
  name: string;
  uid: number;
  gid: number;
}

function lookup(name: string): WebUser | undefined {
  try {
    const line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
    const [, , uid, gid] = line.split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/** The system user the web tier runs as, created on first start (adduser(8) --system). */
export function ensureWebUser(name: string): WebUser {
  const found = lookup(name);
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const created = lookup(name);
  if (!created) throw new Error(`could not create the system user ${name}`);
  return created;
}

function chownTree(path: string, u: WebUser): void {
  if (!existsSync(path)) return;
  chownSync(path, u.uid, u.gid);
  if (lstatSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), u);
}

/**
 * Whether `u` can read what the web tier serves (a clone under /root, or one made with umask
 * 077, is unreadable to any other user). Asked of the kernel itself: `test -r` run as that user.
 */
export function canRead(u: WebUser, paths: string[]): boolean {
  try {
    execFileSync('setpriv', [`--reuid=${u.uid}`, `--regid=${u.gid}`, '--clear-groups', '--', 'sh', '-c', 'for p; do test -r "$p" || exit 1; done', 'sh', ...paths], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Give `writable` paths to the user, make their parent directories searchable (o+x: reach a
 * known name, list nothing), then drop every privilege of this process.
 */
export function dropPrivileges(u: WebUser, writable: string[]): void {
  for (const p of writable) {
    mkdirSync(p, { recursive: true });
    chownTree(p, u);
    const parent = dirname(p);
    const mode = statSync(parent).mode & 0o7777;
    if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o001);
  }
  process.setgroups!([]);
  process.setgid!(u.gid);
  process.setuid!(u.uid);
  if (process.getuid!() === 0 || process.geteuid!() === 0) throw new Error('failed to drop root privileges');
}
