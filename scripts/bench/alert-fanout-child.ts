// B7's measured process (see b7-alert-fanout.ts): the app on live market data (MARKET_DATA=binance
// at the exchange twin the parent runs, so ccxt is loaded here and the twin's memory is not),
// with users and price alerts created through the domain, and the alert job run cycle by cycle
// as the parent asks over IPC. The parent owns the twin: it moves prices and counts requests.
//
// Messages from the parent: { type: "cycle" } | { type: "naive" } | { type: "done" }.
// Answers: "ready" (seeded), "cycle-done" (one run of the alert job), "naive-done" (one request
// per alert through a bare ccxt client), "done" (memory figures; then the process exits).
import pino from "pino";
import { createApp } from "../../src/app.ts";
import { createI18n } from "../../src/bot/i18n.ts";
import { createAlertNotifier } from "../../src/bot/features/alerts/alerts.ts";
import { Notifier } from "../../src/bot/notifier.ts";
import { loadConfig } from "../../src/config.ts";
import { conditionSymbol } from "../../src/domain/alerts/alert-config.ts";
import { validateAlertConfig } from "../../src/domain/alerts/alert-validation.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { AlertEvaluator } from "../../src/jobs/alerts.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { createExchange } from "../../src/market/ccxt/client.ts";
import { BOT_INFO, TOKEN } from "./bench-bot.ts";
import { RssSampler } from "./support.ts";

export interface FanoutChildArgs {
  twinUrl: string;
  /**
   * the database, made (migrated, reference data seeded) by the parent: setting it up opens a
   * second Prisma client, whose memory is the set-up's, not the bot's
   */
  databaseUrl: string;
  users: number;
  alertsPerUser: number;
  symbols: string[];
}

export type ToChild = { type: "cycle" } | { type: "naive" } | { type: "done" };
export type FromChild =
  | {
      type: "ready";
      alerts: number;
      seedSeconds: number;
      rssBeforeAppMb: number;
      /** peak while the app started, loaded ccxt and the users created their alerts */
      seedPeakRssMb: number;
    }
  | {
      type: "cycle-done";
      seconds: number;
      /** CPU time this process spent in the cycle (user + system): the machine's load aside */
      cpuSeconds: number;
      evaluated: number;
      fired: number;
      failed: number;
      /** the process's peak during the cycle */
      peakRssMb: number;
      /** V8's heap in use after the cycle (live objects and garbage not yet collected) */
      heapUsedMb: number;
    }
  | { type: "naive-done"; seconds: number; requests: number; peakRssMb: number }
  /** market: the source's name, "ccxt:binance" (ccxt is loaded) */
  | { type: "done"; rssMb: number; peakRssMb: number; market: string };

/** The alert job's beat (src/jobs/alerts.ts ALERT_JOB_PATTERN): each cycle is 20 s later. */
const BEAT_MS = 20_000;
const FIRST_USER_ID = 7_000_000;
const MB = 1024 * 1024;

function send(message: FromChild): void {
  process.send!(message);
}

