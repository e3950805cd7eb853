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
import { secretCapture } from "./middlewares/secret-capture.ts";
import { secretExpected } from "./conversations/secret-input.ts";
import { SecretInbox } from "./secret-inbox.ts";
import { buildFeatures } from "./feature-list.ts";
import { commandGuard } from "./middlewares/access.ts";
import { commandLeavesConversation } from "./middlewares/command-leaves-conversation.ts";
import { buttonOwnerGuard, forgedChatGuard, ownerTransformer } from "./middlewares/button-owner.ts";
import { updateMetrics } from "./middlewares/metrics.ts";
import { answerOnce } from "./middlewares/answer-once.ts";
import { clipEchoes } from "./middlewares/clip-echoes.ts";
import { errorBoundary } from "./middlewares/error-boundary.ts";
import { loadUser } from "./middlewares/load-user.ts";
import { isUpdateScoped, sessionPrefetch } from "./middlewares/session-prefetch.ts";
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

/** Where a stored conversation's key starts (then the session key). */
const CONVERSATION_PREFIX = "conv:";

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
  // the session and the stored conversation below, read in one statement when the storage can
  if (isUpdateScoped(store)) {
    bot.use(
      sessionPrefetch(store, (ctx) => {
        const key = sessionKey(ctx);
        return key === undefined ? [] : [key, CONVERSATION_PREFIX + key];
      }),
    );
  }
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
        prefix: CONVERSATION_PREFIX,
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
  const features = buildFeatures(deps);
  for (const feature of features)
    for (const [builder, id] of feature.conversations ?? [])
      bot.use(createConversation(builder, id));

  // after the conversations they may enter, before the menus and commands they go ahead of
  for (const feature of features) if (feature.beforeMenus) bot.use(feature.beforeMenus);

  const menus = features.flatMap((feature) => feature.menus ?? []);
  // one answer per press: the menus' automatic blank answer never races a handler's own
  bot.use(answerOnce());
  // a press naming a button these menus do not have (stale or forged) stops here as stale
  bot.use(menuPressGuard(menus));
  for (const menu of menus) bot.use(menu);

  // declaration order is the order of /help and of the Telegram command menu
  for (const feature of features) feature.register?.(deps.registry);

  // e.g. /link in channels, which has no author for the per-user guard
  for (const feature of features) if (feature.beforeCommands) bot.use(feature.beforeCommands);
  const commands = new Composer<BotContext>();
  deps.registry.install(commands, commandGuard);
  bot.use(commands);
  // buttons and free text; the fallback feature is the last of them
  for (const feature of features) if (feature.handlers) bot.use(feature.handlers);

  bot.catch((err) => {
    deps.logger.error(
      { err: err.error, update: err.ctx.update.update_id },
      "update failed outside the error boundary",
    );
  });
  return { bot, registry: deps.registry };
}
