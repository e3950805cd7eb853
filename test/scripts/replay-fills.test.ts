// scripts/replay-fills.ts as a user runs it: a child process (`npx tsx scripts/replay-fills.ts`)
// fed JSON Lines on stdin. Its output is checked against positions computed independently: by
// hand for a long, a short, a zero crossing and an average cut at the 18th decimal, and (property)
// by folding the same fills through the pure calculator (position-math replayFills).
import { spawn } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/migrate.ts";
import { type FillInput, replayFills } from "../../src/domain/positions/position-math.ts";
import { Decimal, toDb } from "../../src/lib/decimal.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runReplay(input: string): Promise<Run> {
  const child = spawn("npx", ["tsx", "scripts/replay-fills.ts"], {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface InputFill {
  portfolio: string;
  symbol: string;
  side: "BUY" | "SELL";
  qty: string;
  price: string;
  fee?: string;
  tradeId: string;
  strategy?: string | null;
}

const jsonl = (fills: object[]) => fills.map((f) => JSON.stringify(f)).join("\n") + "\n";
const outputLines = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("replay-fills", () => {
  it("prints the positions of hand-computed examples, duplicates ignored, flat ones kept", async () => {
    const fills: InputFill[] = [
      // long: average (0.5 × 43000.10 + 0.25 × 43100) / 0.75 = 43033.4; selling 0.25 at 44000
      // realizes 0.25 × 966.6 = 241.65
      {
        portfolio: "long",
        symbol: "BTCUSDT",
        side: "BUY",
        qty: "0.5",
        price: "43000.10",
        fee: "0.2",
        tradeId: "t1",
        strategy: null,
      },
      {
        portfolio: "long",
        symbol: "BTCUSDT",
        side: "BUY",
        qty: "0.25",
        price: "43100",
        fee: "0.1",
        tradeId: "t2",
        strategy: null,
      },
      {
        portfolio: "long",
        symbol: "BTCUSDT",
        side: "SELL",
        qty: "0.25",
        price: "44000",
        fee: "0.1",
        tradeId: "t3",
        strategy: null,
      },
      // the same trade id again in the same portfolio: ignored whatever it says
      {
        portfolio: "long",
        symbol: "BTCUSDT",
        side: "SELL",
        qty: "9",
        price: "1",
        fee: "5",
        tradeId: "t1",
        strategy: null,
      },
      // short: average (2 × 3000 + 3030) / 3 = 3010; buying 1.5 back at 2900 realizes 165
      {
        portfolio: "short",
        symbol: "ETHUSDT",
        side: "SELL",
        qty: "2",
        price: "3000",
        fee: "0.3",
        tradeId: "t1",
      },
      {
        portfolio: "short",
        symbol: "ETHUSDT",
        side: "SELL",
        qty: "1",
        price: "3030",
        fee: "0.15",
        tradeId: "s2",
      },
      {
        portfolio: "short",
        symbol: "ETHUSDT",
        side: "BUY",
        qty: "1.5",
        price: "2900",
        fee: "0.2",
        tradeId: "s3",
      },
      // zero crossings under a strategy: long 1 at 40000, sell 3 at 41000 (realizes 1000, short 2
      // at 41000), buy 2 at 40500 (realizes 1000 more, flat); plus a manual position
      {
        portfolio: "cross",
        symbol: "BTCUSDT",
        side: "BUY",
        qty: "1",
        price: "40000",
        tradeId: "c1",
        strategy: "swing",
      },
      {
        portfolio: "cross",
        symbol: "BTCUSDT",
        side: "SELL",
        qty: "3",
        price: "41000",
        fee: "1",
        tradeId: "c2",
        strategy: "swing",
      },
      {
        portfolio: "cross",
        symbol: "BTCUSDT",
        side: "BUY",
        qty: "2",
        price: "40500",
        fee: "0.5",
        tradeId: "c3",
        strategy: "swing",
      },
      {
        portfolio: "cross",
        symbol: "BTCUSDT",
        side: "BUY",
        qty: "0.1",
        price: "40000",
        tradeId: "c4",
        strategy: null,
      },
      // an average with 18 decimals: (1 × 10 + 2 × 20) / 3
      { portfolio: "cross", symbol: "ETHUSDT", side: "BUY", qty: "1", price: "10", tradeId: "c5" },
      {
        portfolio: "cross",
        symbol: "ETHUSDT",
        side: "BUY",
        qty: "2.000",
        price: "20.00",
        tradeId: "c6",
      },
    ];
    const run = await runReplay(jsonl(fills));
    expect(run.code, run.stderr).toBe(0);
    expect(outputLines(run.stdout)).toEqual([
      {
        portfolio: "cross",
        symbol: "BTCUSDT",
        strategy: null,
        qty: "0.1",
        avgPrice: "40000",
        realizedPnl: "0",
        fees: "0",
      },
      {
        portfolio: "cross",
        symbol: "BTCUSDT",
        strategy: "swing",
        qty: "0",
        avgPrice: "0",
        realizedPnl: "2000",
        fees: "1.5",
      },
      {
        portfolio: "cross",
        symbol: "ETHUSDT",
        strategy: null,
        qty: "3",
        avgPrice: "16.666666666666666667",
        realizedPnl: "0",
        fees: "0",
      },
      {
        portfolio: "long",
        symbol: "BTCUSDT",
        strategy: null,
        qty: "0.5",
        avgPrice: "43033.4",
        realizedPnl: "241.65",
        fees: "0.4",
      },
      {
        portfolio: "short",
        symbol: "ETHUSDT",
        strategy: null,
        qty: "-1.5",
        avgPrice: "3010",
        realizedPnl: "165",
        fees: "0.65",
      },
    ]);
    // the exact key order and canonical strings of the documented output format
    expect(run.stdout.split("\n")[0]).toBe(
      '{"portfolio":"cross","symbol":"BTCUSDT","strategy":null,"qty":"0.1","avgPrice":"40000","realizedPnl":"0","fees":"0"}',
    );
    expect(run.stderr).toContain(
      "13 fills (1 duplicate trade ids ignored), 3 portfolios, 1 strategies",
    );
  });

  const good =
    '{"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","qty":"1","price":"40000","tradeId":"ok"}';
  const bad: [label: string, line: string, message: RegExp][] = [
    ["bad JSON", '{"portfolio":"p1","symbol":', /line 2: not valid JSON/],
    ["not an object", '["p1","BTCUSDT"]', /line 2: expected a JSON object/],
    [
      "a missing field",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","qty":"1","tradeId":"t"}',
      /line 2: missing field "price"/,
    ],
    [
      "an unknown field",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","quantity":"1","qty":"1","price":"1","tradeId":"t"}',
      /line 2: unknown field "quantity"/,
    ],
    [
      "a bad number",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","qty":"1e5","price":"1","tradeId":"t"}',
      /line 2: "qty" is not a decimal number: "1e5"/,
    ],
    [
      "a JSON number",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","qty":"1","price":43000.1,"tradeId":"t"}',
      /line 2: "price" is the JSON number 43000\.1: write decimals as strings.*lost digits/,
    ],
    [
      "an unknown symbol",
      '{"portfolio":"p1","symbol":"BTCUSDX","side":"BUY","qty":"1","price":"1","tradeId":"t"}',
      /line 2: unknown symbol "BTCUSDX": not in the built-in instrument catalog \(did you mean BTCUSDT/,
    ],
    [
      "a side that is not BUY/SELL",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"LONG","qty":"1","price":"1","tradeId":"t"}',
      /line 2: "side" must be "BUY" or "SELL", got "LONG"/,
    ],
    [
      "a negative quantity",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"SELL","qty":"-1","price":"1","tradeId":"t"}',
      /line 2: "qty" must be positive, got "-1"/,
    ],
    [
      "a zero price",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"SELL","qty":"1","price":"0","tradeId":"t"}',
      /line 2: "price" must be positive/,
    ],
    [
      "a negative fee",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"SELL","qty":"1","price":"1","fee":"-0.1","tradeId":"t"}',
      /line 2: "fee" must not be negative/,
    ],
    [
      "19 decimals",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","qty":"1","price":"1.0000000000000000001","tradeId":"t"}',
      /line 2: "price" has more than 18 decimal places/,
    ],
    [
      "a numeric trade id",
      '{"portfolio":"p1","symbol":"BTCUSDT","side":"BUY","qty":"1","price":"1","tradeId":7}',
      /line 2: "tradeId" must be a non-empty string, got a number/,
    ],
    [
      "a portfolio differing only in case",
      '{"portfolio":"P1","symbol":"BTCUSDT","side":"BUY","qty":"1","price":"1","tradeId":"t"}',
      /line 2: portfolio "P1" differs only in case from "p1" \(line 1\)/,
    ],
  ];

  // each case is its own process: run them side by side
  it.concurrent.for(bad)(
    "exits non-zero naming the line on %s, before printing any position",
    async ([, line, message], { expect }) => {
      const run = await runReplay(`${good}\n${line}\n${good.replace('"ok"', '"later"')}\n`);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe("");
    },
  );

  it("agrees with the pure position calculator on random fills (property)", async () => {
    const decimalArb = (scale: number, maxUnits: number) =>
      fc
        .integer({ min: 1, max: maxUnits })
        .map((u) => new Decimal(u).div(new Decimal(10).pow(scale)).toFixed());
    const fillArb = fc.record({
      portfolio: fc.constantFrom("alpha", "beta"),
      symbol: fc.constantFrom("BTCUSDT", "ETHUSDT", "AAPL"),
      side: fc.constantFrom("BUY" as const, "SELL" as const),
      qty: fc.oneof(decimalArb(8, 300_000_000), decimalArb(0, 50)),
      price: fc.oneof(decimalArb(2, 10_000_000), decimalArb(7, 900_000_000)),
      fee: fc.oneof(fc.constant("0"), decimalArb(6, 3_000_000)),
      // a small pool, so repeated trade ids (duplicates) happen
      tradeId: fc.integer({ min: 1, max: 40 }).map((n) => `t${n}`),
      strategy: fc.constantFrom(null, "trend", "mean-revert"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fillArb, { minLength: 1, maxLength: 60 }), async (fills) => {
        // independent expectation: drop repeated (portfolio, trade id), group, fold in order
        const seen = new Set<string>();
        const groups = new Map<
          string,
          {
            key: { portfolio: string; symbol: string; strategy: string | null };
            fills: FillInput[];
          }
        >();
        for (const f of fills) {
          if (seen.has(`${f.portfolio}\u0000${f.tradeId}`)) continue;
          seen.add(`${f.portfolio}\u0000${f.tradeId}`);
          const k = JSON.stringify([f.portfolio, f.symbol, f.strategy]);
          const group = groups.get(k) ?? {
            key: { portfolio: f.portfolio, symbol: f.symbol, strategy: f.strategy },
            fills: [],
          };
          group.fills.push({
            side: f.side,
            quantity: new Decimal(f.qty),
            price: new Decimal(f.price),
            fee: new Decimal(f.fee),
          });
          groups.set(k, group);
        }
        const expected = [...groups.values()]
          .map(({ key, fills: group }) => {
            const s = replayFills(group);
            return {
              ...key,
              qty: toDb(s.quantity),
              avgPrice: toDb(s.avgPrice),
              realizedPnl: toDb(s.realizedPnl),
              fees: toDb(s.fees),
            };
          })
          .sort((a, b) => {
            const cmp = (x: unknown, y: unknown) =>
              x === y ? 0 : x === null ? -1 : y === null ? 1 : String(x) < String(y) ? -1 : 1;
            return (
              cmp(a.portfolio, b.portfolio) ||
              cmp(a.symbol, b.symbol) ||
              cmp(a.strategy, b.strategy)
            );
          });

        const run = await runReplay(jsonl(fills));
        expect(run.code, run.stderr).toBe(0);
        expect(outputLines(run.stdout)).toEqual(expected);
      }),
      { numRuns: 6 },
    );
    // six runs of the script, each a child process that starts tsx (about 10 s each when the
    // suite keeps both cores busy): the default minute left no room
  }, 180_000);
});
