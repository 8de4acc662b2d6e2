/**
 * seccomp: the baseline filter every sandbox process runs under. The policy itself is C
 * (sandbox-agent/native/seccomp_policy.c, built against libseccomp); here we only export it
 * once per agent start to a root-owned file that bwrap (--seccomp FD) and `labsbx exec` load.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

export function exportSeccompFilter(labsbx: string, outPath: string): string {
  execFileSync(labsbx, ['seccomp-export', outPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const size = statSync(outPath).size;
  // struct sock_filter is 8 bytes; an empty or ragged file would load nothing.
  if (size === 0 || size % 8 !== 0) throw new Error(`seccomp filter ${outPath} is not a BPF program (${size} bytes)`);
  return outPath;
}
