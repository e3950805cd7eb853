// Grid with levels 100, 110, 120, 130 and 50 per level over closes
//   i:     0    1    2    3    4    5    6
//   close: 125  115  105  112  121  131  118
// 1 crosses 120 down (buy level 120), 2 crosses 110 down (buy level 110), 3 crosses nothing,
// 4 reaches 120 (level 110 sells), 5 reaches 130 (level 120 sells), 6 crosses 120 down again.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/lib/decimal.ts";
import { ValidationError } from "../../src/domain/errors.ts";
import { grid, gridLevels } from "../../src/strategies/kinds/grid.ts";
import { canonicalParams } from "../../src/strategies/params.ts";
import { strategyDefinition } from "../../src/strategies/registry.ts";
import { candlesOf, runStrategy } from "./strategy-harness.ts";

const PARAMS = { lower: 100, upper: 130, levels: 4, quote: 50 };

describe("grid", () => {
  it("is registered under its kind", () => {
    expect(strategyDefinition("grid")).toBe(grid);
  });

  it("spaces levels arithmetically or geometrically", () => {
    expect(gridLevels(grid.params.parse(PARAMS)).map(String)).toEqual(["100", "110", "120", "130"]);
    const geometric = grid.params.parse({ ...PARAMS, upper: 400, levels: 3, spacing: "geometric" });
    expect(gridLevels(geometric).map((l) => l.toDecimalPlaces(10).toString())).toEqual([
      "100",
      "200",
      "400",
    ]);
  });

  it("buys at levels crossed downward and sells each when the next level up is reached", () => {
    const run = runStrategy(grid, PARAMS, candlesOf([125, 115, 105, 112, 121, 131, 118]));
    expect(run.events.map((e) => `${e.intent.id}@${e.at}`)).toEqual([
      "grid-buy-2@1",
      "grid-buy-1@2",
      "grid-sell-1@4",
      "grid-sell-2@5",
      "grid-buy-2@6",
    ]);
    // each level sells exactly what it bought: 50 / 105 at level 110
    expect(run.events[2]!.quantity.eq(new Decimal(50).div(105))).toBe(true);
    expect(run.events[2]!.intent.size).toEqual({
      kind: "quantity",
      value: new Decimal(50).div(105),
    });
    expect(run.events.every((e) => e.intent.reason === "grid")).toBe(true);
    // after the fills only the last buy is held
    expect(Object.keys(run.state.holdings)).toEqual(["2"]);
    expect(new Decimal(run.state.holdings["2"]!).eq(new Decimal(50).div(118))).toBe(true);
  });

  it("a level waits for its fill, and forgets an order that did not fill by the next candle", () => {
    const run = runStrategy(grid, PARAMS, candlesOf([125, 115, 125, 115]), { fill: false });
    // no fill told back: level 120 buys again the next time it is crossed, never sells
    expect(run.events.map((e) => `${e.intent.id}@${e.at}`)).toEqual([
      "grid-buy-2@1",
      "grid-buy-2@3",
    ]);
    expect(run.state.holdings).toEqual({});
  });

  it("refuses an upside-down range and a bad level count", () => {
    const range = (() => {
      try {
        canonicalParams("grid", { ...PARAMS, lower: 130, upper: 100 });
      } catch (e) {
        return e;
      }
    })();
    expect(range).toBeInstanceOf(ValidationError);
    expect((range as ValidationError).key).toBe("error-strategy-grid-range");
    expect(() => canonicalParams("grid", { ...PARAMS, levels: 1 })).toThrow(
      expect.objectContaining({ key: "error-strategy-param-min" }),
    );
    expect(canonicalParams("grid", PARAMS)).toEqual({
      kind: "grid",
      lower: "100",
      upper: "130",
      levels: 4,
      spacing: "ARITHMETIC",
      quote: "50",
      timeframe: "1h",
    });
  });
});
