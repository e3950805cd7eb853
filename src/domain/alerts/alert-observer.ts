// One look at an alert's condition: the market (or position, or risk) data it needs, reduced to
// a side (see alert-trigger.ts) and the numbers behind it, rounded for the notification.
//
// Indicator conditions use the series as it stands now (the last candle still forming), the way
// a live chart shows it. Definitions worth knowing:
//   PRICE_MOVE     change = last price vs the close of the 1m candle `window` ago
//   BB_TOUCH       the forming candle's high ≥ upper band (low ≤ lower band)
//   ATR_MOVE       |last − previous close| ≥ k × ATR, ATR over the closed candles only
//   POSITION_PNL   unrealized PnL of the position (all strategies of that instrument in the
//                  portfolio together) at or below a negative threshold / at or above a positive
//                  one; "percent" is relative to the cost basis
//   POSITION_DRAWDOWN  long: (peak − last) / peak, short: (last − trough) / trough, where the peak
//                  starts at the better of the average cost and the price when first seen and
//                  follows the best price seen at each evaluation
//   RISK_USAGE     the highest usedPct among the portfolio's rules (or the named rule)
import { type Decimal, ZERO, dec, maxDec, minDec } from "../../lib/decimal.ts";
import type { Interval } from "../../market/types.ts";
import { closedPart, atrOf, bandsOf, macdOf } from "../indicators/indicator-compute.ts";
import { type IndicatorSpec, formatIndicator, valueStyle } from "../indicators/indicator-spec.ts";
import type { IndicatorSnapshot } from "../indicators/indicator-snapshot.ts";
import { plainNumber, roundForDisplay, roundTo } from "../indicators/rounding.ts";
import type { AlertCondition } from "./alert-config.ts";
import type { AlertState, Side } from "./alert-trigger.ts";
import type { RiskUsage } from "./risk-usage.ts";

/** A position's numbers, all strategies of one instrument in one portfolio together. */
export interface PositionMark {
  quantity: Decimal;
  /** weighted average cost of the open quantity */
  avgPrice: Decimal;
  lastPrice: Decimal;
  unrealized: Decimal;
  /** |quantity| × average cost */
  basis: Decimal;
  currency: string;
}

/** Where an observation gets its data; the service memoizes each source for one run. */
export interface ObservationSources {
  lastPrice(symbol: string): Promise<Decimal>;
  /** close of the 1m candle containing `at`, null when unknown */
  priceAt(symbol: string, at: Date): Promise<Decimal | null>;
  snapshot(symbol: string, interval: Interval, specs: IndicatorSpec[]): Promise<IndicatorSnapshot>;
  /** null when the portfolio holds no open position in the symbol */
  position(portfolioId: number, symbol: string): Promise<PositionMark | null>;
  /** null when no risk usage source is configured */
  riskUsage(userId: number, portfolioId: number): Promise<RiskUsage[] | null>;
}

export type MissingReason = "no-data" | "no-position" | "no-portfolio" | "no-risk-source";

export interface Observation {
  side: Side | null;
  /** the numbers behind the side, rounded for display, as plain decimal strings */
  values: Record<string, string>;
  /** state besides the side (the drawdown peak) */
  extra: Pick<AlertState, "peak" | "peakSide">;
  missing: MissingReason | null;
}

export interface ObservedAlert {
  userId: number;
  portfolioId: number | null;
  condition: AlertCondition;
  state: AlertState;
}

const inOut = (yes: boolean): Side => (yes ? "in" : "out");

function none(missing: MissingReason, extra: Observation["extra"] = {}): Observation {
  return { side: null, values: {}, extra, missing };
}

function num(value: number, style: Parameters<typeof roundForDisplay>[1] = "price"): string {
  return plainNumber(roundForDisplay(value, style));
}

function pct(value: Decimal): string {
  return value.toDecimalPlaces(2).toFixed();
}

