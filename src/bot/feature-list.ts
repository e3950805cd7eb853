// Every feature of the bot, in one array: bot.ts installs each phase of every feature in this
// order (see feature.ts). The order is the order of /help and of the Telegram command menu; the
// fallback, which answers whatever no one else did, stays last.
import type { BotDeps } from "./deps.ts";
import type { Feature, FeatureFactory } from "./feature.ts";
import { ONBOARDING, onboarding } from "./features/start-help/onboarding.ts";
import { ORDER_AMEND, orderAmend } from "./features/orders/order-amend.ts";
import { ORDER_BRACKET, orderBracket } from "./features/orders/order-bracket.ts";
import { ORDER_ENTRY, orderEntry } from "./features/orders/order-entry.ts";
import {
  NEW_ACCOUNT,
  NEW_PORTFOLIO,
  RENAME_PORTFOLIO,
  newAccount,
  newPortfolio,
  renamePortfolio,
} from "./features/portfolios/portfolio-setup.ts";
import { ROTATE_KEY, rotateKey } from "./features/credentials/rotate-key.ts";
import { RUN_STRATEGY, runStrategy } from "./features/strategy-runs/strategy-run.ts";
import { NEW_STRATEGY, newStrategy } from "./features/strategies/strategy-new.ts";
import { ALERT_NEW, newAlert } from "./features/alerts/alert-new.ts";
import { SCREENER_NEW, newScreener } from "./features/screeners/screener-new.ts";
import { NEW_POLICY, policyConversation } from "./features/risk/risk-policy.ts";
import { NEW_SCHEDULE, newSchedule } from "./features/schedules/schedule-create.ts";
import { credentialsFeature, registerCredentials } from "./features/credentials/credentials.ts";
import { adminUsersFeature, registerAdminUsers } from "./features/admin-users/admin-users.ts";
import { approvalsFeature } from "./features/approvals/approvals.ts";
import { backupsFeature, registerBackups } from "./features/backups/backups.ts";
import { chatsFeature, registerChats } from "./features/chats/chats.ts";
import { fallbackFeature } from "./features/fallback/fallback.ts";
import { outboxFeature, registerOutbox } from "./features/outbox/outbox-admin.ts";
import { registerMarket } from "./features/market/market.ts";
import { ordersFeature, registerOrders } from "./features/orders/orders.ts";
import {
  portfolioControlsFeature,
  registerPortfolioControls,
} from "./features/portfolio-controls/portfolio-controls.ts";
import {
  createPortfolioMenu,
  portfolioButtonsFeature,
  registerPortfolios,
} from "./features/portfolios/portfolios.ts";
import { registerPositions } from "./features/positions/positions.ts";
import { registerTradeReports } from "./features/trade-reports/trade-reports.ts";
import { registerExports } from "./features/exports/exports.ts";
import { registerStrategies } from "./features/strategies/strategies.ts";
import { registerStrategyRuns, strategyRunsFeature } from "./features/strategy-runs/strategy-runs.ts";
import { registerBacktests } from "./features/backtests/backtests.ts";
import { registerRisk, riskFeature } from "./features/risk/risk.ts";
import { alertsFeature, registerAlerts } from "./features/alerts/alerts.ts";
import { registerScreeners, screenersFeature } from "./features/screeners/screeners.ts";
import { registerSchedules, schedulesFeature } from "./features/schedules/schedules.ts";
import {
  SETTINGS_TIME_ZONE,
  createSettingsMenu,
  registerSettings,
  settingsTimeZone,
} from "./features/settings/settings.ts";
import { newcomerOnboarding, registerStartHelp } from "./features/start-help/start-help.ts";
import { registerStatus } from "./features/status/admin-status.ts";

const startHelp: FeatureFactory = () => ({
  name: "start-help",
  conversations: [[onboarding, ONBOARDING]],
  // after the conversations it may enter, before the commands it goes ahead of
  beforeMenus: newcomerOnboarding(),
  register: registerStartHelp,
});

