import { describe, expect, it } from 'vitest';
import { CAPABILITY_NAMES, decodeCapabilities } from './capabilities';

describe('decodeCapabilities', () => {
  it('knows capabilities(7) from CAP_CHOWN (0) to CAP_CHECKPOINT_RESTORE (40)', () => {
    expect(CAPABILITY_NAMES).toHaveLength(41);
    expect(CAPABILITY_NAMES[0]).toBe('CAP_CHOWN');
    expect(CAPABILITY_NAMES[21]).toBe('CAP_SYS_ADMIN');
    expect(CAPABILITY_NAMES[40]).toBe('CAP_CHECKPOINT_RESTORE');
  });

  it('decodes nothing from an empty mask', () => {
    expect(decodeCapabilities('0000000000000000')).toEqual([]);
  });

  it('decodes single bits in the order of their numbers', () => {
    expect(decodeCapabilities('0000000000200001')).toEqual([
      { bit: 0, name: 'CAP_CHOWN' },
      { bit: 21, name: 'CAP_SYS_ADMIN' },
    ]);
  });

  it('decodes a full root set of a 6.x kernel (bits 0-40)', () => {
    const caps = decodeCapabilities('000001ffffffffff');
    expect(caps).toHaveLength(41);
    expect(caps.at(-1)).toEqual({ bit: 40, name: 'CAP_CHECKPOINT_RESTORE' });
  });

  it('shows bits beyond the known list as numbers, even above 2^53', () => {
    expect(decodeCapabilities('8000020000000000').map((c) => c.name)).toEqual(['41', '63']);
  });

  it('reads a short mask as the kernel would (leading zeros omitted)', () => {
    expect(decodeCapabilities('a0').map((c) => c.name)).toEqual(['CAP_KILL', 'CAP_SETUID']);
  });
});
