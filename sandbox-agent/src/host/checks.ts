/**
 * Host checks at agent start (host side, as root, before anything is served).
 *
 * - Each hardening sysctl (sysctl-table.ts) not at a hardened value gets a warning naming it, its
 *   value, why it matters and how to fix it. The agent still starts: the set-up may have been
 *   skipped on purpose (LAB_SKIP_HARDENING=1) or the kernel may refuse one, and sandboxes do not
 *   depend on them; they shrink the kernel surface a learner can reach.
 * - The CVE-2022-0492 probe (cve-2022-0492.ts) must pass, or the agent refuses to start: without
 *   the fix every sandbox is escapable. A probe that cannot decide also refuses (fails closed).
 */
import { probeCve20220492, refusalMessage, type ProbeResult } from './cve-2022-0492';
import { checkSysctls, PROC_SYS } from './sysctls';
import { hardeningSysctls } from './sysctl-table';

export interface HostCheckOptions {
  /** LAB_MAX_SANDBOXES: sizes the namespace floors. */
  maxSandboxes: number;
  log: (msg: string) => void;
  /** Tests: a fake /proc/sys and a canned probe. */
  procSys?: string;
  probe?: () => Promise<ProbeResult & { ms?: number }>;
}

export async function checkHost(o: HostCheckOptions): Promise<void> {
  const specs = hardeningSysctls(o.maxSandboxes);
  const { warnings, notes } = checkSysctls(specs, o.procSys ?? PROC_SYS);
  for (const w of warnings) o.log(`warning: host hardening: ${w.message}`);
  const present = specs.length - notes.length;
  o.log(
    `host hardening: ${present - warnings.length} of ${present} sysctls hardened` +
      (notes.length ? ` (${notes.map((n) => n.message).join('; ')})` : ''),
  );

  const r = await (o.probe ?? probeCve20220492)();
  if (!r.fixed) throw new Error(refusalMessage(r));
  o.log(`kernel has the CVE-2022-0492 fix: ${r.detail}${r.ms !== undefined ? ` (probe took ${r.ms} ms)` : ''}`);
}
