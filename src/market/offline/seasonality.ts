// Intraday patterns by asset class: how the day's variance and traded volume spread over the 24
// UTC hours. Crypto trades around the clock with a mild bulge when Europe and the US overlap;
// US equities concentrate both in the regular session (14:30–21:00 UTC in winter), U-shaped,
// with thin pre-market and after-hours trading. The offline world trades every day, weekends
// included, so every hour has some activity.
import { type AssetTypeCode } from "../catalog.ts";

export interface IntradayProfile {
  /** share of the day's diffusion variance in each UTC hour; sums to 1 */
  variance: Float64Array;
  /** relative expected volume in each UTC hour (any scale) */
  volume: Float64Array;
}

function normalized(values: number[]): Float64Array {
  const total = values.reduce((a, b) => a + b, 0);
  return Float64Array.from(values, (v) => v / total);
}

/** A smooth daily cycle peaking at `peakHour` UTC. */
function cycle(peakHour: number, amplitude: number): number[] {
  return Array.from(
    { length: 24 },
    (_, h) => 1 + amplitude * Math.cos((2 * Math.PI * (h - peakHour)) / 24),
  );
}

// US cash session by UTC hour: open and close busiest, lunch quieter, thin outside the session.
const US_SESSION_VARIANCE = [
  0.12, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5,
  // 14:00–20:00 (the session)
  2.4, 1.5, 1.1, 1.0, 1.05, 1.3, 1.9,
  // after hours
  0.45, 0.3, 0.15,
];
const US_SESSION_VOLUME = [
  0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.04, 0.05, 0.06, 0.1, 0.15, 2.2, 1.3, 1.0,
  0.9, 0.95, 1.2, 2.0, 0.2, 0.1, 0.04,
];

const CRYPTO_PROFILE: IntradayProfile = {
  variance: normalized(cycle(15, 0.3)),
  volume: Float64Array.from(cycle(15, 0.45)),
};

const US_EQUITY_PROFILE: IntradayProfile = {
  variance: normalized(US_SESSION_VARIANCE),
  volume: Float64Array.from(US_SESSION_VOLUME),
};

// futures and currencies: nearly 24h markets, busiest in the London/New York overlap
const GLOBAL_PROFILE: IntradayProfile = {
  variance: normalized(cycle(14, 0.4)),
  volume: Float64Array.from(cycle(14, 0.6)),
};

export function intradayProfile(assetType: AssetTypeCode): IntradayProfile {
  switch (assetType) {
    case "CRYPTO":
      return CRYPTO_PROFILE;
    case "EQUITY":
    case "ETF":
      return US_EQUITY_PROFILE;
    case "FUTURE":
    case "FOREX":
      return GLOBAL_PROFILE;
  }
}