async function main(args: FanoutChildArgs): Promise<void> {
  const rssBeforeApp = process.memoryUsage.rss();
  const sampler = new RssSampler().start(20);
  const clock = new ManualClock(new Date());
  const logger = pino({ level: "silent" });
  const config = loadConfig({
    BOT_TOKEN: TOKEN,
    ADMIN_TELEGRAM_IDS: "1",
    DATABASE_URL: args.databaseUrl,
    LOG_LEVEL: "silent",
    JOBS_ENABLED: "false",
    MAX_USERS: String(args.users + 1),
    MARKET_DATA: "binance",
    EXCHANGE_API_URL: args.twinUrl,
  });
  const app = await createApp(config, { logger, botInfo: BOT_INFO, migrate: false, clock });
  try {
    // the alert job exactly as createApp schedules it
    const job = new AlertEvaluator({
      alerts: app.services.alerts,
      market: app.market,
      notifier: createAlertNotifier(new Notifier(app.services, createI18n("en"), "en")),
      clock,
      logger,
    });

    const seedStart = performance.now();
    const { users, alerts } = app.services;
    const admin = toActor(await users.registerFromTelegram({ telegramUserId: "1" }));
    let created = 0;
    for (let u = 0; u < args.users; u++) {
      const user = await users.registerFromTelegram({
        telegramUserId: String(FIRST_USER_ID + u),
        firstName: `Bench ${u}`,
      });
      const actor = toActor(await users.approve(admin, user.id));
      for (let a = 0; a < args.alertsPerUser; a++) {
        // each user watches half the market; every symbol is watched by ten alerts
        const symbol = args.symbols[(u * args.alertsPerUser + a) % args.symbols.length]!;
        const last = (await app.market.quote(symbol)).last;
        // thresholds from 0.5 % to 3 % either side: the parent's price walk crosses some
        const offset = new Decimal(((a % 6) + 1) * 0.005);
        const above = a % 2 === 0;
        const level = last.times(above ? offset.plus(1) : new Decimal(1).minus(offset));
        await alerts.createFromText(
          actor,
          `${symbol} ${above ? "above" : "below"} ${level.toSignificantDigits(6).toFixed()}`,
        );
        created++;
      }
    }
    send({
      type: "ready",
      alerts: created,
      seedSeconds: (performance.now() - seedStart) / 1000,
      rssBeforeAppMb: rssBeforeApp / MB,
      seedPeakRssMb: sampler.phase() / MB,
    });

    for await (const message of messages()) {
      if (message.type === "cycle") {
        clock.advance(BEAT_MS);
        const start = performance.now();
        const cpu = process.cpuUsage();
        const summary = await job.runOnce();
        const used = process.cpuUsage(cpu);
        send({
          type: "cycle-done",
          seconds: (performance.now() - start) / 1000,
          cpuSeconds: (used.user + used.system) / 1e6,
          evaluated: summary.evaluated,
          fired: summary.fired,
          failed: summary.failed + (summary.marketDown ? 1 : 0),
          peakRssMb: sampler.phase() / MB,
          heapUsedMb: process.memoryUsage().heapUsed / MB,
        });
      } else if (message.type === "naive") {
        const naive = await naiveCycle(app, args.twinUrl);
        send({ type: "naive-done", ...naive, peakRssMb: sampler.phase() / MB });
      } else {
        send({
          type: "done",
          rssMb: process.memoryUsage.rss() / MB,
          peakRssMb: sampler.stop() / MB,
          market: app.market.name,
        });
        return;
      }
    }
  } finally {
    await app.stop();
  }
}

/**
 * The naive baseline: every active alert asks the exchange for its own symbol's ticker, one
 * request each, through a bare ccxt client (its limiter at 1 ms: on Binance's own 50 ms per unit
 * the thousand requests alone would take over a minute, so this time is a lower bound).
 */
async function naiveCycle(
  app: Awaited<ReturnType<typeof createApp>>,
  twinUrl: string,
): Promise<{ seconds: number; requests: number }> {
  const client = await createExchange({ id: "binance", apiUrl: twinUrl, rateLimitMs: 1 });
  await client.loadMarkets();
  const rows = await app.services.ctx.db.alert.findMany({
    where: { isActive: true },
    select: { config: true },
    orderBy: { id: "asc" },
  });
  const start = performance.now();
  for (const row of rows) {
    const symbol = conditionSymbol(validateAlertConfig(row.config).condition)!;
    const market = client.markets_by_id?.[symbol]?.[0];
    if (!market) throw new Error(`the exchange does not list ${symbol}`);
    await client.fetchTicker(market.symbol);
  }
  return { seconds: (performance.now() - start) / 1000, requests: rows.length };
}

async function* messages(): AsyncGenerator<ToChild> {
  const queue: ToChild[] = [];
  let wake: (() => void) | null = null;
  process.on("message", (m: ToChild) => {
    queue.push(m);
    wake?.();
  });
  for (;;) {
    while (queue.length) yield queue.shift()!;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}

const args = JSON.parse(process.argv[2] ?? "{}") as FanoutChildArgs;
await main(args);
process.exit(0);
