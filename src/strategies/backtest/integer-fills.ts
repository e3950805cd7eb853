// The backtest's market orders filled, and its buys sized, in integer units: the very fills, fees,
// quantities and books the paper venue's Decimal arithmetic gives (execution.ts: the matcher's
// placement step, pricing's slippage and tick rounding, the fee rounded up to the fee's places,
// lotsFor's sizing, the cash and the position), computed on whole numbers of fixed places —
// prices on the tick's, quantities on the lot's, fees on feeDecimals, cash on the places all of
// them need — and made Decimals once, for what the run keeps.
//
// Why: a year of one-minute candles makes ~9,000 fills, and the ~25 decimal.js operations each
// took, with their copies and garbage, were a third of B8's run.
//
// Exact, not approximate: the integers are held in doubles only while they are whole numbers of
// at most 2^53 − 1, where every sum, difference and product of two of them is exact or lands
// beyond 2^53 − 1, which each step checks (safeInteger); a quotient is taken as
// (a − a mod b) / b, exact for such integers. Money never passes through a fraction of a double. And where the
// Decimal path rounds, these round alike:
//   - decimal.js rounds a sum or a product to 60 significant digits; values under 2^53 have 16,
//     so it never has to, and both are exact;
//   - the tick and the lot are powers of ten (oneSideByStep's case: rounding to their places,
//     which is what ⌈ ⌉ and ⌊ ⌋ on units do), else this lane is not opened;
//   - the fee is rounded up (ROUND_UP, a positive value: the ceiling) to feeDecimals.
// Whatever falls outside (a limit order, a fill cut to the cash or the position, a skip, a price
// or quantity off these places, a value beyond 2^53 − 1 units) takes the Decimal path, and the
// books are read back afterwards; if they do not fit the lane's places any more, the run goes on
// without it. A property test compares both paths fill by fill, and the golden reports are
// unchanged.
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import {
  POW10,
  ceilDiv,
  decimalOfScaled,
  floorDiv,
  safeInteger,
  scaleDigits,
  scaledOf,
  splitDigits,
} from "../../lib/decimal-scaled.ts";
import type { BacktestInstrument } from "./types.ts";
import type { Rates } from "./execution.ts";
import type { FillUnits } from "./trips-in-units.ts";

/** The places a power-of-ten step such as 0.01 stands for (2), else null (0, 5, 0.25 …). */
function powerOfTenPlaces(step: Decimal): number | null {
  if (!step.isFinite() || step.isZero() || step.isNeg()) return null;
  const places = Math.max(0, step.decimalPlaces());
  return scaledOf(step, places) === 1 ? places : null;
}

/** Where an open's digits are read to (one value at a time). */
const coefficient = new Float64Array(1);
const exponent = new Int32Array(1);

/** A fill through the lane, and the books after it. */
export interface LaneFill {
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  cash: Decimal;
  position: Decimal;
}

export class IntegerFills {
  /** the units of the fills the lane made, while it made every one (see fillUnits) */
  private readonly quantities: number[] = [];
  private readonly prices: number[] = [];
  private readonly fees: number[] = [];
  private everyFill = true;

  private constructor(
    /** places of prices (the tick's), quantities (the lot's), the taker fee rate, slippage, fees, cash */
    private readonly p: number,
    private readonly q: number,
    private readonly f: number,
    private readonly r: number,
    private readonly d: number,
    private readonly c: number,
    private readonly minQty: number,
    private readonly takerRate: number,
    /** 1 + slippage and 1 − slippage, at r places */
    private readonly up: number,
    private readonly down: number,
    private cash: number,
    private position: number,
  ) {}

  /** The lane for a run, or null when its instrument or costs do not fit it. */
  static open(
    instrument: BacktestInstrument,
    rates: Rates,
    initialCash: Decimal,
  ): IntegerFills | null {
    const p = powerOfTenPlaces(instrument.tickSize);
    const q = powerOfTenPlaces(instrument.lotSize);
    const d = rates.feeDecimals;
    if (p === null || q === null || !Number.isInteger(d) || d < 0) return null;
    const f = Math.max(0, rates.taker.decimalPlaces());
    const r = Math.max(0, rates.slippage.decimalPlaces());
    const c = Math.max(p + q, d, initialCash.decimalPlaces());
    if (c > 22 || p + q + f > 22 || r > 22) return null;
    const minQty = scaledOf(instrument.minQty, q);
    const takerRate = scaledOf(rates.taker, f);
    const slippage = scaledOf(rates.slippage, r);
    const cash = scaledOf(initialCash, c);
    // NaN (not exact at these places, or beyond 2^53 − 1) fails every comparison
    if (!(minQty >= 0 && takerRate >= 0 && slippage >= 0 && cash >= 0)) return null;
    const one = POW10[r]!;
    if (slippage >= one) return null; // 1 − slippage ≤ 0: a sell's price is not positive
    return new IntegerFills(
      p,
      q,
      f,
      r,
      d,
      c,
      minQty,
      takerRate,
      one + slippage,
      one - slippage,
      cash,
      0,
    );
  }

