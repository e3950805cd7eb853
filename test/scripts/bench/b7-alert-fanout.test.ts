// B7 at a small size, so the benchmark cannot rot unnoticed: the app on the exchange twin's
// market evaluates every price alert each cycle with one batch of quotes (at most two requests
// counted at the twin, whatever the number of alerts), while the naive baseline makes one
// request per alert; the twin lists as many symbols as asked. The timings mean nothing here.
import { describe, expect, it } from "vitest";
import { fanoutSymbols, measureB7 } from "../../../scripts/bench/b7-alert-fanout.ts";

describe("B7 alert fan-out bench (smoke size)", () => {
  it("lists the catalog's pairs and then extra ones up to the size asked", () => {
    const symbols = fanoutSymbols(100).map((s) => s.symbol);
    expect(new Set(symbols).size).toBe(100);
    expect(symbols).toContain("BTCUSDT");
    expect(symbols.at(-1)).toMatch(/^TWX\d{3}USDT$/);
  });

  it("quotes every alert of a cycle in one batch; the naive baseline asks once per alert", async () => {
    const f = await measureB7({ users: 3, alertsPerUser: 8, symbols: 12, cycles: 2 });
    expect(f.alerts).toBe(24);
    expect(f.market).toBe("ccxt:binance");
    expect(f.cycles).toHaveLength(2);
    for (const c of f.cycles) {
      expect(c.evaluated).toBe(24);
      expect(c.failed).toBe(0);
      // one batch ticker request for the twelve symbols, and the reachability probe
      expect(c.byPath["GET /api/v3/ticker/24hr"]).toBe(1);
      expect(c.requests).toBeLessThanOrEqual(2);
    }
    expect(f.naive.requests).toBe(24);
    expect(f.peakRssMb).toBeGreaterThan(0);
  }, 180_000);
});
