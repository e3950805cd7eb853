// The SIGKILL drill's plan and what the last (finishing) child reports about the database: the
// plan is a pure function of the step number, so every restarted child runs the same one, and
// the report is what sigkill.test.ts checks (with the Telegram twin's own count of messages).
import type { App } from "../../../src/app.ts";
import { latestRunAtOrBefore } from "../../../src/domain/schedules/cron-schedule.ts";
import { databaseViolations } from "../fuzz/db-invariants.ts";

export const DRILL_ADMIN = "900001";
export const SCHEDULE_CRON = "*/15 * * * *";
export const SCHEDULE_NAMES = ["Drill A", "Drill B", "Drill C", "Drill D", "Drill E", "Drill F"];

export type DrillStep =
  | { kind: "market" | "limit"; symbol: string; side: "BUY" | "SELL"; quantity: string }
  | { kind: "cancel"; orderOf: number }
  | { kind: "note" };

/** Six steps per round: two buys, a resting limit, a sell, the limit's cancel, a notification. */
export function planStep(i: number): DrillStep {
  switch (i % 6) {
    case 0:
      return { kind: "market", symbol: "BTCUSDT", side: "BUY", quantity: "0.002" };
    case 1:
      return { kind: "market", symbol: "ETHUSDT", side: "BUY", quantity: "0.03" };
    case 2:
      return { kind: "limit", symbol: "BTCUSDT", side: "BUY", quantity: "0.001" };
    case 3:
      return { kind: "market", symbol: "BTCUSDT", side: "SELL", quantity: "0.001" };
    case 4:
      return { kind: "cancel", orderOf: i - 2 };
    default:
      return { kind: "note" };
  }
}

export const stepOrderId = (i: number) => `drill-${i}`;

/**
 * Which of the report's problems are an item doubled (a count above one, a time fired twice)
 * and which an item missing (a count of zero, never fired), for the suite's figures.
 */
export function problemKinds(problems: readonly string[]): { lost: number; duplicated: number } {
  let lost = 0;
  let duplicated = 0;
  for (const p of problems) {
    const count = /: (\d+) (outbox rows|in the database|at the venue|trades|fill notices)/.exec(p);
    if (/fired twice/.test(p) || (count && Number(count[1]) > 1)) duplicated++;
    else if (/never fired/.test(p) || (count && Number(count[1]) === 0)) lost++;
  }
  return { lost, duplicated };
}

export interface DrillReport {
  /** what is wrong, one line each (empty when the drill held) */
  problems: string[];
  orders: number;
  /** resting orders the plan canceled before any child had submitted them to the venue */
  canceledBeforeSubmit: number;
  /** paper venue fills, and trades recorded from them */
  fills: number;
  trades: number;
  /** schedule due times fired (report rows) */
  scheduleRuns: number;
  /** outbox rows delivered, and the Telegram messages they took (parts) */
  outboxSent: number;
  messagesExpected: number;
}

