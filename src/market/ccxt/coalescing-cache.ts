// A small cache for exchange answers: a value is served while younger than its TTL, callers that
// ask while it is being fetched share that one request, and the last good value of each key is
// kept (with its time) so a caller can fall back to it while the exchange is unreachable.

export interface Cached<V> {
  value: V;
  /** when the value was fetched (ms) */
  at: number;
}

interface Slot<V> {
  good?: Cached<V>;
  inFlight?: Promise<Cached<V>>;
  /** last touched, for eviction */
  used: number;
}

export class CoalescingCache<V> {
  private readonly slots = new Map<string, Slot<V>>();

  constructor(
    private readonly now: () => number,
    /** keys kept at most; the least recently used go first */
    private readonly maxKeys = 2_000,
  ) {}

  /**
   * The value of `key`: cached when younger than `ttlMs`, otherwise from `load` (one load per
   * key at a time, shared by every concurrent caller). A failed load is not cached.
   */
  async get(key: string, ttlMs: number, load: () => Promise<V>): Promise<Cached<V>> {
    const now = this.now();
    let slot = this.slots.get(key);
    if (slot) {
      slot.used = now;
      // re-insert so Map order is least-recently-used first
      this.slots.delete(key);
      this.slots.set(key, slot);
      if (slot.good && now - slot.good.at < ttlMs) return slot.good;
      if (slot.inFlight) return slot.inFlight;
    } else {
      slot = { used: now };
      this.slots.set(key, slot);
      this.evict();
    }
    const s = slot;
    const started = now;
    s.inFlight = load().then(
      (value) => {
        s.inFlight = undefined;
        s.good = { value, at: started };
        return s.good;
      },
      (error: unknown) => {
        s.inFlight = undefined;
        throw error;
      },
    );
    return s.inFlight;
  }

  /** Stores a value fetched elsewhere (a batch request), as if `get` had loaded it at `at`. */
  put(key: string, value: V, at: number): void {
    const slot = this.slots.get(key) ?? { used: at };
    slot.good = { value, at };
    this.slots.delete(key);
    this.slots.set(key, slot);
    this.evict();
  }

  /** Whether `key` holds a value younger than `ttlMs`. */
  fresh(key: string, ttlMs: number): boolean {
    const good = this.slots.get(key)?.good;
    return good !== undefined && this.now() - good.at < ttlMs;
  }

  /** The last value `key` was successfully fetched with, however old. */
  lastGood(key: string): Cached<V> | undefined {
    return this.slots.get(key)?.good;
  }

  clear(): void {
    this.slots.clear();
  }

  private evict(): void {
    while (this.slots.size > this.maxKeys) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) return;
      this.slots.delete(oldest);
    }
  }
}
