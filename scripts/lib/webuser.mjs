// The unprivileged system user the web tier runs as (LAB_WEB_USER, default container-lab).
// Created here, before the agent starts, because the agent hands its socket to this user's uid;
// server/privileges.ts creates it the same way when the web tier is started on its own.
import { execFileSync } from 'node:child_process';
import { note, SetupError } from './util.mjs';

function lookup(name) {
  try {
    const [, , uid, gid] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

export function ensureWebUser() {
  const name = process.env.LAB_WEB_USER || 'container-lab';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(name)) throw new SetupError(`LAB_WEB_USER "${name}" is not a valid user name`);
  let user = lookup(name);
  if (!user) {
    note(`creating the system user ${name} for the web tier (useradd --system)`);
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], { stdio: 'inherit' });
    user = lookup(name);
    if (!user) throw new SetupError(`could not create the system user ${name}`);
  } else {
    note(`web tier user: ${name} (uid ${user.uid})`);
  }
  return user;
}
