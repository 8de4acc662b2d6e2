import { describe, expect, it } from 'vitest';
import { IdentityPool, ownsHostUid, RANGE, type Identity } from './userns';

const opts = { slots: 8, ownerUidBase: 3_000_000, mapBase: 1_000_000_000 };

function drain(pool: IdentityPool): Identity[] {
  const out: Identity[] = [];
  for (let id = pool.acquire(); id; id = pool.acquire()) out.push(id);
  return out;
}

describe('IdentityPool', () => {
  it('hands out distinct slots and owner uids', () => {
    const ids = drain(new IdentityPool(opts));
    expect(ids).toHaveLength(8);
    expect(new Set(ids.map((i) => i.slot)).size).toBe(8);
    expect(new Set(ids.map((i) => i.ownerUid)).size).toBe(8);
  });

  it('gives every sandbox its own non-overlapping range of 65536 ids', () => {
    const ids = drain(new IdentityPool(opts)).sort((a, b) => a.mapBase - b.mapBase);
    expect(RANGE).toBe(65536);
    for (let i = 1; i < ids.length; i++) expect(ids[i]!.mapBase).toBeGreaterThanOrEqual(ids[i - 1]!.mapBase + RANGE);
    // Owner uids lie outside every mapped range.
    for (const a of ids) for (const b of ids) expect(a.ownerUid < b.mapBase || a.ownerUid >= b.mapBase + RANGE).toBe(true);
  });

  it('never hands out uid 0 (or any host id below the bases)', () => {
    for (const id of drain(new IdentityPool({ slots: 4, ownerUidBase: 1, mapBase: 100 }))) {
      expect(id.ownerUid).toBeGreaterThan(0);
      expect(id.mapBase).toBeGreaterThan(0);
    }
  });

  it('returns null when exhausted, and a released slot becomes reusable', () => {
    const pool = new IdentityPool({ ...opts, slots: 2 });
    const a = pool.acquire()!;
    const b = pool.acquire()!;
    expect(pool.acquire()).toBeNull();
    expect(pool.inUse).toBe(2);
    expect(pool.size).toBe(2);
    pool.release(a);
    expect(pool.inUse).toBe(1);
    const c = pool.acquire();
    expect(c).toEqual(a);
    expect(c!.slot).not.toBe(b.slot);
    expect(pool.acquire()).toBeNull();
  });

  it('refuses bases at or below zero', () => {
    expect(() => new IdentityPool({ ...opts, ownerUidBase: 0 })).toThrow(/positive/);
    expect(() => new IdentityPool({ ...opts, mapBase: 0 })).toThrow(/positive/);
    expect(() => new IdentityPool({ ...opts, ownerUidBase: -5 })).toThrow(/positive/);
  });

  it('refuses owner uids that overlap the mapped ranges', () => {
    // Owners inside the first mapped range.
    expect(() => new IdentityPool({ slots: 4, ownerUidBase: 1_000_000_010, mapBase: 1_000_000_000 })).toThrow(/overlap/);
    // Owner range running into the start of the mapped ranges.
    expect(() => new IdentityPool({ slots: 4, ownerUidBase: 999_999_998, mapBase: 1_000_000_000 })).toThrow(/overlap/);
    // Owners just past the last mapped range are fine, and so are owners just before the first.
    expect(() => new IdentityPool({ slots: 4, ownerUidBase: 1_000_000_000 + 4 * RANGE, mapBase: 1_000_000_000 })).not.toThrow();
    expect(() => new IdentityPool({ slots: 4, ownerUidBase: 999_999_996, mapBase: 1_000_000_000 })).not.toThrow();
  });

  it('refuses ranges beyond the 32-bit uid space', () => {
    expect(() => new IdentityPool({ slots: 70_000, ownerUidBase: 1000, mapBase: 100_000 })).toThrow(/32-bit/);
  });
});

describe('ownsHostUid', () => {
  it('claims the owner uid and exactly the mapped range, nothing of a neighbour', () => {
    const [a, b] = drain(new IdentityPool(opts));
    expect(ownsHostUid(a!, a!.ownerUid)).toBe(true);
    expect(ownsHostUid(a!, a!.mapBase)).toBe(true);
    expect(ownsHostUid(a!, a!.mapBase + RANGE - 1)).toBe(true);
    expect(ownsHostUid(a!, a!.mapBase + RANGE)).toBe(false);
    expect(ownsHostUid(a!, a!.mapBase - 1)).toBe(false);
    expect(ownsHostUid(a!, b!.ownerUid)).toBe(false);
    expect(ownsHostUid(a!, b!.mapBase)).toBe(false);
    expect(ownsHostUid(a!, 0)).toBe(false);
  });
});
