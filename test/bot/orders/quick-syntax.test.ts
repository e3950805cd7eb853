import { describe, expect, it } from "vitest";
import { parseOrderCommand } from "../../../src/bot/features/orders/quick-syntax.ts";

describe("quick order syntax", () => {
  it.each([
    [
      "BUY",
      "BTCUSDT 0.01",
      { symbol: "BTCUSDT", quantity: "0.01", type: "MARKET", timeInForce: "GTC" },
    ],
    [
      "SELL",
      "aapl 10 limit 190.5",
      { symbol: "AAPL", quantity: "10", type: "LIMIT", price: "190.5" },
    ],
    [
      "BUY",
      "ETHUSDT 2 stop 3100 limit 3105 ioc",
      { type: "STOP_LIMIT", stopPrice: "3100", price: "3105", timeInForce: "IOC" },
    ],
    [
      "SELL",
      "BTCUSDT 0.5 trailing 1.5%",
      { type: "TRAILING", trailPercent: "1.5", trailAmount: null },
    ],
    ["SELL", "BTCUSDT 0.5 trail 250", { type: "TRAILING", trailAmount: "250" }],
    ["BUY", "BTCUSDT $250", { quantity: null, cashAmount: "250", type: "MARKET" }],
    [
      "BUY",
      "BTCUSDT 250 usdt limit 40000",
      { quantity: null, cashAmount: "250", type: "LIMIT", price: "40000" },
    ],
    [
      "BUY",
      "SOLUSDT 3 limit 140 day in Swing strategy MeanRev",
      { portfolio: "Swing", strategy: "MeanRev", timeInForce: "DAY" },
    ],
    ["BUY", 'SOLUSDT 3 in "Long term"', { portfolio: "Long term" }],
    ["BUY", "BTCUSDT 0,5 stop 45000", { quantity: "0.5", type: "STOP", stopPrice: "45000" }],
    [
      "BUY",
      "BTCUSDT 0.1 tp 70000 sl 60000",
      { type: "MARKET", takeProfit: "70000", stopLoss: "60000" },
    ],
    [
      "BUY",
      "BTCUSDT 0.1 limit 65000 TP 5% sl 2%",
      { type: "LIMIT", price: "65000", takeProfit: "5%", stopLoss: "2%" },
    ],
    ["SELL", "ETHUSDT 1 sl 3300", { takeProfit: null, stopLoss: "3300" }],
  ] as const)("%s %s", (side, args, expected) => {
    const result = parseOrderCommand(side, args);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.draft).toMatchObject({ side, ...expected });
  });

  it.each([
    ["", "order-syntax-usage"],
    ["BTCUSDT", "order-syntax-quantity-missing"],
    ["BTCUSDT abc", "order-syntax-bad-quantity"],
    ["BTCUSDT 1e5", "order-syntax-bad-quantity"],
    ["BTCUSDT 1 limit", "order-syntax-needs-number"],
    ["BTCUSDT 1 limit x", "order-syntax-needs-number"],
    ["BTCUSDT 1 trailing 1% limit 5", "order-syntax-trailing-alone"],
    ["BTCUSDT 1 please", "order-syntax-unknown-word"],
    ["BTCUSDT 1 in", "order-syntax-needs-name"],
    ["BTCUSDT $x", "order-syntax-bad-number"],
    ["BTCUSDT 1 tp", "order-syntax-needs-number"],
    ["BTCUSDT 1 sl -2%", "order-syntax-needs-number"],
    ["BTCUSDT 1 tp 0", "order-syntax-needs-number"],
  ])("refuses %j with %s", (args, key) => {
    const result = parseOrderCommand("BUY", args);
    expect(result).toMatchObject({ ok: false, key });
  });

  it("names the symbol it was given when only the quantity is missing", () => {
    expect(parseOrderCommand("SELL", "aapl")).toEqual({
      ok: false,
      key: "order-syntax-quantity-missing",
      params: { symbol: "AAPL", command: "sell" },
    });
  });

  it("keeps negative and zero quantities for the domain to explain", () => {
    // the domain's ValidationError names the field; the parser only checks it is a number
    expect(parseOrderCommand("BUY", "BTCUSDT -1")).toMatchObject({
      ok: true,
      draft: { quantity: "-1" },
    });
    expect(parseOrderCommand("BUY", "BTCUSDT 0")).toMatchObject({
      ok: true,
      draft: { quantity: "0" },
    });
  });
});
