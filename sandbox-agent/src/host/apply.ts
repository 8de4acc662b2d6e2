/**
 * Set-up entry for host hardening: `node --import tsx sandbox-agent/src/host/apply.ts`, run as
 * root by scripts/lib/hardening.mjs (npm start, npm test). It exists so that the sysctl table has
 * one owner (sysctl-table.ts) although the set-up scripts are plain JavaScript.
 *
 * Prints in the set-up's style (four-space indent, yellow warnings). Exit status: 0 when done,
 * even if the kernel refused a setting (that is a warning, repeated by the agent at start);
 * 1 only when it could not run at all (e.g. a malformed LAB_MAX_SANDBOXES).
 */
import { loadAgentConfig } from '../config';
import { hardenHost } from './sysctls';
import { hardeningSysctls } from './sysctl-table';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const say = (line: string) => console.log(`    ${line}`);
const warn = (line: string) => console.log(color ? `\x1b[33m    warning: ${line}\x1b[0m` : `    warning: ${line}`);

try {
  // The same parsing and default (64) as the agent, so the floors match what it will run.
  const { maxSandboxes } = loadAgentConfig(process.env);
  hardenHost({ specs: hardeningSysctls(maxSandboxes), say, warn });
} catch (e) {
  console.log(`    error: ${(e as Error).message}`);
  process.exitCode = 1;
}
