// The estimate of a trailing stop: it executes when the price turns by the trail, so the card's
// "price if filled" is the trigger (slipped), not today's bid or ask.
import { describe, expect, it } from "vitest";
import { estimateExecution, trailingTrigger } from "../../../src/domain/trading/order-estimate.ts";
import { Decimal } from "../../../src/lib/decimal.ts";

const d = (v: string) => new Decimal(v);
const quote = {
  symbol: "ETHUSDT",
  bid: d("2999.99"),
  ask: d("3000.01"),
  last: d("3000"),
  time: new Date("2026-03-10T12:00:00Z"),
  synthetic: true,
};
const noSlip = { makerFeeRate: d("0.001"), takerFeeRate: d("0.001"), slippageRate: d("0") };
const tick = d("0.01");

describe("trailing stop estimate", () => {
  it("a sell trailing 5 % would trigger 5 % under the last price and is priced there", () => {
    const order = {
      side: "SELL" as const,
      type: "TRAILING" as const,
      quantity: d("2"),
      price: null,
      stopPrice: null,
      trailPercent: d("5"),
    };
    const estimate = estimateExecution(order, quote, noSlip, tick, "USDT");
    expect(estimate.trigger?.toFixed()).toBe("2850");
    expect(estimate.price.toFixed()).toBe("2850");
    expect(estimate.notional.toFixed()).toBe("5700");
    expect(estimate.immediate).toBe(false);
  });

  it("a buy trailing 5 USDT triggers 5 above, on the tick grid, slipped against the buyer", () => {
    const order = { side: "BUY" as const, trailAmount: d("5.005"), trailPercent: null };
    expect(trailingTrigger(order, quote.last, tick)?.toFixed()).toBe("3005.01");
    const estimate = estimateExecution(
      { ...order, type: "TRAILING", quantity: d("1"), price: null, stopPrice: null },
      quote,
      { ...noSlip, slippageRate: d("0.001") },
      tick,
      "USDT",
    );
    expect(estimate.trigger?.toFixed()).toBe("3005.01");
    expect(estimate.price.gt(estimate.trigger!)).toBe(true);
  });

  it("other order types have no trigger", () => {
    const estimate = estimateExecution(
      { side: "BUY", type: "MARKET", quantity: d("1"), price: null, stopPrice: null },
      quote,
      noSlip,
      tick,
      "USDT",
    );
    expect(estimate.trigger).toBeNull();
  });
});
