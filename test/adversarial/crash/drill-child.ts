// The process the SIGKILL drill kills (sigkill.test.ts): the whole app as main.ts builds it (real
// config, database, jobs, outbox draining to the Telegram twin over HTTP) plus a fixed workload
// run through the real services — market buys and sells that fill at once, resting limit buys
// canceled two steps later, notifications — and a few due schedules the schedule job fires. Every step is idempotent on its clientOrderId or dedupe key, so a restarted child picks
// the plan up where the killed one left it. Run as `node --import tsx drill-child.ts` with
//   DRILL_DATABASE_URL, DRILL_API_ROOT   the database and the twin
//   DRILL_STEPS                         how many workload steps
//   DRILL_MODE=work                     run the plan, then keep running (until killed)
//   DRILL_MODE=finish                   run the plan, wait until everything settled, print one
//                                       line "DRILL-REPORT <json>" (drill-report.ts) and stop
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { latestRunAtOrBefore } from "../../../src/domain/schedules/cron-schedule.ts";
import { toActor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { DEFAULT_BOT } from "../../support/telegram-twin/index.ts";
import {
  DRILL_ADMIN,
  SCHEDULE_CRON,
  SCHEDULE_NAMES,
  drillReport,
  planStep,
  stepOrderId,
} from "./drill-report.ts";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const steps = Number(env("DRILL_STEPS"));
const finish = process.env.DRILL_MODE === "finish";
const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-drill-backups-"));
const config = loadConfig({
  BOT_TOKEN: DEFAULT_BOT.token,
  ADMIN_TELEGRAM_IDS: DRILL_ADMIN,
  DATABASE_URL: env("DRILL_DATABASE_URL"),
  TELEGRAM_API_ROOT: env("DRILL_API_ROOT"),
  LOG_LEVEL: process.env.DRILL_LOG_LEVEL ?? "error",
  LOG_FORMAT: "json",
  OUTBOX_GLOBAL_PER_SECOND: "200",
  OUTBOX_PRIVATE_PER_SECOND: "50",
  // rows a killed child was sending are sent again after this (the default minute is too long here)
  OUTBOX_LEASE_SECONDS: "3",
  BACKUP_DIR: backupDir,
  METRICS_PORT: "0",
});
const app = await createApp(config, { migrate: false });
const { users, chats, portfolios, schedules, trading, orders, notifications } = app.services;
const db = app.database.prisma;

// ── set-up, idempotent (a kill may land in the middle of it) ──
const user =
  (await users.findByTelegramId(DRILL_ADMIN)) ??
  (await users.registerFromTelegram({
    telegramUserId: DRILL_ADMIN,
    firstName: "Ada",
    languageCode: "en",
  }));
const actor = toActor(user);
await chats.registerPrivateChat(user.id, DRILL_ADMIN);
const account =
  (await db.account.findFirst({ where: { userId: user.id, name: "Drill account" } })) ??
  (await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Drill account",
    baseCurrency: "USDT",
    openingBalance: new Decimal("1000000"),
  }));
const portfolio =
  (await db.portfolio.findFirst({ where: { userId: user.id, name: "Drill" } })) ??
  (await portfolios.createPortfolio(actor, { accountId: account.id, name: "Drill" }));
// schedules may run every 15 minutes at most: made due at once (their latest slot), each fires
// that due time during the drill, interleaved with the orders
const slot = latestRunAtOrBefore(SCHEDULE_CRON, "UTC", new Date())!;
for (const name of SCHEDULE_NAMES) {
  if (!(await schedules.nameTaken(actor, name)))
    await schedules.create(actor, {
      name,
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: portfolio.id },
      when: { cron: SCHEDULE_CRON },
      timeZone: "UTC",
    });
}
await db.schedule.updateMany({
  where: { userId: user.id, lastDueAt: null, nextRunAt: { gt: slot } },
  data: { nextRunAt: slot },
});

await app.start();
process.stdout.write("DRILL-READY\n");

// ── the workload ──
for (let i = 0; i < steps; i++) {
  const step = planStep(i);
  if (step.kind === "note") {
    await notifications.enqueueNow({
      userId: user.id,
      type: "REPORT",
      severity: "INFO",
      title: "Drill",
      message: `drill note ${i}`,
      format: "text",
      dedupeKey: `drill-note:${i}`,
    });
  } else if (step.kind === "cancel") {
    const target = await orders.findByClientOrderId(stepOrderId(step.orderOf));
    if (target && ["NEW", "PARTIALLY_FILLED"].includes(target.status))
      await trading.cancel(actor, target.id);
  } else if (!(await orders.findByClientOrderId(stepOrderId(i)))) {
    let price: Decimal | null = null;
    if (step.kind === "limit") {
      // half the bid: it rests until canceled
      const bid = (await app.market.quote(step.symbol)).bid;
      price = bid.div(2).toDecimalPlaces(0, Decimal.ROUND_DOWN);
    }
    await trading.place(actor, {
      portfolioId: portfolio.id,
      symbol: step.symbol,
      side: step.side,
      type: step.kind === "limit" ? "LIMIT" : "MARKET",
      quantity: new Decimal(step.quantity),
      price,
      timeInForce: "GTC",
      clientOrderId: stepOrderId(i),
    });
  }
  if (i % 8 === 7) await app.jobs.runNow("schedule-runner");
  // a pause, so kills land between steps as well as inside them
  await new Promise((r) => setTimeout(r, 15));
}
process.stdout.write("DRILL-PLAN-DONE\n");

if (!finish) {
  // the schedules and the outbox go on until the kill; a new schedule beat now and then
  for (;;) {
    await app.jobs.runNow("schedule-runner");
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ── finish: let the jobs settle everything, then report ──
const deadline = Date.now() + 60_000;
for (;;) {
  await app.jobs.runNow("order-sync");
  await app.jobs.runNow("schedule-runner");
  const unsettled = await db.order.count({
    where: {
      OR: [
        { brokerOrderId: null, status: { notIn: ["REJECTED", "CANCELED"] } },
        { type: "MARKET", status: { not: "FILLED" } },
      ],
    },
  });
  const undelivered = await db.notificationOutbox.count({
    where: { status: { in: ["PENDING", "SENDING"] } },
  });
  if ((unsettled === 0 && undelivered === 0) || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 500));
}
const report = await drillReport(app, steps);
process.stdout.write(`DRILL-REPORT ${JSON.stringify(report)}\n`);
await app.stop();
fs.rmSync(backupDir, { recursive: true, force: true });
process.exit(0);
