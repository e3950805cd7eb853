// The strategy runtime's daily summaries: yesterday's orders, fills and PnL since start of every
// instance that ran then, once per instance and day (the dedupe key), during the first hours of
// the owner's day. Split from strategy-runtime.ts.
import { type Decimal, ZERO, fromDb } from "../../lib/decimal.ts";
import { startOfDay } from "../../lib/time.ts";
import type { DomainContext } from "../context.ts";
import type { RuntimeRecords } from "./runtime-records.ts";
import { instanceInclude } from "./runtime-rows.ts";

/** Daily summaries go out during the first hours of the owner's day (then no more retries). */
const SUMMARY_WINDOW_MS = 6 * 3600_000;

/** Writes the summaries that are due; returns how many were written. */
export async function sendDailySummaries(
  ctx: DomainContext,
  records: RuntimeRecords,
): Promise<number> {
  const db = ctx.db;
  const now = ctx.clock.now();
  const rows = await db.strategyInstance.findMany({
    where: { status: { not: "STOPPED" }, user: { isActive: true } },
    include: instanceInclude,
  });
  let sent = 0;
  for (const row of rows) {
    const zone = row.user.timeZone;
    const today = startOfDay(now, zone);
    if (now.getTime() - today.getTime() > SUMMARY_WINDOW_MS) continue;
    if (row.startedAt.getTime() >= today.getTime()) continue;
    const day = startOfDay(new Date(today.getTime() - 1), zone);
    const dedupeKey = `strategy-daily:${row.id}:${day.toISOString()}`;
    if (await db.notificationOutbox.count({ where: { dedupeKey } })) continue;
    const versions = await db.strategy.findMany({
      where: { userId: row.userId },
      select: { id: true, name: true },
    });
    const ids = versions
      .filter((v) => v.name.toLowerCase() === row.strategy.name.toLowerCase())
      .map((v) => v.id);
    const range = { gte: day, lt: today };
    const [orders, fills, run, portfolio] = await Promise.all([
      db.order.count({
        where: { portfolioId: row.portfolioId, strategyId: { in: ids }, placedAt: range },
      }),
      db.trade.count({
        where: { portfolioId: row.portfolioId, strategyId: { in: ids }, execTime: range },
      }),
      db.strategyRun.findFirst({
        where: { instanceId: row.id, status: "RUNNING" },
        orderBy: { id: "desc" },
      }),
      db.portfolio.findUniqueOrThrow({
        where: { id: row.portfolioId },
        select: { account: { select: { baseCurrency: true } } },
      }),
    ]);
    const pnl: Decimal = run ? fromDb(run.pnl) : ZERO;
    await db.$transaction((tx) =>
      records.notify(tx, row, {
        kind: "daily",
        severity: "INFO",
        dedupeKey,
        day,
        orders,
        fills,
        pnlSinceStart: pnl,
        currency: portfolio.account.baseCurrency,
      }),
    );
    sent++;
  }
  return sent;
}