export async function drillReport(app: App, steps: number): Promise<DrillReport> {
  const db = app.database.prisma;
  const problems: string[] = [];
  let planned = 0;
  let canceledBeforeSubmit = 0;
  for (let i = 0; i < steps; i++) {
    const step = planStep(i);
    if (step.kind === "note") {
      const rows = await db.notificationOutbox.count({ where: { dedupeKey: `drill-note:${i}` } });
      if (rows !== 1) problems.push(`note ${i}: ${rows} outbox rows`);
      continue;
    }
    if (step.kind === "cancel") {
      const target = await db.order.findUnique({
        where: { clientOrderId: stepOrderId(step.orderOf) },
      });
      if (target?.status !== "CANCELED")
        problems.push(`step ${i}: order ${stepOrderId(step.orderOf)} is ${target?.status}`);
      continue;
    }
    planned++;
    const id = stepOrderId(i);
    const inDb = await db.order.findMany({ where: { clientOrderId: id } });
    const atVenue = await db.paperOrder.findMany({ where: { clientOrderId: id } });
    if (inDb.length !== 1) problems.push(`order ${id}: ${inDb.length} in the database`);
    const order = inDb[0];
    // a kill between the order's row and its submission, then the plan's cancel reaching it
    // before the restarted sync job submitted it: canceled here, never at the venue (correct)
    const neverSubmitted =
      step.kind === "limit" &&
      atVenue.length === 0 &&
      order?.status === "CANCELED" &&
      order.brokerOrderId === null &&
      order.rejectReason === "canceled-before-submit";
    if (neverSubmitted) canceledBeforeSubmit++;
    else if (atVenue.length !== 1)
      problems.push(
        `order ${id}: ${atVenue.length} at the venue` +
          (order ? ` (${order.status}, ${order.rejectReason ?? "no reason"})` : ""),
      );
    if (order && step.kind === "market" && order.status !== "FILLED")
      problems.push(`market order ${id} is ${order.status}`);
    if (order && atVenue[0] && order.brokerOrderId !== atVenue[0].brokerOrderId)
      problems.push(
        `order ${id}: broker id ${order.brokerOrderId} ≠ venue ${atVenue[0].brokerOrderId}`,
      );
    if (order && atVenue[0] && order.status !== atVenue[0].status)
      problems.push(`order ${id}: ${order.status} here, ${atVenue[0].status} at the venue`);
  }

  // every venue fill recorded once as a trade, and every trade notified once
  const fills = await db.paperFill.findMany({ select: { brokerTradeId: true } });
  const trades = await db.trade.findMany({ select: { id: true, brokerTradeId: true } });
  const tradeIds = new Map<string, number>();
  for (const t of trades) tradeIds.set(t.brokerTradeId, (tradeIds.get(t.brokerTradeId) ?? 0) + 1);
  for (const f of fills) {
    const n = tradeIds.get(f.brokerTradeId) ?? 0;
    if (n !== 1) problems.push(`venue fill ${f.brokerTradeId}: ${n} trades`);
  }
  if (trades.length !== fills.length)
    problems.push(`${trades.length} trades for ${fills.length} venue fills`);
  for (const t of trades) {
    const n = await db.notificationOutbox.count({ where: { dedupeKey: `fill:${t.id}` } });
    if (n !== 1) problems.push(`trade ${t.id}: ${n} fill notices`);
  }

  // every due time of every schedule fired once, the latest one included
  const now = app.services.ctx.clock.now();
  let scheduleRuns = 0;
  for (const s of await db.schedule.findMany()) {
    const latest = latestRunAtOrBefore(s.cron, s.timeZone, now);
    const fired = await db.notificationOutbox.findMany({
      where: { dedupeKey: { startsWith: `schedule:${s.id}:` } },
      select: { dedupeKey: true },
    });
    scheduleRuns += fired.length;
    if (new Set(fired.map((f) => f.dedupeKey)).size !== fired.length)
      problems.push(`schedule ${s.id}: a due time fired twice`);
    // every schedule was made due at once (drill-child.ts); a due time that passed within the
    // last seconds may not have had its beat yet
    const settled = latest && now.getTime() - latest.getTime() > 10_000 ? latest : null;
    if (fired.length === 0) problems.push(`schedule ${s.id}: never fired`);
    if (settled && s.lastDueAt?.getTime() !== settled.getTime())
      problems.push(
        `schedule ${s.id}: last fired ${s.lastDueAt?.toISOString()}, due ${settled.toISOString()}`,
      );
  }

  const outbox = await db.notificationOutbox.findMany({
    select: { id: true, status: true, partsSent: true },
  });
  for (const row of outbox)
    if (row.status !== "SENT") problems.push(`outbox row ${row.id} is ${row.status}`);
  problems.push(...(await databaseViolations(app)));
  return {
    problems,
    orders: planned,
    canceledBeforeSubmit,
    fills: fills.length,
    trades: trades.length,
    scheduleRuns,
    outboxSent: outbox.filter((r) => r.status === "SENT").length,
    messagesExpected: outbox.reduce((sum, r) => sum + r.partsSent, 0),
  };
}
