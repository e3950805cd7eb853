// Reads kept between updates, served only while none of the tables they came from has been
// written (write-tracker.ts): the user behind an update, their active portfolio and their session
// are read on every update and change rarely.
//
// Only sound when this process is the database's only writer — one bot instance (long polling
// allows no second one, see app.ts); with several instances behind a webhook, another instance's
// write would go unseen, so the app turns caching off there (ReadCache.disabled). The entries also
// expire after TTL_MS, so a write made from outside (a maintenance script) is seen within it.
import type { WriteTracker } from "./write-tracker.ts";

/** the longest an entry is served, whatever the tracker says */
export const READ_CACHE_TTL_MS = 60_000;
/** entries kept per cache (the least recently stored goes first) */
export const READ_CACHE_SIZE = 1_000;

interface Entry<V> {
  value: V;
  version: number;
  at: number;
}

export class ReadCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  /** a cache that stores nothing: every get() loads */
  static disabled<V>(): ReadCache<V> {
    return new ReadCache<V>(null, []);
  }

  /**
   * @param tracker the database's write tracker; null: caching off
   * @param tables what the loaded values are read from
   */
  constructor(
    private readonly tracker: WriteTracker | null,
    private readonly tables: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The value stored under `key` while still valid, else what `load` reads (then stored). Values
   * are shared between callers, so they are frozen: nobody may change one in place.
   */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.tracker) return load();
    // the version before the read: a write while it runs leaves the entry stale at once
    const version = this.tracker.version(this.tables);
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.version === version && now - hit.at < READ_CACHE_TTL_MS) return hit.value;
    const value = await load();
    if (value !== null && typeof value === "object") Object.freeze(value);
    this.entries.delete(key);
    if (this.entries.size >= READ_CACHE_SIZE)
      this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, version, at: now });
    return value;
  }
}
