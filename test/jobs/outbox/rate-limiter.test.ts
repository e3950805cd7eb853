// The sliding-window limiter: never more than N sends in any window, and never holding back a
// send the limit allows (checked against a brute-force count over random schedules).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MultiWindow,
  SlidingWindow,
  TELEGRAM_LIMITS,
  allowedRate,
  chatWindows,
  scaleLimits,
} from "../../../src/jobs/outbox/rate-limiter.ts";

/** Sends in (t − window, t]. */
function inWindow(times: number[], t: number, windowMs: number): number {
  return times.filter((x) => x > t - windowMs && x <= t).length;
}

describe("SlidingWindow", () => {
  it("allows a burst of N, then the next one exactly when the oldest leaves the window", () => {
    const w = new SlidingWindow({ limit: 3, windowMs: 1000 });
    for (const t of [0, 10, 20]) {
      expect(w.waitMs(t)).toBe(0);
      w.record(t);
    }
    expect(w.waitMs(20)).toBe(980);
    expect(w.waitMs(999)).toBe(1);
    expect(w.waitMs(1000)).toBe(0);
    w.record(1000);
    expect(w.waitMs(1000)).toBe(10);
  });

  it("holds a slot from dispatch and logs the send when its answer arrives", () => {
    const w = new SlidingWindow({ limit: 2, windowMs: 1000 });
    w.reserve();
    w.reserve();
    // both in flight: nothing to wait for but an answer
    expect(w.waitMs(0)).toBe(Number.POSITIVE_INFINITY);
    w.settle(40);
    // the window counts from the answer (the latest the server can have counted it)
    expect(w.waitMs(50)).toBe(990);
    w.settle(30); // answers can come back out of order
    expect(w.waitMs(50)).toBe(980);
    expect(w.waitMs(1030)).toBe(0);
  });

  it("adds its margin to every window", () => {
    const w = new SlidingWindow({ limit: 1, windowMs: 1000 }, 15);
    w.record(0);
    expect(w.waitMs(0)).toBe(1015);
  });

  it("is exact: greedy sending never exceeds N per window and never waits needlessly (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 10, max: 500 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }),
        (limit, windowMs, gaps) => {
          const w = new SlidingWindow({ limit, windowMs });
          const sent: number[] = [];
          let t = 0;
          for (const gap of gaps) {
            t += gap;
            const wait = w.waitMs(t);
            // waiting is needed exactly when the window is full (with the boundary excluded)
            expect(wait > 0).toBe(inWindow(sent, t, windowMs) >= limit);
            const at = t + wait;
            expect(inWindow(sent, at, windowMs)).toBeLessThan(limit);
            w.record(at);
            sent.push(at);
            t = at;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("limits", () => {
  it("give groups a per-minute window on top of the per-chat one", () => {
    expect(chatWindows(TELEGRAM_LIMITS, "PRIVATE")).toEqual([{ limit: 1, windowMs: 1000 }]);
    // scaled tenfold: one send per 100 ms to a chat, not ten in a burst
    expect(chatWindows(scaleLimits(TELEGRAM_LIMITS, 10), "PRIVATE")).toEqual([
      { limit: 1, windowMs: 100 },
    ]);
    expect(chatWindows({ ...TELEGRAM_LIMITS, perChatBurst: 3 }, "PRIVATE")).toEqual([
      { limit: 3, windowMs: 3000 },
    ]);
    expect(chatWindows(TELEGRAM_LIMITS, "SUPERGROUP")).toEqual([
      { limit: 1, windowMs: 1000 },
      { limit: 20, windowMs: 60_000 },
    ]);
    const group = new MultiWindow(chatWindows(TELEGRAM_LIMITS, "GROUP"));
    let t = 0;
    for (let i = 0; i < 20; i++) {
      t += group.waitMs(t);
      group.record(t);
    }
    // 20 sends a second apart, then the minute window holds the 21st until the first leaves it
    expect(t).toBe(19_000);
    expect(group.waitMs(t)).toBe(41_000);
  });

  it("compute the allowed rate: the global limit or the sum of per-chat limits, whichever is lower", () => {
    expect(allowedRate(TELEGRAM_LIMITS, ["PRIVATE", "PRIVATE"])).toBe(2);
    expect(allowedRate(TELEGRAM_LIMITS, Array(50).fill("PRIVATE"))).toBe(30);
    expect(allowedRate(TELEGRAM_LIMITS, ["GROUP", "CHANNEL", "GROUP"])).toBe(1);
    expect(allowedRate(scaleLimits(TELEGRAM_LIMITS, 10), Array(200).fill("PRIVATE"))).toBe(300);
  });
});
