// A bounded cache of computed path levels, keyed by (instrument ordinal, time index).
//
// Organised like a CPU cache: 4-way set associative with least-recently-used replacement inside
// each set. Lookups are O(1), a hit allocates nothing, and memory is fixed at `capacity` entries;
// the price is that eviction is LRU per set rather than globally. The generator's caches are
// pure optimisations (every value can be recomputed bit for bit), so an eviction only costs time,
// never correctness. (A Map-based LRU spent more time re-inserting keys and collecting garbage
// than the generator spent computing prices.)

const WAYS = 4;

export class LruCache<V> {
  private readonly ordinals: Int32Array;
  private readonly indices: Int32Array;
  private readonly stamps: Float64Array;
  private readonly values: (V | undefined)[];
  private readonly setMask: number;
  private clock = 0;

  /** `capacity` is rounded up to a power of two, at least 4 entries. */
  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1: ${capacity}`);
    const sets = 2 ** Math.ceil(Math.log2(Math.max(1, capacity / WAYS)));
    this.setMask = sets - 1;
    const size = sets * WAYS;
    this.ordinals = new Int32Array(size).fill(-1);
    this.indices = new Int32Array(size);
    this.stamps = new Float64Array(size);
    this.values = new Array<V | undefined>(size).fill(undefined);
  }

  get capacity(): number {
    return this.values.length;
  }

  private firstSlot(ordinal: number, index: number): number {
    let h = Math.imul(index ^ (index >>> 15), 0x2c1b3c6d) ^ Math.imul(ordinal + 1, 0x297a2d39);
    h ^= h >>> 13;
    return (h & this.setMask) * WAYS;
  }

  get(ordinal: number, index: number): V | undefined {
    const first = this.firstSlot(ordinal, index);
    for (let slot = first; slot < first + WAYS; slot++) {
      if (this.ordinals[slot] === ordinal && this.indices[slot] === index) {
        this.stamps[slot] = ++this.clock;
        return this.values[slot];
      }
    }
    return undefined;
  }

  set(ordinal: number, index: number, value: V): void {
    const first = this.firstSlot(ordinal, index);
    let victim = first;
    for (let slot = first; slot < first + WAYS; slot++) {
      if (this.ordinals[slot] === ordinal && this.indices[slot] === index) {
        victim = slot;
        break;
      }
      if (this.stamps[slot]! < this.stamps[victim]!) victim = slot;
    }
    this.ordinals[victim] = ordinal;
    this.indices[victim] = index;
    this.stamps[victim] = ++this.clock;
    this.values[victim] = value;
  }

  /** Number of cached entries (for tests and diagnostics). */
  count(): number {
    let n = 0;
    for (const v of this.values) if (v !== undefined) n++;
    return n;
  }
}
