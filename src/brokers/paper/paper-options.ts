// The paper venue's knobs: fees, slippage and how much of the market an account may take.
import { type Decimal, type DecimalLike, dec } from "../../lib/decimal.ts";

export interface PaperBrokerOptions {
  /** fee of an order that takes liquidity, in basis points of the notional (quote currency) */
  takerFeeBps: Decimal;
  /** fee of a resting limit order that is filled later */
  makerFeeBps: Decimal;
  /** how far a taker's price moves against it from the quote, in basis points */
  slippageBps: Decimal;
  /**
   * the share of the last closed 1-minute candle's volume one account may trade per symbol per
   * minute; larger orders fill over several minutes at the prices of those minutes
   */
  participationRate: Decimal;
  /** decimal places fees are rounded (up) to, as exchanges charge them */
  feeDecimals: number;
}

export type PaperBrokerSettings = Partial<Record<keyof PaperBrokerOptions, DecimalLike>>;

export const DEFAULT_PAPER_OPTIONS: Readonly<PaperBrokerOptions> = Object.freeze({
  takerFeeBps: dec("10"),
  makerFeeBps: dec("10"),
  slippageBps: dec("2"),
  participationRate: dec("0.25"),
  feeDecimals: 8,
});

/** Defaults overlaid with settings; rejects values that would make the simulation meaningless. */
export function resolvePaperOptions(settings: PaperBrokerSettings = {}): PaperBrokerOptions {
  const pick = (key: Exclude<keyof PaperBrokerOptions, "feeDecimals">): Decimal => {
    const value = settings[key];
    return value === undefined ? DEFAULT_PAPER_OPTIONS[key] : dec(value);
  };
  const options: PaperBrokerOptions = {
    takerFeeBps: pick("takerFeeBps"),
    makerFeeBps: pick("makerFeeBps"),
    slippageBps: pick("slippageBps"),
    participationRate: pick("participationRate"),
    feeDecimals:
      settings.feeDecimals === undefined
        ? DEFAULT_PAPER_OPTIONS.feeDecimals
        : Number(settings.feeDecimals.toString()),
  };
  for (const key of ["takerFeeBps", "makerFeeBps", "slippageBps"] as const) {
    if (options[key].isNeg() || options[key].gte(10_000))
      throw new RangeError(`paper broker ${key} must be in [0, 10000): ${options[key].toFixed()}`);
  }
  if (!options.participationRate.gt(0) || options.participationRate.gt(1)) {
    throw new RangeError(
      `paper broker participationRate must be in (0, 1]: ${options.participationRate.toFixed()}`,
    );
  }
  if (!Number.isInteger(options.feeDecimals) || options.feeDecimals < 0 || options.feeDecimals > 18)
    throw new RangeError(`paper broker feeDecimals must be an integer in [0, 18]`);
  return options;
}
