// B8 at a small size, so the benchmark cannot rot unnoticed: the backtest of ma-cross and the
// plain crossover loop find the very same crossovers on generated candles, and the result has the
// shape the harness prints. The timings mean nothing here.
import { describe, expect, it } from "vitest";
import {
  b8Result,
  expectedFills,
  floorSignals,
  generateCandles,
  measureB8,
} from "../../../scripts/bench/b8-backtest.ts";
import { renderResult } from "../../../scripts/bench/index.ts";

describe("B8 backtest bench (smoke size)", () => {
  it("generates the same candles for the same seed, each opening at the previous close", () => {
    const a = generateCandles(500);
    const b = generateCandles(500);
    expect(a.map((c) => c.close.toFixed())).toEqual(b.map((c) => c.close.toFixed()));
    for (let i = 1; i < a.length; i++) {
      expect(a[i]!.open).toBe(a[i - 1]!.close);
      expect(a[i]!.high.gte(a[i]!.close) && a[i]!.low.lte(a[i]!.open)).toBe(true);
    }
  });

  it("derives fills from signals: buy after a golden cross while flat, sell after a death cross while long", () => {
    const fills = expectedFills(
      [
        { at: 3, kind: "death" },
        { at: 5, kind: "golden" },
        { at: 9, kind: "death" },
        { at: 12, kind: "death" },
        { at: 19, kind: "golden" },
      ],
      20,
    );
    expect(fills).toEqual(["B@6", "S@10"]);
  });

  it("finds the floor's crossovers through the backtest and prints the goals", async () => {
    const f = await measureB8({
      candles: 6000,
      rulesCandles: 3000,
      repeats: 1,
      inProcess: true,
    });
    expect(floorSignals(generateCandles(6000)).length).toBeGreaterThan(10);
    expect(f.backtest.fills.length).toBeGreaterThan(10);
    expect(f.sameCrossovers).toBe(true);
    expect(f.backtest.fills).toEqual(f.floor.fills);
    expect(f.ratio).toBeCloseTo(f.backtest.seconds / f.floor.seconds, 9);
    const result = b8Result(f);
    expect(result.summary).toMatch(/goal < 2 s: (met|missed)/);
    expect(result.summary).toMatch(/Same crossovers as the floor: yes/);
    expect(f.rules.candles).toBe(3000);
    expect(f.rules.fills.length).toBeGreaterThan(0);
    expect(result.summary).toMatch(/Rules kind .* over 3,000 candles: \d/);
    // through the pool as /backtest runs it: the same fills, in a new thread and a reused one
    expect(f.pool.candles).toBe(6000);
    expect(f.pool.newThread.fills).toBe(f.backtest.fills.length);
    expect(f.pool.reusedThread.fills).toBe(f.backtest.fills.length);
    expect(result.summary).toMatch(/As \/backtest runs it .* stalled at most \d+ ms/);
    const json = JSON.parse(renderResult(result, 1).split("\n").at(-1)!.slice(6)) as object;
    expect(json).toMatchObject({ id: "B8", sizes: { candles: 6000 }, sameCrossovers: true });
  });
});
