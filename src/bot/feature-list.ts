// Every feature of the bot, in one array: bot.ts installs each phase of every feature in this
// order (see feature.ts). The order is the order of /help and of the Telegram command menu; the
// fallback, which answers whatever no one else did, stays last.
import type { BotDeps } from "./deps.ts";
import type { Feature, FeatureFactory } from "./feature.ts";
import { feature as startHelp } from "./features/start-help/feature.ts";
import { feature as portfolios } from "./features/portfolios/feature.ts";
import { feature as market } from "./features/market/feature.ts";
import { feature as orders } from "./features/orders/feature.ts";
import { feature as portfolioControls } from "./features/portfolio-controls/feature.ts";
import { feature as positions } from "./features/positions/feature.ts";
import { feature as tradeReports } from "./features/trade-reports/feature.ts";
import { feature as exports } from "./features/exports/feature.ts";
import { feature as strategies } from "./features/strategies/feature.ts";
import { feature as strategyRuns } from "./features/strategy-runs/feature.ts";
import { feature as backtests } from "./features/backtests/feature.ts";
import { feature as risk } from "./features/risk/feature.ts";
import { feature as alerts } from "./features/alerts/feature.ts";
import { feature as screeners } from "./features/screeners/feature.ts";
import { feature as schedules } from "./features/schedules/feature.ts";
import { feature as chats } from "./features/chats/feature.ts";
import { feature as credentials } from "./features/credentials/feature.ts";
import { feature as settings } from "./features/settings/feature.ts";
import { feature as adminUsers } from "./features/admin-users/feature.ts";
import { feature as outbox } from "./features/outbox/feature.ts";
import { feature as backups } from "./features/backups/feature.ts";
import { feature as status } from "./features/status/feature.ts";
import { feature as approvals } from "./features/approvals/feature.ts";
import { feature as fallback } from "./features/fallback/feature.ts";

export const FEATURES: readonly FeatureFactory[] = [
  startHelp,
  portfolios,
  market,
  orders,
  portfolioControls,
  positions,
  tradeReports,
  exports,
  strategies,
  strategyRuns,
  backtests,
  risk,
  alerts,
  screeners,
  schedules,
  chats,
  credentials,
  settings,
  adminUsers,
  outbox,
  backups,
  status,
  approvals,
  // last: answers whatever no feature above did
  fallback,
];

/** The features of one bot, built for its deps. */
export function buildFeatures(deps: BotDeps): Feature[] {
  return FEATURES.map((factory) => factory(deps));
}
