// Assembles the bot: grammY plus its plugins, in the order they depend on each other, then the
// features. Order matters: the user is loaded before i18n negotiates their language; i18n comes
// before menus (grammY#592); conversations come before the menus and commands that enter them
// (conversations#119); the fallback comes last.
import { conversations, createConversation } from "@grammyjs/conversations";
import { limit } from "@grammyjs/ratelimiter";
import { sequentialize } from "@grammyjs/runner";
import { Bot, Composer, type Context, type StorageAdapter, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { retryTransformer, wireAwareBuildUrl } from "./api-retry.ts";
import { menuPressGuard } from "./checked-menu.ts";
import { CommandRegistry } from "./commands/registry.ts";
import type { BotContext, ConvContext, SessionData } from "./context.ts";
import type { BotDeps } from "./deps.ts";
import { ONBOARDING, onboarding } from "./conversations/onboarding.ts";
import { ORDER_AMEND, orderAmend } from "./conversations/order-amend.ts";
import { ORDER_BRACKET, orderBracket } from "./conversations/order-bracket.ts";
import { ORDER_ENTRY, orderEntry } from "./conversations/order-entry.ts";
import {
  NEW_ACCOUNT,
  NEW_PORTFOLIO,
  RENAME_PORTFOLIO,
  newAccount,
  newPortfolio,
  renamePortfolio,
} from "./conversations/portfolio-setup.ts";
import { ROTATE_KEY, rotateKey } from "./conversations/rotate-key.ts";
import { credentialsFeature, registerCredentials } from "./features/credentials.ts";
import { secretCapture } from "./middlewares/secret-capture.ts";
import { secretExpected } from "./conversations/secret-input.ts";
import { SecretInbox } from "./secret-inbox.ts";
import { adminUsersFeature, registerAdminUsers } from "./features/admin-users.ts";
import { approvalsFeature } from "./features/approvals.ts";
import { backupsFeature, registerBackups } from "./features/backups.ts";
import { chatsFeature, registerChats } from "./features/chats.ts";
import { fallbackFeature } from "./features/fallback.ts";
import { outboxFeature, registerOutbox } from "./features/outbox-admin.ts";
import { registerMarket } from "./features/market.ts";
import { ordersFeature, registerOrders } from "./features/orders.ts";
import {
  portfolioControlsFeature,
  registerPortfolioControls,
} from "./features/portfolio-controls.ts";
import {
  createPortfolioMenu,
  portfolioButtonsFeature,
  registerPortfolios,
} from "./features/portfolios.ts";
import { registerPositions } from "./features/positions.ts";
import { registerTradeReports } from "./features/trade-reports.ts";
import { registerExports } from "./features/exports.ts";
import { registerStrategies } from "./features/strategies.ts";
import { registerStrategyRuns, strategyRunsFeature } from "./features/strategy-runs.ts";
import { registerBacktests } from "./features/backtests.ts";
import { RUN_STRATEGY, runStrategy } from "./conversations/strategy-run.ts";
import { NEW_STRATEGY, newStrategy } from "./conversations/strategy-new.ts";
import { registerRisk, riskFeature } from "./features/risk.ts";
import { alertsFeature, registerAlerts } from "./features/alerts.ts";
import { registerScreeners, screenersFeature } from "./features/screeners.ts";
import { ALERT_NEW, newAlert } from "./conversations/alert-new.ts";
import { SCREENER_NEW, newScreener } from "./conversations/screener-new.ts";
import { NEW_POLICY, policyConversation } from "./conversations/risk-policy.ts";
import { registerSchedules, schedulesFeature } from "./features/schedules.ts";
import { NEW_SCHEDULE, newSchedule } from "./conversations/schedule-create.ts";
import {
  SETTINGS_TIME_ZONE,
  createSettingsMenu,
  registerSettings,
  settingsTimeZone,
} from "./features/settings.ts";
import { newcomerOnboarding, registerStartHelp } from "./features/start-help.ts";
import { commandGuard } from "./middlewares/access.ts";
import { commandLeavesConversation } from "./middlewares/command-leaves-conversation.ts";
import { buttonOwnerGuard, forgedChatGuard, ownerTransformer } from "./middlewares/button-owner.ts";
import { updateMetrics } from "./middlewares/metrics.ts";
import { registerStatus } from "./features/admin-status.ts";
import { answerOnce } from "./middlewares/answer-once.ts";
import { clipEchoes } from "./middlewares/clip-echoes.ts";
import { errorBoundary } from "./middlewares/error-boundary.ts";
import { loadUser } from "./middlewares/load-user.ts";
import { updateContext } from "./middlewares/update-context.ts";

/**
 * The long poll's own wait (Telegram holds getUpdates open up to this long when nothing comes):
 * 30 s, as the runner's default, but always 5 s inside the client's timeout, or every quiet poll
 * would end as a timed-out request.
 */
export function longPollSeconds(timeoutSeconds: number): number {
  return Math.max(1, Math.min(30, timeoutSeconds - 5));
}

/** Bump when a conversation's steps change: stored conversations of older versions restart. */
export const CONVERSATION_VERSION = 3;

export interface BotOptions {
  token: string;
  apiRoot: string;
  /** how long one Bot API call may take before grammY gives up on it (and it is retried) */
  timeoutSeconds: number;
  /** known bot identity (tests, benchmarks): skips getMe at start */
  botInfo?: UserFromGetMe;
  /**
   * Where sessions and conversations are kept (one key-value store; the app gives it the
   * database's session table, so the bot never touches the database itself).
   */
  sessionStorage: StorageAdapter<unknown>;
}

/**
 * Sessions, conversations and the per-chat update queue are kept per person in each chat: in a
 * private chat (whose only user is its id, see forgedChatGuard) the chat id, as it always was; in
 * a group "<chat>:<user>", so one member's drafts and conversations are never another's.
 */
export function sessionKey(ctx: Context): string | undefined {
  const chat = ctx.chat?.id.toString();
  const from = ctx.from?.id.toString();
  if (chat === undefined) return from;
  if (from === undefined || ctx.chat?.type === "private") return chat;
  return `${chat}:${from}`;
}

export type BotFactoryDeps = Omit<BotDeps, "registry" | "secretInbox">;

export function createBot(
  base: BotFactoryDeps,
  options: BotOptions,
): { bot: Bot<BotContext>; registry: CommandRegistry } {
  const deps: BotDeps = {
    ...base,
    registry: new CommandRegistry(),
    secretInbox: new SecretInbox(),
  };
  const bot = new Bot<BotContext>(options.token, {
    // every conversation's Api is made from these options: buildUrl tells its retries apart
    // from the replay of its log (api-retry.ts)
    client: {
      apiRoot: options.apiRoot,
      buildUrl: wireAwareBuildUrl,
      timeoutSeconds: options.timeoutSeconds,
    },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  bot.api.config.use(retryTransformer());
  const store = options.sessionStorage;

  bot.use(updateContext(deps));
  bot.use(updateMetrics());
  // before anything is read or written for the sender
  bot.use(forgedChatGuard());
  // one update at a time per person and chat, concurrency across them (with @grammyjs/runner)
  bot.use(sequentialize(sessionKey));
  // the apology when loading the user fails (the database unreachable), see error-boundary.ts
  bot.use(errorBoundary());
  bot.use(loadUser());
  bot.use(deps.i18n);
  bot.use(clipEchoes());
  bot.use(errorBoundary());
  // before sessions, conversations and menus: they must only ever see the owner's presses, and
  // its outgoing transformer must sit inside the menus' one (menus render first, then it tags)
  bot.use(buttonOwnerGuard());
  // A flood gets one "slow down" per window, not one per dropped message: answering every dropped
  // message would itself flood the chat past Telegram's 1 message/s.
  const warnedUntil = new Map<number, number>();
  bot.use(
    limit<BotContext, never>({
      timeFrame: deps.config.RATE_LIMIT_WINDOW_MS,
      limit: deps.config.RATE_LIMIT_PER_WINDOW,
      keyGenerator: (ctx) => ctx.from?.id.toString(),
      onLimitExceeded: async (ctx) => {
        if (ctx.callbackQuery)
          return void (await ctx.answerCallbackQuery({ text: ctx.t("rate-limited") }));
        const now = Date.now();
        const userId = ctx.from?.id;
        if (userId === undefined || ctx.chat?.type !== "private") return;
        if ((warnedUntil.get(userId) ?? 0) > now) return;
        for (const [id, until] of warnedUntil) if (until <= now) warnedUntil.delete(id);
        warnedUntil.set(userId, now + deps.config.RATE_LIMIT_WINDOW_MS);
        await ctx.reply(ctx.t("rate-limited"));
      },
    }),
  );
  bot.use(
    session<SessionData, BotContext>({
      initial: () => ({ v: 1 }),
      getSessionKey: sessionKey,
      storage: store as never,
    }),
  );
  bot.use(
    conversations<BotContext, ConvContext>({
      // an armed secret capture belongs to one conversation run: never to the next one
      onEnter: (_id, ctx) => void delete ctx.session.secretEntry,
      onExit: (_id, ctx) => void delete ctx.session.secretEntry,
      storage: {
        type: "key",
        version: CONVERSATION_VERSION,
        prefix: "conv:",
        adapter: store as never,
        getStorageKey: sessionKey,
      },
      // a conversation builds its own context and Api: give it what the outside has
      plugins: [
        async (ctx, next) => {
          ctx.api.config.use(retryTransformer());
          ctx.api.config.use(ownerTransformer(ctx.from?.id));
          ctx.deps = deps;
          ctx.user = ctx.from
            ? await deps.services.users.findByTelegramId(String(ctx.from.id))
            : null;
          ctx.actor = ctx.user ? deps.services.users.actorOf(ctx.user) : null;
          await next();
        },
        deps.i18n,
      ],
    }),
  );
  // after the plugin (it needs ctx.conversation), before the conversations that would eat commands
  bot.use(commandLeavesConversation(deps.registry));
  // a secret a conversation asked for leaves the chat and the update before the conversation runs
  bot.use(secretCapture(deps.secretInbox, (ctx) => secretExpected(ctx)));
  bot.use(createConversation(onboarding, ONBOARDING));
  bot.use(createConversation(settingsTimeZone, SETTINGS_TIME_ZONE));
  bot.use(createConversation(newAccount, NEW_ACCOUNT));
  bot.use(createConversation(newPortfolio, NEW_PORTFOLIO));
  bot.use(createConversation(renamePortfolio, RENAME_PORTFOLIO));
  bot.use(createConversation(orderEntry, ORDER_ENTRY));
  bot.use(createConversation(orderAmend, ORDER_AMEND));
  bot.use(createConversation(orderBracket, ORDER_BRACKET));
  bot.use(createConversation(newSchedule, NEW_SCHEDULE));
  bot.use(createConversation(newAlert, ALERT_NEW));
  bot.use(createConversation(newScreener, SCREENER_NEW));
  bot.use(createConversation(rotateKey, ROTATE_KEY));
  bot.use(createConversation(runStrategy, RUN_STRATEGY));
  bot.use(createConversation(newStrategy, NEW_STRATEGY));
  const riskDeps = { risk: deps.services.risk, policies: deps.services.riskPolicies };
  bot.use(createConversation(policyConversation(riskDeps.policies), NEW_POLICY));

  // after the conversations it may enter, before the commands it goes ahead of
  bot.use(newcomerOnboarding());

  const settingsMenu = createSettingsMenu();
  const portfolioMenu = createPortfolioMenu();
  // one answer per press: the menus' automatic blank answer never races a handler's own
  bot.use(answerOnce());
  // a press naming a button these menus do not have (stale or forged) stops here as stale
  bot.use(menuPressGuard([settingsMenu, portfolioMenu]));
  bot.use(settingsMenu);
  bot.use(portfolioMenu);

  // declaration order is the order of /help and of the Telegram command menu
  registerStartHelp(deps.registry);
  registerPortfolios(deps.registry, portfolioMenu);
  registerMarket(deps.registry);
  registerOrders(deps.registry);
  registerPortfolioControls(deps.registry);
  registerPositions(deps.registry);
  registerTradeReports(deps.registry);
  registerExports(deps.registry);
  registerStrategies(deps.registry);
  registerStrategyRuns(deps.registry);
  registerBacktests(deps.registry);
  registerRisk(deps.registry, riskDeps);
  registerAlerts(deps.registry);
  registerScreeners(deps.registry);
  registerSchedules(deps.registry);
  registerChats(deps.registry);
  registerCredentials(deps.registry);
  registerSettings(deps.registry, settingsMenu);
  registerAdminUsers(deps.registry);
  registerOutbox(deps.registry);
  registerBackups(deps.registry);
  registerStatus(deps.registry);

  // before the commands: /link in channels has no author for the per-user guard
  bot.use(chatsFeature());
  const commands = new Composer<BotContext>();
  deps.registry.install(commands, commandGuard);
  bot.use(commands);
  bot.use(approvalsFeature());
  bot.use(adminUsersFeature());
  bot.use(outboxFeature());
  bot.use(backupsFeature());
  bot.use(ordersFeature());
  bot.use(portfolioControlsFeature());
  bot.use(strategyRunsFeature());
  bot.use(portfolioButtonsFeature());
  bot.use(schedulesFeature());
  bot.use(riskFeature(riskDeps));
  bot.use(alertsFeature());
  bot.use(screenersFeature());
  bot.use(credentialsFeature());
  bot.use(fallbackFeature());

  bot.catch((err) => {
    deps.logger.error(
      { err: err.error, update: err.ctx.update.update_id },
      "update failed outside the error boundary",
    );
  });
  return { bot, registry: deps.registry };
}
