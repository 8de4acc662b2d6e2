// Native helpers (labsbx launcher, lab-init): `make` decides what is stale, so this is cheap when
// nothing changed. The Makefile belongs to sandbox-agent/native/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { note, ROOT, run, SetupError, warn } from './util.mjs';

export const NATIVE_DIR = join(ROOT, 'sandbox-agent', 'native');
export const NATIVE_BUILD_DIR = join(NATIVE_DIR, 'build');

export async function buildNative() {
  if (!existsSync(join(NATIVE_DIR, 'Makefile'))) {
    warn('sandbox-agent/native/Makefile does not exist yet: native helpers not built');
    return false;
  }
  const code = await run('make', ['-s', '-C', NATIVE_DIR]);
  if (code !== 0) throw new SetupError(`building the native helpers failed (make -C sandbox-agent/native, exit ${code}); see the output above.`);
  for (const bin of ['labsbx', 'lab-init']) {
    if (!existsSync(join(NATIVE_BUILD_DIR, bin))) warn(`make succeeded but sandbox-agent/native/build/${bin} is missing`);
  }
  note(`native helpers ready in ${NATIVE_BUILD_DIR}`);
  return true;
}
