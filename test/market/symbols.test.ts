import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INSTRUMENT_CATALOG } from "../../src/market/catalog.ts";
import { ValidationError } from "../../src/domain/errors.ts";
import {
  UnknownSymbolError,
  editDistance,
  normalizeSymbol,
  suggestSymbols,
} from "../../src/market/symbols.ts";

const SYMBOLS = INSTRUMENT_CATALOG.map((s) => s.symbol);

describe("normalizeSymbol", () => {
  it("upper-cases, trims and drops pair separators but keeps share-class dots", () => {
    expect(normalizeSymbol(" btc/usdt ")).toBe("BTCUSDT");
    expect(normalizeSymbol("eth-usdt")).toBe("ETHUSDT");
    expect(normalizeSymbol("brk.b")).toBe("BRK.B");
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps as one edit", () => {
    expect(editDistance("AAPL", "AAPL")).toBe(0);
    expect(editDistance("APPL", "AAPL")).toBe(1);
    expect(editDistance("BTCUDST", "BTCUSDT")).toBe(1);
    expect(editDistance("BTCUSD", "BTCUSDT")).toBe(1);
    expect(editDistance("", "ABC")).toBe(3);
    expect(editDistance("KITTEN", "SITTING")).toBe(3);
  });

  it("is a symmetric distance that is zero only for equal strings", () => {
    const word = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = editDistance(a, b);
        return (
          d === editDistance(b, a) && (d === 0) === (a === b) && d <= Math.max(a.length, b.length)
        );
      }),
    );
  });
});

describe("suggestSymbols", () => {
  it("puts the completion first for a truncated pair", () => {
    expect(suggestSymbols("BTCUSD", SYMBOLS)[0]).toBe("BTCUSDT");
    expect(suggestSymbols("eth", SYMBOLS)[0]).toBe("ETHUSDT");
  });

  it("finds swapped and mistyped letters", () => {
    expect(suggestSymbols("APPL", SYMBOLS)[0]).toBe("AAPL");
    expect(suggestSymbols("MSTF", SYMBOLS)[0]).toBe("MSFT");
    expect(suggestSymbols("BTCUDST", SYMBOLS)[0]).toBe("BTCUSDT");
  });

  it("returns at most n known symbols, none for nonsense", () => {
    expect(suggestSymbols("S", SYMBOLS, 2)).toHaveLength(2);
    expect(suggestSymbols("QWERTZUIOP", SYMBOLS)).toEqual([]);
    expect(suggestSymbols("", SYMBOLS)).toEqual([]);
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.integer({ min: 0, max: 5 }), (input, n) => {
        const out = suggestSymbols(input, SYMBOLS, n);
        return (
          out.length <= n &&
          out.every((s) => SYMBOLS.includes(s)) &&
          new Set(out).size === out.length
        );
      }),
    );
  });
});

describe("UnknownSymbolError", () => {
  it("is a ValidationError on the symbol field carrying the suggestions", () => {
    const error = new UnknownSymbolError("APPL", ["AAPL"]);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe("symbol");
    expect(error.key).toBe("error-unknown-symbol");
    expect(error.params).toEqual({ field: "symbol", symbol: "APPL", suggestions: "AAPL" });
    expect(error.suggestions).toEqual(["AAPL"]);
  });
});
