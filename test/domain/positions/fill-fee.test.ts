// positionFill (fill-fee.ts): how a fee reaches the position by the asset it was charged in.
// Properties: with buys charged in the coin bought and sells in the quote (Binance's default),
// the replayed position holds exactly what the account holds, and realized + unrealized − fees
// equals the change in what the account is worth at any mark; the fixed-point fold the
// recompute uses agrees digit for digit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feeKind, positionFill } from "../../../src/domain/positions/fill-fee.ts";
import { replayFillsFixed } from "../../../src/domain/positions/position-fixed.ts";
import {
  type FillInput,
  replayFills,
  unrealizedPnl,
} from "../../../src/domain/positions/position-math.ts";
import { Decimal, roundForStorage } from "../../../src/lib/decimal.ts";

const d = (s: string) => new Decimal(s);
const BTC = { currency: "USDT", baseAsset: "BTC" };

describe("positionFill", () => {
  it("classifies the fee asset against the instrument", () => {
    expect(feeKind(null, BTC)).toBe("quote");
    expect(feeKind("USDT", BTC)).toBe("quote");
    expect(feeKind("BTC", BTC)).toBe("base");
    expect(feeKind("BNB", BTC)).toBe("other");
    expect(feeKind("BTC", { currency: "USDT", baseAsset: null })).toBe("other");
  });

  it("takes a base-asset fee out of the quantity and counts its value at the fill price", () => {
    const base = { price: d("90000"), fee: d("0.00001"), feeCurrency: "BTC", feeValue: null };
    expect(positionFill({ ...base, side: "BUY", quantity: d("0.01") }, BTC)).toEqual({
      side: "BUY",
      quantity: d("0.00999"),
      price: d("90000"),
      fee: d("0.9"),
    });
    expect(positionFill({ ...base, side: "SELL", quantity: d("0.01") }, BTC).quantity).toEqual(
      d("0.01001"),
    );
  });

  it("counts a third-asset fee at its stored value, or not at all when unpriced", () => {
    const fill = {
      side: "BUY" as const,
      quantity: d("1"),
      price: d("100"),
      fee: d("0.0001"),
      feeCurrency: "BNB",
    };
    expect(positionFill({ ...fill, feeValue: d("0.088") }, BTC).fee).toEqual(d("0.088"));
    expect(positionFill({ ...fill, feeValue: null }, BTC)).toEqual({
      side: "BUY",
      quantity: d("1"),
      price: d("100"),
      fee: d("0"),
    });
  });

  const tradeArb = fc.record({
    buy: fc.boolean(),
    qty: fc.integer({ min: 1, max: 5_000_000 }), // satoshis
    price: fc.integer({ min: 100_000, max: 9_000_000 }), // cents
    rateBps: fc.integer({ min: 0, max: 100 }),
  });

  it("holds what the account holds and keeps PnL equal to the account's change in value", () => {
    fc.assert(
      fc.property(
        fc.array(tradeArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 100_000, max: 9_000_000 }),
        (trades, markCents) => {
          let base = d("0");
          let quote = d("0");
          const fills: FillInput[] = [];
          for (const t of trades) {
            const qty = d(String(t.qty)).div(1e8);
            const price = d(String(t.price)).div(100);
            const rate = d(String(t.rateBps)).div(10_000);
            // a sell can only sell what the account holds
            if (!t.buy && qty.gt(base)) continue;
            const notional = qty.mul(price);
            if (t.buy) {
              const fee = qty.mul(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
              if (fee.gte(qty)) continue;
              base = base.plus(qty).minus(fee);
              quote = quote.minus(notional);
              fills.push(
                positionFill(
                  { side: "BUY", quantity: qty, price, fee, feeCurrency: "BTC", feeValue: null },
                  BTC,
                ),
              );
            } else {
              const fee = notional.mul(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
              base = base.minus(qty);
              quote = quote.plus(notional).minus(fee);
              fills.push(
                positionFill(
                  { side: "SELL", quantity: qty, price, fee, feeCurrency: "USDT", feeValue: null },
                  BTC,
                ),
              );
            }
          }
          if (!fills.length) return;
          const position = replayFills(fills);
          expect(position.quantity.toFixed()).toBe(base.toFixed());
          expect(replayFillsFixed(fills)).toEqual(position);
          // account value change = quote spent/received + coins held at the mark; the position's
          // figures differ from it only by the storage rounding of averages and fee values
          const mark = d(String(markCents)).div(100);
          const worth = quote.plus(base.mul(mark));
          const pnl = position.realizedPnl.plus(unrealizedPnl(position, mark)).minus(position.fees);
          expect(roundForStorage(pnl.minus(worth)).abs().lte(d("1e-9"))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
