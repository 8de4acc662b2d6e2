/**
 * Identities: each sandbox gets its own host uid (the owner of its user namespace) and its own
 * range of 65536 host uids/gids that the namespace's 0..65535 map onto, so `useradd` and `su`
 * work inside and no two sandboxes share an id (user_namespaces(7)). Nothing maps to host root.
 * A slot is released only after its sandbox is fully torn down, so ids are never reused while
 * any process could still hold them.
 */
export const RANGE = 65536;

export interface Identity {
  slot: number;
  /** Host uid that owns the user namespace (the launcher drops to it before unshare). */
  ownerUid: number;
  /** Host uid/gid that uid/gid 0 inside the sandbox is. */
  mapBase: number;
}

export interface IdentityPoolOptions {
  slots: number;
  ownerUidBase: number;
  mapBase: number;
}

export class IdentityPool {
  private readonly used = new Set<number>();

  constructor(private readonly o: IdentityPoolOptions) {
    if (o.ownerUidBase <= 0 || o.mapBase <= 0) throw new Error('identity bases must be positive (never host root)');
    const ownerEnd = o.ownerUidBase + o.slots;
    const mapEnd = o.mapBase + o.slots * RANGE;
    if (ownerEnd > o.mapBase && o.ownerUidBase < mapEnd) throw new Error('owner uids overlap the mapped ranges');
    if (mapEnd > 2 ** 32 - 2) throw new Error('mapped ranges exceed the 32-bit uid space');
  }

  get size(): number {
    return this.o.slots;
  }

  get inUse(): number {
    return this.used.size;
  }

  /** Returns null when every slot is taken. */
  acquire(): Identity | null {
    for (let slot = 0; slot < this.o.slots; slot++) {
      if (this.used.has(slot)) continue;
      this.used.add(slot);
      return { slot, ownerUid: this.o.ownerUidBase + slot, mapBase: this.o.mapBase + slot * RANGE };
    }
    return null;
  }

  release(id: Identity): void {
    this.used.delete(id.slot);
  }
}

/**
 * Whether host uid `uid` belongs to this sandbox: its owner uid or one of its mapped ids. Every
 * process of a sandbox runs as one of these (labsbx drops to the owner uid, and the user
 * namespace maps nothing else), and no two sandboxes share any, so a host uid names a sandbox.
 */
export function ownsHostUid(id: Identity, uid: number): boolean {
  return uid === id.ownerUid || (uid >= id.mapBase && uid < id.mapBase + RANGE);
}
