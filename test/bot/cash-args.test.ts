// /deposit, /withdraw and /transfer arguments: any order, currency codes at either end, names with
// spaces recognized against the user's portfolios, quotes and "to", and the errors that say why.
import { describe, expect, it } from "vitest";
import { parseCashArgs, parseTransferArgs } from "../../src/bot/cash-args.ts";

const names = ["Main", "Long term", "Swing", "USDT"];
const plain = (r: ReturnType<typeof parseCashArgs>) =>
  "error" in r ? r : { amount: r.amount.toFixed(), currency: r.currency, portfolio: r.portfolio };
const pair = (r: ReturnType<typeof parseTransferArgs>) =>
  "error" in r ? r : { amount: r.amount.toFixed(), currency: r.currency, from: r.from, to: r.to };

describe("parseCashArgs", () => {
  it("reads amount, currency and portfolio in any order", () => {
    expect(plain(parseCashArgs("500", names))).toEqual({
      amount: "500",
      currency: null,
      portfolio: null,
    });
    expect(plain(parseCashArgs("500 eur", names))).toEqual({
      amount: "500",
      currency: "EUR",
      portfolio: null,
    });
    expect(plain(parseCashArgs("swing 500", names))).toEqual({
      amount: "500",
      currency: null,
      portfolio: "Swing",
    });
    expect(plain(parseCashArgs("USD long term 1000.5", names))).toEqual({
      amount: "1000.5",
      currency: "USD",
      portfolio: "Long term",
    });
    expect(plain(parseCashArgs("1000 Long term usd", names))).toEqual({
      amount: "1000",
      currency: "USD",
      portfolio: "Long term",
    });
    expect(plain(parseCashArgs('1000 "Long term"', names))).toEqual({
      amount: "1000",
      currency: null,
      portfolio: "Long term",
    });
    // a portfolio's name wins over the same word read as a currency code
    expect(plain(parseCashArgs("10 USDT", names))).toEqual({
      amount: "10",
      currency: null,
      portfolio: "USDT",
    });
  });

  it("says what is wrong", () => {
    expect(parseCashArgs("", names)).toEqual({ error: "usage" });
    expect(parseCashArgs("Main", names)).toEqual({ error: "usage" });
    expect(parseCashArgs("500 Short term", names)).toEqual({
      error: "unknown-portfolio",
      name: "Short term",
    });
    expect(parseCashArgs("500 USD Nowhere", names)).toEqual({
      error: "unknown-portfolio",
      name: "Nowhere",
    });
  });
});

describe("parseTransferArgs", () => {
  it("splits two portfolio names, with or without a currency code, quotes or 'to'", () => {
    const expected = { amount: "2000", currency: "USD", from: "Main", to: "Long term" };
    expect(pair(parseTransferArgs("2000 USD Main Long term", names))).toEqual(expected);
    expect(pair(parseTransferArgs("2000 Main long term usd", names))).toEqual(expected);
    expect(pair(parseTransferArgs("USD 2000 main to long term", names))).toEqual(expected);
    expect(pair(parseTransferArgs('2000 "Main" "Long term" USD', names))).toEqual(expected);
    expect(pair(parseTransferArgs("5 Long term Swing", names))).toEqual({
      amount: "5",
      currency: null,
      from: "Long term",
      to: "Swing",
    });
  });

  it("says what is wrong", () => {
    expect(parseTransferArgs("Main Swing", names)).toEqual({ error: "usage" });
    expect(parseTransferArgs("10 Main", names)).toEqual({ error: "usage" });
    expect(parseTransferArgs("10 Main Nowhere", names)).toEqual({
      error: "unknown-portfolio",
      name: "Nowhere",
    });
    expect(parseTransferArgs("10 Nowhere to Main", names)).toEqual({
      error: "unknown-portfolio",
      name: "Nowhere",
    });
    // "A B C" where both "A B"+"C" and "A"+"B C" are portfolios
    expect(parseTransferArgs("10 a b c", ["a", "b c", "a b", "c"])).toEqual({ error: "ambiguous" });
  });
});
