// The backtest's integer lane (integer-fills.ts) against the Decimal path it stands in for: the
// paper venue's matcher, slippage, tick rounding and fee (execution.ts's matchOnCandle and
// affordable), the engine's cash and position arithmetic, and lotsFor's sizing. On random
// instruments, costs, books and orders, every fill the lane makes must be the very fill, fee,
// cash and position the Decimal path makes; where it declines, the Decimal path goes on and the
// lane resumes from its books. The lane must also take a good share of them, or this proves
// nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Decimal,
  ONE,
  ZERO,
  compareDec,
  downByStep,
  downByStepOfQuotient,
  plusDec,
} from "../../../src/lib/decimal.ts";
import {
  type PendingOrder,
  affordable,
  matchOnCandle,
  ratesOf,
} from "../../../src/strategies/backtest/execution.ts";
import { IntegerFills } from "../../../src/strategies/backtest/integer-fills.ts";
import type { BacktestInstrument } from "../../../src/strategies/backtest/types.ts";
import type { Candle } from "../../../src/market/types.ts";

const pow10 = (k: number) => new Decimal(10).pow(-k);

/** A Decimal of `digits` digits with `places` of them after the point. */
const decimalOf = (digits: bigint, places: number) => new Decimal(`${digits}e-${places}`);

const setup = fc.record({
  tickPlaces: fc.integer({ min: 0, max: 6 }),
  lotPlaces: fc.integer({ min: 0, max: 8 }),
  minLots: fc.integer({ min: 0, max: 3 }),
  takerBps: fc.integer({ min: 0, max: 300 }),
  takerBpsPlaces: fc.integer({ min: 0, max: 2 }),
  slippageBps: fc.integer({ min: 0, max: 500 }),
  slippageBpsPlaces: fc.integer({ min: 0, max: 2 }),
  feeDecimals: fc.integer({ min: 0, max: 10 }),
  cash: fc.bigInt({ min: 0n, max: 10n ** 9n }),
  cashPlaces: fc.integer({ min: 0, max: 4 }),
});

const step = fc.record({
  buy: fc.boolean(),
  // the order's size as a share of what the books allow (a buy of the cash at the open, a sell
  // of the position), in percent: above 100 now and then, so the Decimal path must cut it
  percent: fc.integer({ min: 1, max: 120 }),
  // now and then a quantity with places beyond the lot
  offGrid: fc.integer({ min: 0, max: 9 }),
  open: fc.bigInt({ min: 1n, max: 10n ** 9n }),
  openPlaces: fc.integer({ min: 0, max: 7 }),
});

function candleAt(open: Decimal): Candle {
  return {
    openTime: new Date(0),
    closeTime: new Date(59_999),
    open,
    high: open,
    low: open,
    close: open,
    volume: ZERO,
  };
}

/** The engine's Decimal path for one market order at one open: the fill and the books after it. */
function byDecimal(
  side: "BUY" | "SELL",
  quantity: Decimal,
  open: Decimal,
  books: { cash: Decimal; position: Decimal },
  instrument: BacktestInstrument,
  rates: ReturnType<typeof ratesOf>,
) {
  const order: PendingOrder = {
    intent: { id: "x", action: "buy", size: { kind: "all" }, orderType: "MARKET", reason: "r" },
    side,
    quantity,
    limitPrice: null,
    placed: false,
  };
  const matched = matchOnCandle(order, candleAt(open), instrument, rates);
  if (!matched) return null;
  const fill = affordable(matched, side, books.cash, books.position, instrument, rates);
  if (!fill) return null;
  const cash =
    side === "BUY"
      ? books.cash.minus(fill.notional).minus(fill.fee)
      : books.cash.plus(fill.notional).minus(fill.fee);
  const position =
    side === "SELL" ? books.position.minus(fill.quantity) : plusDec(books.position, fill.quantity);
  return { fill, cash, position };
}

const same = (a: Decimal, b: Decimal) => compareDec(a, b) === 0;

