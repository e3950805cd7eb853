// The bot and the notifier the domain services report through (fills, risk, retirements,
// backups, strategies), with sessions kept in the database so instances share them.
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "../config.ts";
import type { Services } from "../domain/services.ts";
import type { Logger } from "../logger.ts";
import type { MarketData } from "../market/types.ts";
import type { HealthMonitor } from "../ops/health.ts";
import type { PrometheusMetrics } from "../ops/prometheus.ts";
import { createBot } from "../bot/bot.ts";
import { SessionStore } from "./session-store.ts";
import { createI18n } from "../bot/i18n.ts";
import { registerFillNotifications } from "../bot/features/orders/fill-notifications.ts";
import { Notifier } from "../bot/notifier.ts";
import { BotRiskNotifier } from "../bot/features/risk/risk.ts";
import { BotRetirementNotifier } from "../bot/features/portfolios/retirement-notifier.ts";
import { BotBackupAlerts } from "../bot/features/backups/backups.ts";
import { BotStrategyNotifier } from "../bot/features/strategies/strategy-notices.ts";

/** The notifier, with every domain service that reports to users hooked up to it. */
export function wireNotifications(config: Config, services: Services) {
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const notifier = new Notifier(services, i18n, config.DEFAULT_LOCALE);
  registerFillNotifications(services, notifier);
  const riskNotifier = new BotRiskNotifier(notifier);
  services.risk.useNotifier(riskNotifier);
  services.portfolios.useNotifier(new BotRetirementNotifier(notifier));
  services.backups.useAlertRenderer(new BotBackupAlerts(notifier));
  services.strategyRuntime.useNotifier(new BotStrategyNotifier(notifier));
  return { i18n, notifier, riskNotifier };
}

export interface BotSources {
  config: Config;
  logger: Logger;
  services: Services;
  market: MarketData;
  metrics: PrometheusMetrics;
  notifications: ReturnType<typeof wireNotifications>;
  /** the health report, made later than the bot that shows it (/status) */
  health: () => HealthMonitor;
  botInfo?: UserFromGetMe;
}

export function buildBot(sources: BotSources) {
  const { config, services, notifications } = sources;
  return createBot(
    {
      config,
      logger: sources.logger,
      i18n: notifications.i18n,
      services,
      market: sources.market,
      notifier: notifications.notifier,
      metrics: sources.metrics,
      health: { report: () => sources.health().report() },
    },
    {
      token: config.BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      timeoutSeconds: config.TELEGRAM_TIMEOUT_SECONDS,
      ...(sources.botInfo ? { botInfo: sources.botInfo } : {}),
      // sessions and conversations live in the database's session table (instances share them)
      sessionStorage: new SessionStore(services.ctx.db.session, Date.now, services.ctx.writes),
    },
  );
}
