// How much an account may trade per symbol per minute on the paper venue: a share of the last
// closed 1-minute candle's volume (at least one lot, so thin markets still trade), less what the
// account already traded in that symbol this minute. Counting by minute rather than by matcher
// run keeps fills independent of how often the matcher runs.
import type { Tx } from "../../db/client.ts";
import { type Decimal, ZERO, bracketByStep, fromDb, maxDec } from "../../lib/decimal.ts";
import { alignDown, intervalMs } from "../../market/intervals.ts";
import type { MarketData } from "../../market/types.ts";

export function minuteStart(now: Date): Date {
  return new Date(alignDown(now.getTime(), "1m"));
}

/** The account's per-minute allowance in `symbol`: participation × last closed 1m volume. */
export async function minuteAllowance(
  market: MarketData,
  symbol: string,
  now: Date,
  participationRate: Decimal,
  lotSize: Decimal,
): Promise<Decimal> {
  const start = minuteStart(now).getTime();
  const candles = await market.candles(symbol, "1m", { to: now, limit: 2 });
  const closed = candles.filter((c) => c.openTime.getTime() < start).at(-1) ?? candles.at(-1);
  const volume = closed?.volume ?? ZERO;
  return maxDec(bracketByStep(volume.mul(participationRate), lotSize).down, lotSize);
}

/** Base quantity the account already traded in `symbol` during the minute containing `now`. */
export async function tradedThisMinute(
  tx: Tx,
  accountId: number,
  symbol: string,
  now: Date,
): Promise<Decimal> {
  const from = minuteStart(now);
  const fills = await tx.paperFill.findMany({
    where: {
      accountId,
      execTime: { gte: from, lt: new Date(from.getTime() + intervalMs("1m")) },
      order: { symbol },
    },
    select: { quantity: true },
  });
  return fills.reduce((sum, f) => sum.plus(fromDb(f.quantity)), ZERO);
}
