// Builds a schedule runner the way the app does — real services, the real report composer with
// the real translations, the real outbox — on a given database connection, so tests can run
// several runners side by side (two processes) or one after another (a restart).
import pino from "pino";
import { BotRetirementNotifier } from "../../../src/bot/features/portfolios/retirement-notifier.ts";
import { Notifier } from "../../../src/bot/notifier.ts";
import { createI18n } from "../../../src/bot/i18n.ts";
import { ReportComposer } from "../../../src/bot/reports/report-composer.ts";
import type { Database } from "../../../src/db/client.ts";
import { NotificationService } from "../../../src/domain/notifications/notification-service.ts";
import { PnlService } from "../../../src/domain/pnl/pnl-service.ts";
import { ReportService } from "../../../src/domain/reports/report-service.ts";
import { ScheduleService } from "../../../src/domain/schedules/schedule-service.ts";
import { createServices } from "../../../src/domain/services.ts";
import { ScheduleRunner } from "../../../src/domain/schedules/schedule-runner.ts";
import { ScheduleRunnerJob } from "../../../src/jobs/schedule-runner.ts";
import type { Clock } from "../../../src/lib/clock.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import type { MarketData } from "../../../src/market/types.ts";
import { LinearMarket } from "../reports/support.ts";

const i18n = createI18n("en");
const silent = pino({ level: "silent" });

export interface RunnerWorld {
  runner: ScheduleRunnerJob;
  schedules: ScheduleService;
  reports: ReportService;
}

export function runnerOn(
  database: Database,
  clock: Clock,
  marketBase: Date,
  /** the market data source's reachability, asked before each run (always reachable if absent) */
  marketStatus?: Pick<MarketData, "reachable" | "name">,
): RunnerWorld {
  const market = new LinearMarket(marketBase, clock);
  const services = createServices(database, {
    clock,
    market: new OfflineMarketData({ clock }),
    prices: market,
    users: { adminTelegramIds: ["1"], maxUsers: 1000, supportedLanguages: ["en", "ru"] },
  });
  const { ctx, portfolios, positions, instruments, users } = services;
  const pnl = new PnlService(ctx, portfolios, positions, instruments, market);
  const reports = new ReportService(ctx, { portfolios, pnl, history: market, marks: market });
  const schedules = new ScheduleService(ctx, portfolios);
  const notifier = new Notifier(services, i18n, "en");
  portfolios.useNotifier(new BotRetirementNotifier(notifier));
  const composer = new ReportComposer({
    users,
    reports,
    notifier,
    market: { name: "test", synthetic: true },
  });
  const runner = new ScheduleRunnerJob({
    runner: new ScheduleRunner({
      ctx,
      schedules,
      notifications: new NotificationService(ctx),
      logger: silent,
    }),
    composer,
    clock,
    logger: silent,
    market: marketStatus,
  });
  return { runner, schedules, reports };
}
