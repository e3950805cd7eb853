// The pool behind /backtest: a run that outlives its time is stopped with a "timeout" error
// (BacktestService turns it into error-backtest-timeout), and a closed pool refuses new runs.
import { describe, expect, it } from "vitest";
import { BacktestJobError, BacktestPool } from "../../../src/strategies/backtest/worker-pool.ts";
import type { BacktestJob } from "../../../src/strategies/backtest/worker-protocol.ts";

const job = (): BacktestJob => ({
  stored: { kind: "rules", source: "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70" },
  instrument: { symbol: "BTCUSDT", tickSize: "0.01", lotSize: "0.00001", minQty: "0.00001" },
  candles: { interval: "1h", times: new Float64Array(0), values: [] },
  initialCash: "10000",
  costs: { takerFeeBps: "10", makerFeeBps: "10", slippageBps: "5", feeDecimals: 8 },
  timeZone: "UTC",
});

describe("backtest pool", () => {
  it("stops a run that takes longer than its timeout", async () => {
    const pool = new BacktestPool({ concurrency: 1, timeoutMs: 1 });
    const error = await pool.run(job()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BacktestJobError);
    expect((error as BacktestJobError).kind).toBe("timeout");
    expect(pool.load).toEqual({ running: 0, waiting: 0 });
    await pool.close();
  });

  it("refuses runs once closed", async () => {
    const pool = new BacktestPool({ concurrency: 1, timeoutMs: 60_000 });
    await pool.close();
    await expect(pool.run(job())).rejects.toMatchObject({ kind: "internal" });
  });
});
