import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  INTERVALS,
  alignDown,
  intervalMs,
  isInterval,
  parseInterval,
} from "../../src/market/intervals.ts";

describe("parseInterval", () => {
  it("accepts every canonical interval as is", () => {
    for (const interval of INTERVALS) expect(parseInterval(interval)).toBe(interval);
  });

  it("ignores case and surrounding blanks and knows common aliases", () => {
    expect(parseInterval(" 1H ")).toBe("1h");
    expect(parseInterval("60m")).toBe("1h");
    expect(parseInterval("15min")).toBe("15m");
    expect(parseInterval("D")).toBe("1d");
    expect(parseInterval("daily")).toBe("1d");
    expect(parseInterval("240m")).toBe("4h");
  });

  it("rejects anything else", () => {
    for (const text of ["", "2m", "1w", "1M", "h1", "1 h", "-1m", "1mm", "1d1"]) {
      expect(parseInterval(text)).toBeNull();
    }
  });

  it("never returns something that is not an interval", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseInterval(text);
        return parsed === null || isInterval(parsed);
      }),
    );
  });
});

describe("intervalMs and alignDown", () => {
  it("gives each interval's length", () => {
    expect(intervalMs("1m")).toBe(60_000);
    expect(intervalMs("5m")).toBe(300_000);
    expect(intervalMs("15m")).toBe(900_000);
    expect(intervalMs("30m")).toBe(1_800_000);
    expect(intervalMs("1h")).toBe(3_600_000);
    expect(intervalMs("4h")).toBe(14_400_000);
    expect(intervalMs("1d")).toBe(86_400_000);
  });

  it("aligns candles to UTC boundaries", () => {
    const t = Date.parse("2026-03-14T15:09:26.535Z");
    expect(new Date(alignDown(t, "1m")).toISOString()).toBe("2026-03-14T15:09:00.000Z");
    expect(new Date(alignDown(t, "15m")).toISOString()).toBe("2026-03-14T15:00:00.000Z");
    expect(new Date(alignDown(t, "4h")).toISOString()).toBe("2026-03-14T12:00:00.000Z");
    expect(new Date(alignDown(t, "1d")).toISOString()).toBe("2026-03-14T00:00:00.000Z");
  });

  it("puts every time inside the candle it aligns to", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 4e12 }),
        fc.constantFrom(...INTERVALS),
        (t, interval) => {
          const open = alignDown(t, interval);
          return open <= t && t < open + intervalMs(interval) && open % intervalMs(interval) === 0;
        },
      ),
    );
  });
});