  /**
   * A market order's fill at the open of its first candle (the venue's placement step: a taker
   * at the open moved by slippage and rounded against the taker), with the books moved; null when
   * the Decimal path must take it (nothing is changed then).
   */
  marketAtOpen(side: "BUY" | "SELL", quantity: Decimal, open: Decimal): LaneFill | null {
    const buy = side === "BUY";
    const qty = scaledOf(quantity, this.q);
    if (!(qty > 0) || qty < this.minQty || (!buy && qty > this.position)) return null;
    // the open at its own places (at least the tick's), and one tick at the slipped price's
    if (!splitDigits(open, coefficient, exponent, 0) || !(coefficient[0]! > 0)) return null;
    const o = Math.max(this.p, -exponent[0]!);
    const openUnits = scaleDigits(coefficient[0]!, exponent[0]!, o);
    const tickAt = o + this.r - this.p;
    if (!(openUnits > 0) || tickAt > 22) return null;
    const raw = openUnits * (buy ? this.up : this.down);
    if (!safeInteger(raw)) return null;
    let price = buy ? ceilDiv(raw, POW10[tickAt]!) : floorDiv(raw, POW10[tickAt]!);
    if (price < 1) price = 1; // never below one tick
    const notional = qty * price; // at q + p places
    const feeRaw = notional * this.takerRate; // at q + p + f places
    if (!safeInteger(feeRaw) || !safeInteger(notional)) return null;
    const over = this.q + this.p + this.f - this.d;
    const fee = over > 0 ? ceilDiv(feeRaw, POW10[over]!) : feeRaw * POW10[-over]!;
    const notionalCash = notional * POW10[this.c - this.q - this.p]!;
    const feeCash = fee * POW10[this.c - this.d]!;
    if (!safeInteger(fee) || !safeInteger(notionalCash) || !safeInteger(feeCash)) return null;
    // a buy the cash cannot pay for, fee included, is cut by the Decimal path
    const total = notionalCash + feeCash;
    if (buy && !(safeInteger(total) && total <= this.cash)) return null;
    const moved = buy ? this.cash - notionalCash : this.cash + notionalCash;
    const cash = moved - feeCash;
    if (!safeInteger(moved) || !safeInteger(cash)) return null;
    this.cash = cash;
    const before = this.position;
    this.position = buy ? before + qty : before - qty;
    this.quantities.push(qty);
    this.prices.push(price);
    this.fees.push(fee);
    return {
      quantity,
      price: decimalOfScaled(price, this.p),
      fee: decimalOfScaled(fee, this.d),
      cash: decimalOfScaled(cash, this.c),
      // a buy from flat holds its own quantity (the same value plusDec gives)
      position:
        this.position === 0
          ? ZERO
          : before === 0
            ? quantity
            : decimalOfScaled(this.position, this.q),
    };
  }

  /**
   * lotsFor(quote, price, lot) — a buy of the amount `quote` at `price` on the lot grid — in
   * units; null when the Decimal path must size it (a value off the places that fit, or less
   * than one lot).
   */
  lotsForQuote(quote: Decimal, price: Decimal): Decimal | null {
    if (!splitDigits(quote, coefficient, exponent, 0)) return null;
    const places = Math.max(0, -exponent[0]!);
    return this.lots(scaleDigits(coefficient[0]!, exponent[0]!, places), places, price);
  }

  /**
   * lotsFor(equity × share, price, lot) while the books hold no position — the equity is then
   * the cash — in units; null when the Decimal path must size it.
   */
  lotsForEquityShare(share: Decimal, price: Decimal): Decimal | null {
    if (this.position !== 0 || !splitDigits(share, coefficient, exponent, 0)) return null;
    const places = Math.max(0, -exponent[0]!);
    const units = scaleDigits(coefficient[0]!, exponent[0]!, places);
    // equity × share is exact in decimal.js (far fewer than 60 digits), as it is here
    const amount = this.cash * units;
    return safeInteger(amount) ? this.lots(amount, this.c + places, price) : null;
  }

  /**
   * ⌊amount / price⌋ on the lot grid, amount being `amount` units of `places` places. It is what
   * downByStepOfQuotient gives: the floor of the exact quotient, which decimal.js's division to
   * 60 digits cannot carry across a lot here (a quotient of integers below 2^53 that is not whole
   * is at least 10^-16 from one; the division moves it by less than 10^-40).
   */
  private lots(amount: number, places: number, price: Decimal): Decimal | null {
    if (!(amount > 0) || !splitDigits(price, coefficient, exponent, 0)) return null;
    const pricePlaces = Math.max(0, -exponent[0]!);
    const priceUnits = scaleDigits(coefficient[0]!, exponent[0]!, pricePlaces);
    if (!(priceUnits > 0)) return null;
    // amount / price in lots: amount × 10^(q + pricePlaces − places) / priceUnits
    const shift = this.q + pricePlaces - places;
    if (shift > 22 || shift < -22) return null;
    const top = shift >= 0 ? amount * POW10[shift]! : amount;
    const bottom = shift >= 0 ? priceUnits : priceUnits * POW10[-shift]!;
    if (!safeInteger(top) || !safeInteger(bottom)) return null;
    const lots = floorDiv(top, bottom);
    return lots >= 1 ? decimalOfScaled(lots, this.q) : null;
  }

  /**
   * The units of every fill of the run, in order, when the lane made them all (trips-in-units.ts
   * reads them instead of the fills' Decimals); null once the Decimal path made one.
   */
  fillUnits(): FillUnits | null {
    if (!this.everyFill) return null;
    return {
      quantity: { units: this.quantities, places: this.q },
      price: { units: this.prices, places: this.p },
      fee: { units: this.fees, places: this.d },
    };
  }

  /**
   * The books after a fill the Decimal path made: false when they do not fit the lane's places
   * (the run then goes on without the lane).
   */
  resume(cash: Decimal, position: Decimal): boolean {
    this.everyFill = false; // a fill the lane did not make: its units are not kept
    const c = scaledOf(cash, this.c);
    const q = scaledOf(position, this.q);
    if (Number.isNaN(c) || Number.isNaN(q)) return false;
    this.cash = c;
    this.position = q;
    return true;
  }
}
