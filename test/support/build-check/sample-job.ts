// A small backtest with trades in it: 300 hourly candles of a seeded wave, so the rules buy on the
// dips and sell on the peaks (test/ops/build.test.ts runs it from source and from the bundle).
import type { BacktestJob } from "../../../src/strategies/backtest/worker-protocol.ts";

export function sampleBacktestJob(): BacktestJob {
  const count = 300;
  const hour = 3_600_000;
  const start = Date.UTC(2026, 0, 1);
  const times = new Float64Array(count);
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    times[i] = start + i * hour;
    // a wave with a period of 48 candles between 90 and 110, in cents (exact decimals)
    const cents = 10_000 + Math.round(1_000 * Math.sin((2 * Math.PI * i) / 48));
    const price = (cents / 100).toFixed(2);
    values.push(
      price,
      ((cents + 50) / 100).toFixed(2),
      ((cents - 50) / 100).toFixed(2),
      price,
      "10",
    );
  }
  return {
    stored: { kind: "rules", source: "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70" },
    instrument: { symbol: "BTCUSDT", tickSize: "0.01", lotSize: "0.00001", minQty: "0.00001" },
    candles: { interval: "1h", times, values },
    initialCash: "10000",
    costs: { takerFeeBps: "10", makerFeeBps: "10", slippageBps: "5", feeDecimals: 8 },
    timeZone: "UTC",
  };
}
