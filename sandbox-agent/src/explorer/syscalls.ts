/**
 * System call names for the explorer's denials. The kernel's audit record has only a number,
 * and numbers differ per architecture (mkdir is 83 on x86_64, absent on arm64), so the table
 * comes from libseccomp through `labsbx syscalls` (native/labsbx.c), once per agent start.
 */
import { execFileSync } from 'node:child_process';

export class SyscallNames {
  constructor(
    /** AUDIT_ARCH_* of the machine's native ABI, as audit records print it in `arch=`. */
    readonly arch: number,
    private readonly names: ReadonlyMap<number, string>,
  ) {}

  /** `labsbx syscalls` output: "arch\tc000003e", then "NR\tNAME" lines. */
  static parse(text: string): SyscallNames {
    let arch = 0;
    const names = new Map<number, string>();
    for (const line of text.split('\n')) {
      const [key, value] = line.split('\t');
      if (key === 'arch' && value) arch = parseInt(value, 16);
      else if (key && value && /^\d+$/.test(key)) names.set(Number(key), value);
    }
    return new SyscallNames(arch, names);
  }

  /**
   * The name of call `nr` made through ABI `arch`; its number as text when unknown or made
   * through another ABI (32-bit code on x86_64 has its own numbering).
   */
  name(arch: number, nr: number): string {
    return (arch === this.arch ? this.names.get(nr) : undefined) ?? String(nr);
  }
}

export function loadSyscallNames(labsbx: string): SyscallNames {
  return SyscallNames.parse(execFileSync(labsbx, ['syscalls'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}
