// The set-up steps shared by `npm start` and `npm test`, in order. Each is cheap when its inputs
// did not change, so running them on every start is the normal case, not a special one.
//
//   system   Linux + root + Debian packages (+ chromium for tests) + kernel sanity
//   deps     npm ci when the lockfile changed
//   hardening kernel sysctls for a host of untrusted sandboxes (skip: LAB_SKIP_HARDENING=1);
//            part of preparing the host, so it runs whenever `system` is asked for
//   native   make -C sandbox-agent/native (labsbx, lab-init)
//   rootfs   mmdebstrap-built sandbox root filesystem, cached by content
//   web      next build when a web source changed
//   token    the agent's shared secret, and the web tier's system user (the agent's socket is hers)
import { ensureNodeModules } from './deps.mjs';
import { hardenHost } from './hardening.mjs';
import { buildNative } from './native.mjs';
import { ensureRootfs } from './rootfs.mjs';
import { checkKernel, ensurePackages, RUNTIME_PACKAGES, TEST_PACKAGES } from './system.mjs';
import { dataDir, ensureAgentToken } from './token.mjs';
import { ensureWebUser } from './webuser.mjs';
import { note, red, step } from './util.mjs';
import { ensureWebBuild } from './webbuild.mjs';

export const STEPS = ['system', 'deps', 'hardening', 'native', 'rootfs', 'web', 'token'];

/**
 * Run the named steps. With `keepGoing`, a failing step is recorded and the remaining steps that
 * do not depend on it still run (npm test uses this so one broken part does not hide the rest).
 * Returns { env, failed: Map<step, message> } where env holds what the server and tests need.
 */
export async function setup({ steps = STEPS, forTests = false, keepGoing = false } = {}) {
  const env = {
    LAB_DATA_DIR: dataDir(),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const failed = new Map();
  // Host hardening belongs with the host step: callers that prepare the host (npm start, and
  // npm test's integration and e2e layers) get it without naming it.
  if (steps.includes('system') && !steps.includes('hardening')) steps = [...steps, 'hardening'];
  // What each step needs before it can run at all.
  const needs = { system: [], deps: [], hardening: ['system', 'deps'], native: ['system'], rootfs: ['system'], web: ['deps'], token: [] };

  const actions = {
    system: async () => {
      await ensurePackages(forTests ? { ...RUNTIME_PACKAGES, ...TEST_PACKAGES } : RUNTIME_PACKAGES);
      checkKernel();
    },
    deps: () => ensureNodeModules(),
    hardening: () => hardenHost(),
    native: () => buildNative(),
    rootfs: async () => {
      // An operator's own root filesystem wins; then nothing is built.
      if (process.env.LAB_ROOTFS) {
        note(`using LAB_ROOTFS=${process.env.LAB_ROOTFS} (not building one)`);
        env.LAB_ROOTFS = process.env.LAB_ROOTFS;
        return;
      }
      env.LAB_ROOTFS = await ensureRootfs();
    },
    web: () => ensureWebBuild(),
    token: () => {
      env.LAB_AGENT_TOKEN = ensureAgentToken();
      const user = ensureWebUser();
      env.LAB_WEB_USER = user.name;
      env.LAB_AGENT_SOCKET_UID = String(user.uid);
    },
  };
  const titles = {
    system: 'Host: Debian packages and kernel',
    deps: 'npm dependencies',
    hardening: 'Host hardening (kernel sysctls)',
    native: 'Native helpers (sandbox-agent/native)',
    rootfs: 'Sandbox root filesystem',
    web: 'Web app build (next build)',
    token: 'Agent token and web user',
  };

  for (const name of STEPS) {
    if (!steps.includes(name)) continue;
    const blocked = needs[name].find((n) => failed.has(n));
    if (blocked) {
      failed.set(name, `skipped because step "${blocked}" failed`);
      continue;
    }
    try {
      await step(titles[name], actions[name]);
    } catch (err) {
      if (!keepGoing) throw err;
      // A SetupError is a sentence for a person; anything else is a bug here, so show the stack.
      console.log(red(`    error: ${err?.name === 'SetupError' ? err.message : err?.stack ?? err}`));
      failed.set(name, err?.message ?? String(err));
    }
  }
  return { env, failed };
}