describe("the integer lane", () => {
  it("fills, charges and books market orders exactly as the Decimal path does", () => {
    let laned = 0;
    let declined = 0;
    let runs = 0;
    fc.assert(
      fc.property(setup, fc.array(step, { minLength: 1, maxLength: 30 }), (s, steps) => {
        const instrument: BacktestInstrument = {
          symbol: "X",
          tickSize: pow10(s.tickPlaces),
          lotSize: pow10(s.lotPlaces),
          minQty: pow10(s.lotPlaces).mul(s.minLots),
        };
        const rates = ratesOf({
          takerFeeBps: decimalOf(BigInt(s.takerBps), s.takerBpsPlaces),
          makerFeeBps: new Decimal(10),
          slippageBps: decimalOf(BigInt(s.slippageBps), s.slippageBpsPlaces),
          feeDecimals: s.feeDecimals,
        });
        const initialCash = decimalOf(s.cash, s.cashPlaces);
        const lane = IntegerFills.open(instrument, rates, initialCash);
        // cash beyond 2^53 units at the lane's places: the Decimal path's run
        if (!lane) return;
        runs++;
        let books = { cash: initialCash, position: ZERO };
        for (const st of steps) {
          const side = st.buy ? "BUY" : "SELL";
          const open = decimalOf(st.open, st.openPlaces);
          const share = new Decimal(st.percent).div(100);
          const onGrid = downByStep(
            st.buy ? books.cash.mul(share).div(open) : books.position.mul(share),
            instrument.lotSize,
          );
          const quantity = st.offGrid === 0 ? onGrid.plus(pow10(s.lotPlaces + 1).mul(3)) : onGrid;
          const expected = byDecimal(side, quantity, open, books, instrument, rates);
          const got = lane.marketAtOpen(side, quantity, open);
          if (got) {
            laned++;
            expect(expected, `${side} ${quantity} at ${open}`).not.toBeNull();
            expect(same(got.quantity, expected!.fill.quantity)).toBe(true);
            expect(got.price.toFixed()).toBe(expected!.fill.price.toFixed());
            expect(got.fee.toFixed()).toBe(expected!.fill.fee.toFixed());
            expect(expected!.fill.liquidity).toBe("TAKER");
            expect(got.cash.toFixed()).toBe(expected!.cash.toFixed());
            expect(got.position.toFixed()).toBe(expected!.position.toFixed());
            // the very Decimals: sign, exponent and words
            expect([got.price.s, got.price.e, got.price.d]).toEqual([
              expected!.fill.price.s,
              expected!.fill.price.e,
              expected!.fill.price.d,
            ]);
          } else {
            declined++;
          }
          if (expected) books = { cash: expected.cash, position: expected.position };
          // as the engine does: the lane goes on from the Decimal path's books, or stops
          if (!got && !lane.resume(books.cash, books.position)) return;
        }
      }),
      { numRuns: 300 },
    );
    // the lane must carry a good share, or this compares nothing (it declines sells without a
    // position, orders the Decimal path cuts to the cash or the position, off-grid quantities)
    expect(runs).toBeGreaterThan(200);
    expect(laned).toBeGreaterThan(250);
    expect(laned).toBeGreaterThan(declined / 4);
  });

  it("declines what it does not fit: ticks and lots that are not powers of ten, cash beyond 2^53", () => {
    const rates = ratesOf({
      takerFeeBps: new Decimal(10),
      makerFeeBps: new Decimal(10),
      slippageBps: new Decimal(5),
      feeDecimals: 8,
    });
    const instrument = {
      symbol: "X",
      tickSize: new Decimal("0.01"),
      lotSize: new Decimal("0.001"),
      minQty: new Decimal("0.001"),
    };
    expect(IntegerFills.open(instrument, rates, new Decimal(10_000))).not.toBeNull();
    expect(IntegerFills.open({ ...instrument, tickSize: new Decimal("0.05") }, rates, ONE)).toBe(
      null,
    );
    expect(IntegerFills.open({ ...instrument, lotSize: ZERO }, rates, ONE)).toBeNull();
    // 10^9 of cash at 8 places is 10^17 units: beyond 2^53
    expect(IntegerFills.open(instrument, rates, new Decimal(1e9))).toBeNull();
    const lane = IntegerFills.open(instrument, rates, new Decimal(100))!;
    // a buy the cash cannot pay for is the Decimal path's (it cuts it)
    expect(lane.marketAtOpen("BUY", new Decimal(1), new Decimal(100))).toBeNull();
    // a sell beyond the position, and a quantity off the lot grid, likewise
    expect(lane.marketAtOpen("SELL", new Decimal("0.5"), new Decimal(100))).toBeNull();
    expect(lane.marketAtOpen("BUY", new Decimal("0.0005"), new Decimal(100))).toBeNull();
    const bought = lane.marketAtOpen("BUY", new Decimal("0.5"), new Decimal(100))!;
    // 100 × 1.0005 = 100.05 (on the tick); 0.5 × 100.05 = 50.025, fee 0.050025
    expect([bought.price, bought.fee, bought.cash, bought.position].map(String)).toEqual([
      "100.05",
      "0.050025",
      "49.924975",
      "0.5",
    ]);
    // the units of its fills, for the round trips, while it made every one
    const sold = lane.marketAtOpen("SELL", new Decimal("0.5"), new Decimal(100))!;
    expect([sold.price, sold.fee, sold.position].map(String)).toEqual(["99.95", "0.049975", "0"]);
    const units = lane.fillUnits()!;
    expect([units.quantity, units.price, units.fee]).toEqual([
      { units: [500, 500], places: 3 },
      { units: [10005, 9995], places: 2 },
      { units: [5002500, 4997500], places: 8 },
    ]);
    expect(lane.resume(sold.cash, sold.position)).toBe(true);
    expect(lane.fillUnits()).toBeNull();
  });

  it("sizes buys by a quote or a share of equity as lotsFor does", () => {
    let laned = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 4 }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 6 }),
        fc.bigInt({ min: 1n, max: 1000n }),
        (lotPlaces, amount, amountPlaces, price, pricePlaces, pct) => {
          const lot = pow10(lotPlaces);
          const cash = decimalOf(amount, amountPlaces);
          const rates = ratesOf({
            takerFeeBps: new Decimal(10),
            makerFeeBps: new Decimal(10),
            slippageBps: ZERO,
            feeDecimals: 8,
          });
          const lane = IntegerFills.open(
            { symbol: "X", tickSize: new Decimal("0.01"), lotSize: lot, minQty: ZERO },
            rates,
            cash,
          );
          if (!lane) return;
          const at = decimalOf(price, pricePlaces);
          const share = decimalOf(pct, 2).div(100);
          const viaQuote = lane.lotsForQuote(cash, at);
          const viaShare = lane.lotsForEquityShare(share, at);
          const expectedQuote = downByStepOfQuotient(cash, at, lot);
          const expectedShare = downByStepOfQuotient(cash.mul(share), at, lot);
          if (viaQuote) {
            laned++;
            expect(viaQuote.toFixed()).toBe(expectedQuote.toFixed());
          }
          if (viaShare) expect(viaShare.toFixed()).toBe(expectedShare.toFixed());
        },
      ),
      { numRuns: 500 },
    );
    expect(laned).toBeGreaterThan(150);
  });
});
