import { describe, expect, it } from 'vitest';
import { ACK_BYTES, HIGH_WATERMARK, LOW_WATERMARK } from './limits';
import { DEFAULT_PROFILE, Profile } from './profile';

const MiB = 1024 * 1024;

describe('Profile', () => {
  it('DEFAULT_PROFILE passes its own schema and named checks', () => {
    expect(Profile.safeParse(DEFAULT_PROFILE).success).toBe(true);
  });

  it('writable-area-below-memory: rejects writable tmpfs larger than half the memory', () => {
    const r = Profile.safeParse({ ...DEFAULT_PROFILE, memoryBytes: 128 * MiB, writableBytes: 64 * MiB + 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join('\n')).toContain('writable-area-below-memory');
    expect(r.error?.issues[0]?.path).toEqual(['writableBytes']);
    // Exactly half is allowed.
    expect(Profile.safeParse({ ...DEFAULT_PROFILE, memoryBytes: 128 * MiB, writableBytes: 64 * MiB }).success).toBe(true);
  });

  it('idle-within-wall: rejects an idle timeout longer than the wall time', () => {
    const r = Profile.safeParse({ ...DEFAULT_PROFILE, idleTimeoutSec: 3601, wallTimeSec: 3600 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join('\n')).toContain('idle-within-wall');
    expect(Profile.safeParse({ ...DEFAULT_PROFILE, idleTimeoutSec: 3600, wallTimeSec: 3600 }).success).toBe(true);
  });

  it('reports both named checks when both fail', () => {
    const r = Profile.safeParse({ ...DEFAULT_PROFILE, writableBytes: DEFAULT_PROFILE.memoryBytes, idleTimeoutSec: 7200, wallTimeSec: 3600 });
    const text = r.error?.issues.map((i) => i.message).join('\n') ?? '';
    expect(text).toContain('writable-area-below-memory');
    expect(text).toContain('idle-within-wall');
  });

  it('rejects unknown keys and out-of-range values', () => {
    expect(Profile.safeParse({ ...DEFAULT_PROFILE, privileged: true }).success).toBe(false);
    expect(Profile.safeParse({ ...DEFAULT_PROFILE, maxTerminals: 10 }).success).toBe(false);
    expect(Profile.safeParse({ ...DEFAULT_PROFILE, cpus: 0 }).success).toBe(false);
    expect(Profile.safeParse({ ...DEFAULT_PROFILE, hostname: 'Bad_Host' }).success).toBe(false);
  });
});

describe('flow-control constants', () => {
  it('keep ACK_BYTES <= LOW_WATERMARK < HIGH_WATERMARK (otherwise the stream can deadlock)', () => {
    expect(ACK_BYTES).toBeGreaterThan(0);
    expect(ACK_BYTES).toBeLessThanOrEqual(LOW_WATERMARK);
    expect(LOW_WATERMARK).toBeLessThan(HIGH_WATERMARK);
  });
});
