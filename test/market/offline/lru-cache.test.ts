import { describe, expect, it } from "vitest";
import { LruCache } from "../../../src/market/offline/lru-cache.ts";

describe("LruCache", () => {
  it("returns what was stored under (ordinal, index) and nothing else", () => {
    const cache = new LruCache<string>(64);
    cache.set(1, 100, "a");
    cache.set(2, 100, "b");
    cache.set(1, -100, "c");
    expect(cache.get(1, 100)).toBe("a");
    expect(cache.get(2, 100)).toBe("b");
    expect(cache.get(1, -100)).toBe("c");
    expect(cache.get(1, 101)).toBeUndefined();
    cache.set(1, 100, "a2");
    expect(cache.get(1, 100)).toBe("a2");
  });

  it("never holds more than its capacity", () => {
    const cache = new LruCache<number>(100);
    expect(cache.capacity).toBe(128);
    for (let i = 0; i < 10_000; i++) cache.set(i % 7, i, i);
    expect(cache.count()).toBeLessThanOrEqual(128);
    // the most recent entries are still there
    for (let i = 9_990; i < 10_000; i++) expect(cache.get(i % 7, i)).toBe(i);
  });

  it("keeps a recently read entry over older ones in its set", () => {
    const cache = new LruCache<number>(4); // one set of four ways: plain LRU
    for (let i = 0; i < 4; i++) cache.set(0, i, i);
    expect(cache.get(0, 0)).toBe(0); // entry 0 is now the most recent
    cache.set(0, 4, 4); // evicts entry 1, the least recently used
    expect(cache.get(0, 0)).toBe(0);
    expect(cache.get(0, 1)).toBeUndefined();
    expect(cache.get(0, 4)).toBe(4);
  });
});
