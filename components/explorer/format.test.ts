import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock } from './format';

describe('format', () => {
  it('prints bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(256 * 1024 * 1024)).toBe('256 MiB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.3 GiB');
  });

  it('prints a clock time with two digits each', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5).getTime();
    expect(formatClock(at)).toBe('03:04:05');
  });
});
