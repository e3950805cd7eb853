// ccxt's limiter as TradeDesk configures it (src/market/ccxt/client.ts): a rolling window that
// forgets costs as they age. ccxt's default leaky bucket never credited idle time, so after the
// all-symbols ticker batch (Binance request weight 80) the next request waited the whole debt
// however long the client had been idle — 0.8 s on every alert run's reachability probe.
import type { Exchange } from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLLING_WINDOW_MS, createExchange } from "../../src/market/ccxt/client.ts";
import { ExchangeTwin } from "../support/exchange-twin/index.ts";

let twin: ExchangeTwin;
let ex: Exchange;

beforeAll(async () => {
  twin = await ExchangeTwin.start();
  // Binance's own pacing (50 ms per unit of weight), as the app's clients have it
  ex = await createExchange({ id: "binance", apiUrl: twin.url });
  await ex.loadMarkets();
});
afterAll(async () => {
  await twin?.stop();
});

describe("the exchange client's rate limiter", () => {
  it("limits by request weight over a rolling minute", () => {
    expect(ex.rateLimit).toBe(50);
    // typed as numbers by ccxt, though the algorithm is a name
    const bucket = ex.tokenBucket as unknown as { algorithm: string; windowSize: number };
    expect(bucket.algorithm).toBe("rollingWindow");
    expect(bucket.windowSize).toBe(ROLLING_WINDOW_MS);
  });

  it("does not make a request after an idle pause wait for an earlier batch's cost", async () => {
    await ex.fetchTickers();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const started = performance.now();
    await ex.fetchTime();
    // the leaky bucket made this wait ~800 ms; a request to the local twin takes a few
    expect(performance.now() - started).toBeLessThan(300);
  });
});
