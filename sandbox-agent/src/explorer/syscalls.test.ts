/** The syscall table from `labsbx syscalls`, and (when built) the real helper's output. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIVE_BUILD } from '../config';
import { loadSyscallNames, SyscallNames } from './syscalls';

const LABSBX = `${NATIVE_BUILD}/labsbx`;

describe('SyscallNames', () => {
  it('parses the arch line and NR\\tNAME lines; unknown numbers and other ABIs read as numbers', () => {
    const t = SyscallNames.parse('arch\tc000003e\n0\tread\n83\tmkdir\n258\tmkdirat\n');
    expect(t.arch).toBe(0xc000003e);
    expect(t.name(0xc000003e, 83)).toBe('mkdir');
    expect(t.name(0xc000003e, 84)).toBe('84');
    expect(t.name(0x40000003, 83)).toBe('83');
  });

  it.skipIf(!existsSync(LABSBX))('labsbx syscalls names the native table (mkdir and mkdirat on x86_64)', () => {
    const t = loadSyscallNames(LABSBX);
    if (process.arch === 'x64') {
      expect(t.arch).toBe(0xc000003e);
      expect(t.name(t.arch, 83)).toBe('mkdir');
      expect(t.name(t.arch, 258)).toBe('mkdirat');
    }
    expect(t.name(t.arch, 0)).toBe('read');
  });
});