export async function observe(
  alert: ObservedAlert,
  sources: ObservationSources,
  now: Date,
): Promise<Observation> {
  const c = alert.condition;
  switch (c.kind) {
    case "PRICE_LEVEL": {
      const price = await sources.lastPrice(c.symbol);
      const level = dec(c.level);
      const hit = c.direction === "above" ? price.gte(level) : price.lte(level);
      return {
        side: inOut(hit),
        values: { price: price.toFixed(), level: c.level },
        extra: {},
        missing: null,
      };
    }
    case "PRICE_MOVE": {
      const [price, reference] = await Promise.all([
        sources.lastPrice(c.symbol),
        sources.priceAt(c.symbol, new Date(now.getTime() - c.windowMs)),
      ]);
      if (!reference || reference.isZero()) return none("no-data");
      const change = price.minus(reference).div(reference).mul(100);
      const threshold = dec(c.percent);
      const hit =
        c.direction === "up"
          ? change.gte(threshold)
          : c.direction === "down"
            ? change.lte(threshold.neg())
            : change.abs().gte(threshold);
      return {
        side: inOut(hit),
        values: { price: price.toFixed(), reference: reference.toFixed(), changePct: pct(change) },
        extra: {},
        missing: null,
      };
    }
    case "INDICATOR_LEVEL": {
      const snap = await sources.snapshot(c.symbol, c.interval, [c.indicator]);
      const value = snap.value(c.indicator);
      if (value === null || snap.price === null) return none("no-data");
      const hit = c.direction === "above" ? value >= c.level : value <= c.level;
      return {
        side: inOut(hit),
        values: {
          indicator: formatIndicator(c.indicator),
          value: num(value, valueStyle(c.indicator)),
          level: plainNumber(c.level),
          price: num(snap.price),
        },
        extra: {},
        missing: null,
      };
    }
    case "MA_CROSS": {
      const snap = await sources.snapshot(c.symbol, c.interval, [c.fast, c.slow]);
      const fast = snap.value(c.fast);
      const slow = snap.value(c.slow);
      if (fast === null || slow === null) return none("no-data");
      return {
        side: fast > slow ? "above" : "below",
        values: { fast: num(fast), slow: num(slow), price: num(snap.price ?? fast) },
        extra: {},
        missing: null,
      };
    }
    case "MACD_CROSS": {
      const snap = await sources.snapshot(c.symbol, c.interval, [c.indicator]);
      const macd = macdOf(c.indicator, snap.series.close);
      if (!macd) return none("no-data");
      return {
        side: macd.macd > macd.signal ? "above" : "below",
        values: { macd: num(macd.macd), signal: num(macd.signal), histogram: num(macd.histogram) },
        extra: {},
        missing: null,
      };
    }
    case "BB_TOUCH": {
      const snap = await sources.snapshot(c.symbol, c.interval, [c.indicator]);
      const bands = bandsOf(c.indicator, snap.series.close);
      const i = snap.series.length - 1;
      if (!bands || i < 0) return none("no-data");
      const reach = c.band === "upper" ? snap.series.high[i]! : snap.series.low[i]!;
      const band = bands[c.band];
      const hit = c.band === "upper" ? reach >= band : reach <= band;
      return {
        side: inOut(hit),
        values: { band: num(band), reach: num(reach), price: num(snap.series.close[i]!) },
        extra: {},
        missing: null,
      };
    }
    case "ATR_MOVE": {
      // one candle more than the ATR itself needs: the forming candle is left out of it
      const snap = await sources.snapshot(c.symbol, c.interval, [
        { kind: "ATR", period: c.indicator.period + 1 },
      ]);
      const n = snap.series.length;
      const atr = n >= 2 ? atrOf(closedPart(snap.series), c.indicator.period) : null;
      if (atr === null || !(atr > 0)) return none("no-data");
      const price = snap.series.close[n - 1]!;
      const previousClose = snap.series.close[n - 2]!;
      const ratio = Math.abs(price - previousClose) / atr;
      return {
        side: inOut(ratio >= c.multiplier),
        values: {
          price: num(price),
          previousClose: num(previousClose),
          atr: num(atr),
          ratio: plainNumber(roundTo(ratio, 2)),
          multiplier: plainNumber(c.multiplier),
        },
        extra: {},
        missing: null,
      };
    }
    case "POSITION_PNL": {
      if (alert.portfolioId === null) return none("no-portfolio");
      const p = await sources.position(alert.portfolioId, c.symbol);
      if (!p) return none("no-position");
      const threshold = dec(c.threshold);
      const unrealizedPct = p.basis.isZero() ? null : p.unrealized.div(p.basis).mul(100);
      const measured = c.unit === "amount" ? p.unrealized : unrealizedPct;
      if (measured === null) return none("no-data");
      const hit = threshold.isNeg() ? measured.lte(threshold) : measured.gte(threshold);
      return {
        side: inOut(hit),
        values: {
          unrealized: p.unrealized.toDecimalPlaces(2).toFixed(),
          unrealizedPct: unrealizedPct ? pct(unrealizedPct) : "",
          price: p.lastPrice.toFixed(),
          quantity: p.quantity.toFixed(),
          currency: p.currency,
          threshold: c.threshold,
        },
        extra: {},
        missing: null,
      };
    }
    case "POSITION_DRAWDOWN": {
      if (alert.portfolioId === null) return none("no-portfolio");
      const p = await sources.position(alert.portfolioId, c.symbol);
      if (!p) return none("no-position", { peak: null, peakSide: null });
      const side = p.quantity.isNeg() ? "short" : "long";
      const previous =
        alert.state.peak && alert.state.peakSide === side ? dec(alert.state.peak) : null;
      const start =
        previous ??
        (side === "long" ? maxDec(p.avgPrice, p.lastPrice) : minDec(p.avgPrice, p.lastPrice));
      const peak = side === "long" ? maxDec(start, p.lastPrice) : minDec(start, p.lastPrice);
      if (!peak.gt(0)) return none("no-data");
      const drawdown =
        side === "long"
          ? peak.minus(p.lastPrice).div(peak).mul(100)
          : p.lastPrice.minus(peak).div(peak).mul(100);
      return {
        side: inOut(drawdown.gte(dec(c.percent))),
        values: {
          drawdownPct: pct(maxDec(drawdown, ZERO)),
          peak: peak.toFixed(),
          price: p.lastPrice.toFixed(),
          percent: c.percent,
        },
        extra: { peak: peak.toFixed(), peakSide: side },
        missing: null,
      };
    }
    case "RISK_USAGE": {
      if (alert.portfolioId === null) return none("no-portfolio");
      const usage = await sources.riskUsage(alert.userId, alert.portfolioId);
      if (usage === null) return none("no-risk-source");
      const relevant = usage.filter((u) => !c.rule || u.rule === c.rule);
      if (!relevant.length) return none("no-data");
      const top = relevant.reduce((a, b) => (b.usedPct.gt(a.usedPct) ? b : a));
      return {
        side: inOut(top.usedPct.gte(dec(c.percent))),
        values: {
          usedPct: pct(top.usedPct),
          rule: top.rule,
          policyId: String(top.policyId),
          percent: c.percent,
        },
        extra: {},
        missing: null,
      };
    }
  }
}
