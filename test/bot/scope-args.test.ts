// /positions and /pnl arguments: the order of period and portfolio does not matter.
import { describe, expect, it } from "vitest";
import { parseScopeArgs } from "../../src/bot/features/positions/positions.ts";
import { parsePeriod } from "../../src/lib/time.ts";

const isPeriod = (w: string) => parsePeriod(w) !== null;

describe("parseScopeArgs", () => {
  it("reads the period before or after the portfolio's name", () => {
    for (const text of ["week Swing", "Swing week", "Swing Trades week", "week Swing Trades"]) {
      const args = parseScopeArgs(text, isPeriod);
      expect(args.rest).toEqual(["week"]);
      expect(args.portfolio).toMatch(/^Swing( Trades)?$/);
    }
  });

  it("keeps a strategy apart, and a bare period or name alone", () => {
    expect(parseScopeArgs("Swing month strategy MeanRev", isPeriod)).toEqual({
      portfolio: "Swing",
      strategy: "MeanRev",
      rest: ["month"],
    });
    expect(parseScopeArgs("all", isPeriod)).toEqual({
      portfolio: null,
      strategy: null,
      rest: ["all"],
    });
    expect(parseScopeArgs("Main", isPeriod)).toEqual({
      portfolio: "Main",
      strategy: null,
      rest: [],
    });
  });
});
