// Per-instrument parameters of the synthetic price model, derived once from the catalog spec.
// Characteristics that describe the instrument (its usual volume, its spread) hash the symbol
// alone, so BTCUSDT trades about as much under every seed; only the price path depends on the
// seed.
import { type AssetTypeCode, type SyntheticInstrumentSpec } from "../catalog.ts";
import { gaussian, hash4, hashText, mix32 } from "./counter-rng.ts";
import { type IntradayProfile, intradayProfile } from "./seasonality.ts";
import { StepGrid } from "./step-grid.ts";

/** Days per year used to turn annualised volatility into daily (the offline world never closes). */
export const DAYS_PER_YEAR = 365;

export interface InstrumentModel {
  readonly spec: SyntheticInstrumentSpec;
  /** position of the instrument in its source; makes cache keys unique */
  readonly ordinal: number;
  /** random stream key of this instrument's price path (seed × symbol) */
  readonly key: number;
  readonly tick: StepGrid;
  readonly lot: StepGrid;
  /** reference price counted in ticks (a double, not necessarily whole) */
  readonly refTicks: number;
  /** standard deviation of one day's log return */
  readonly sigmaDay: number;
  /** expected volume of one day, in lots */
  readonly dayLots: number;
  readonly profile: IntradayProfile;
  /** half the typical bid/ask spread as a fraction of the price */
  readonly halfSpread: number;
  /** smallest half spread in price units (half a cent for US listings) */
  readonly minHalfSpread: number;
}

function finitePositive(value: number, what: string, symbol: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${symbol}: ${what} must be positive`);
  return value;
}

/** A factor in [low, high] around 1 that is fixed for a symbol: instruments differ, seeds do not. */
function symbolFactor(
  symbol: string,
  salt: number,
  spread: number,
  low: number,
  high: number,
): number {
  const h = hashText(symbol);
  const g = gaussian(hash4(h, salt, 1), hash4(h, salt, 2));
  return Math.min(high, Math.max(low, Math.exp(spread * g)));
}

/** Typical daily turnover in the quote currency, before the per-symbol factor. */
function typicalDailyNotional(assetType: AssetTypeCode, vol: number): number {
  switch (assetType) {
    // calmer coins are the big ones: BTC ≈ 1e9 a day on one venue, meme coins a few percent of that
    case "CRYPTO":
      return 1e9 * Math.pow(0.55 / Math.max(vol, 0.2), 4);
    case "EQUITY":
      return 3e9;
    case "ETF":
      return 1e10;
    case "FUTURE":
      return 5e9;
    case "FOREX":
      return 2e10;
  }
}

/** Typical full spread in basis points before the per-symbol factor. */
function typicalSpreadBps(assetType: AssetTypeCode, vol: number): number {
  switch (assetType) {
    case "CRYPTO":
      return 1.5 * Math.pow(Math.max(vol, 0.2) / 0.55, 2);
    case "EQUITY":
      return 1;
    case "ETF":
      return 0.5;
    case "FUTURE":
      return 1;
    case "FOREX":
      return 0.5;
  }
}

export function buildInstrumentModel(
  spec: SyntheticInstrumentSpec,
  seedKey: number,
  ordinal: number,
): InstrumentModel {
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= 2 ** 21) {
    throw new RangeError(`instrument ordinal out of range: ${ordinal}`);
  }
  const tick = new StepGrid(spec.tickSize);
  const lot = new StepGrid(spec.lotSize);
  const ref = finitePositive(Number(spec.referencePrice), "referencePrice", spec.symbol);
  const vol = spec.annualVolatility;
  if (!Number.isFinite(vol) || vol < 0)
    throw new RangeError(`${spec.symbol}: annualVolatility must be ≥ 0`);

  const dailyVolume =
    spec.dailyVolume !== undefined
      ? finitePositive(Number(spec.dailyVolume), "dailyVolume", spec.symbol)
      : (typicalDailyNotional(spec.assetType, vol) / ref) *
        symbolFactor(spec.symbol, 1, 0.5, 0.4, 2.5);
  const spreadBps =
    spec.spreadBps !== undefined
      ? finitePositive(spec.spreadBps, "spreadBps", spec.symbol)
      : typicalSpreadBps(spec.assetType, vol) * symbolFactor(spec.symbol, 2, 0.25, 0.6, 1.6);
  const usListing = spec.assetType === "EQUITY" || spec.assetType === "ETF";

  return {
    spec,
    ordinal,
    key: mix32(seedKey ^ hashText(spec.symbol)),
    tick,
    lot,
    refTicks: ref / tick.stepFloat,
    sigmaDay: vol / Math.sqrt(DAYS_PER_YEAR),
    dayLots: Math.max(1, dailyVolume / lot.stepFloat),
    profile: intradayProfile(spec.assetType),
    halfSpread: spreadBps / 2 / 10_000,
    minHalfSpread: usListing ? 0.005 : 0,
  };
}