const portfolios: FeatureFactory = () => {
  const menu = createPortfolioMenu();
  return {
    name: "portfolios",
    conversations: [
      [newAccount, NEW_ACCOUNT],
      [newPortfolio, NEW_PORTFOLIO],
      [renamePortfolio, RENAME_PORTFOLIO],
    ],
    menus: [menu],
    register: (registry) => registerPortfolios(registry, menu),
    handlers: portfolioButtonsFeature(),
  };
};

const market: FeatureFactory = () => ({ name: "market", register: registerMarket });

const orders: FeatureFactory = () => ({
  name: "orders",
  conversations: [
    [orderEntry, ORDER_ENTRY],
    [orderAmend, ORDER_AMEND],
    [orderBracket, ORDER_BRACKET],
  ],
  register: registerOrders,
  handlers: ordersFeature(),
});

const portfolioControls: FeatureFactory = () => ({
  name: "portfolio-controls",
  register: registerPortfolioControls,
  handlers: portfolioControlsFeature(),
});

const positions: FeatureFactory = () => ({ name: "positions", register: registerPositions });

const tradeReports: FeatureFactory = () => ({
  name: "trade-reports",
  register: registerTradeReports,
});

const exports: FeatureFactory = () => ({ name: "exports", register: registerExports });

const strategies: FeatureFactory = () => ({
  name: "strategies",
  conversations: [[newStrategy, NEW_STRATEGY]],
  register: registerStrategies,
});

const strategyRuns: FeatureFactory = () => ({
  name: "strategy-runs",
  conversations: [[runStrategy, RUN_STRATEGY]],
  register: registerStrategyRuns,
  handlers: strategyRunsFeature(),
});

const backtests: FeatureFactory = () => ({ name: "backtests", register: registerBacktests });

const risk: FeatureFactory = (deps) => {
  const riskDeps = { risk: deps.services.risk, policies: deps.services.riskPolicies };
  return {
    name: "risk",
    conversations: [[policyConversation(riskDeps.policies), NEW_POLICY]],
    register: (registry) => registerRisk(registry, riskDeps),
    handlers: riskFeature(riskDeps),
  };
};

const alerts: FeatureFactory = () => ({
  name: "alerts",
  conversations: [[newAlert, ALERT_NEW]],
  register: registerAlerts,
  handlers: alertsFeature(),
});

const screeners: FeatureFactory = () => ({
  name: "screeners",
  conversations: [[newScreener, SCREENER_NEW]],
  register: registerScreeners,
  handlers: screenersFeature(),
});

const schedules: FeatureFactory = () => ({
  name: "schedules",
  conversations: [[newSchedule, NEW_SCHEDULE]],
  register: registerSchedules,
  handlers: schedulesFeature(),
});

const chats: FeatureFactory = () => ({
  name: "chats",
  register: registerChats,
  // before the commands: /link in channels has no author for the per-user guard
  beforeCommands: chatsFeature(),
});

const credentials: FeatureFactory = () => ({
  name: "credentials",
  conversations: [[rotateKey, ROTATE_KEY]],
  register: registerCredentials,
  handlers: credentialsFeature(),
});

const settings: FeatureFactory = () => {
  const menu = createSettingsMenu();
  return {
    name: "settings",
    conversations: [[settingsTimeZone, SETTINGS_TIME_ZONE]],
    menus: [menu],
    register: (registry) => registerSettings(registry, menu),
  };
};

const adminUsers: FeatureFactory = () => ({
  name: "admin-users",
  register: registerAdminUsers,
  handlers: adminUsersFeature(),
});

const outbox: FeatureFactory = () => ({
  name: "outbox",
  register: registerOutbox,
  handlers: outboxFeature(),
});

const backups: FeatureFactory = () => ({
  name: "backups",
  register: registerBackups,
  handlers: backupsFeature(),
});

const status: FeatureFactory = () => ({ name: "status", register: registerStatus });

const approvals: FeatureFactory = () => ({ name: "approvals", handlers: approvalsFeature() });

const fallback: FeatureFactory = () => ({ name: "fallback", handlers: fallbackFeature() });

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
