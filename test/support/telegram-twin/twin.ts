// TelegramTwin: a local Telegram Bot API server for end-to-end tests, the sandbox and benchmarks.
// A real grammY bot talks to it over HTTP exactly as to api.telegram.org:
//
//   const twin = await TelegramTwin.start();
//   const bot = new Bot(twin.bot.token, { client: { apiRoot: twin.apiRoot } });
//   const alice = twin.user({ id: 1001, first_name: "Alice" });
//   alice.send("/start");
//   const reply = await twin.waitForMessage(alice.chatId, (m) => m.text?.includes("Welcome"));
//
// It validates like Telegram (entities, lengths, keyboards, chats, permissions), can enforce
// flood limits and inject faults, and records everything the bot did.
import type { BotCommand, Update } from "grammy/types";
import {
  type ChannelSpec,
  type GroupSpec,
  SimulatedChannel,
  SimulatedGroup,
  SimulatedUser,
  type UserSpec,
} from "./actors.ts";
import type { BotRecord } from "./bot-state.ts";
import { scopeKey, toResolvedScope, visibleCommands } from "./command-scopes.ts";
import { TwinCore } from "./core.ts";
import type { TwinEvents } from "./events.ts";
import { type RunningServer, startServer } from "./server.ts";
import type {
  ApiCall,
  BotInfo,
  CallbackAnswer,
  CommandScopeInput,
  FaultSpec,
  IdleWaitOptions,
  MessageWaitOptions,
  NetworkFaultSpec,
  RateLimits,
  SentFile,
  TwinMessage,
  TwinOptions,
  TwinStats,
  WaitOptions,
} from "./types.ts";
import { waitFor, waitForQuiet } from "./waiters.ts";

export const DEFAULT_BOT = { token: "123456:TEST-TOKEN", username: "tradedesk_test_bot" } as const;
const DEFAULT_TIMEOUT_MS = 5000;
/** how often waitForIdle looks again at a watched bot that has work in hand */
const WORK_RECHECK_MS = 5;

export class TelegramTwin {
  /** Base URL for grammY's `client.apiRoot`, e.g. http://127.0.0.1:41234 */
  readonly apiRoot: string;
  private readonly users = new Map<number, SimulatedUser>();
  /** the bots' own counts of work in hand, which no request to the twin shows (see watchWork) */
  private readonly workProbes = new Map<string, () => number>();

  private constructor(
    private readonly core: TwinCore,
    private readonly server: RunningServer,
  ) {
    this.apiRoot = `http://127.0.0.1:${server.port}`;
  }

  static async start(options: TwinOptions = {}): Promise<TelegramTwin> {
    const core = new TwinCore(options.now ?? Date.now, options.webhookRetryDelaysMs);
    for (const spec of options.bots?.length ? options.bots : [DEFAULT_BOT]) core.addBot(spec);
    const server = await startServer(core, options.port ?? 0);
    return new TelegramTwin(core, server);
  }

  get port(): number {
    return this.server.port;
  }

  /** The default bot (the first one). */
  get bot(): BotInfo {
    return this.core.defaultBot.info;
  }

  get bots(): BotInfo[] {
    return [...this.core.bots.values()].map((bot) => bot.info);
  }

  /** call, message, update, callbackAnswer and activity events (for the sandbox and tools). */
  get events(): TwinEvents {
    return this.core.events;
  }

  addBot(
    token: string,
    username: string,
    options: { id?: number; firstName?: string; privacyMode?: boolean } = {},
  ): BotInfo {
    return this.core.addBot({ token, username, ...options });
  }

  // ---- simulated people and chats ----

  /** A person; their private chat with the bot has the same id. Same id twice: the same handle. */
  user(spec: UserSpec): SimulatedUser {
    const existing = this.users.get(spec.id);
    if (existing) return existing;
    const user = new SimulatedUser(this.core, spec);
    this.users.set(spec.id, user);
    return user;
  }

  group(spec: GroupSpec): SimulatedGroup {
    return new SimulatedGroup(this.core, spec);
  }

  channel(spec: ChannelSpec): SimulatedChannel {
    return new SimulatedChannel(this.core, spec);
  }

  /** Queues a raw (possibly forged or unusual) update; update_id is assigned when absent. */
  injectUpdate(
    update: Omit<Update, "update_id"> & { update_id?: number },
    options: { bot?: string | number } = {},
  ): Update | undefined {
    return this.core.bot(options.bot).enqueue(update);
  }

  // ---- what the bot did ----

  /** Messages bots sent to the chat, in order, deleted ones included (see `deleted`). */
  messages(chatId: number): TwinMessage[] {
    return this.chatLog(chatId).filter((message) => message.sender === "bot");
  }

  /** The newest bot message in the chat that is still there. */
  lastMessage(chatId: number): TwinMessage | undefined {
    return this.messages(chatId)
      .filter((message) => !message.deleted)
      .at(-1);
  }

  /** Every message in the chat (people's, channel posts and bots'), in order. */
  chatLog(chatId: number): TwinMessage[] {
    const chat = this.core.world.chats.get(chatId);
    return chat ? this.core.world.messagesIn(chat) : [];
  }

  get calls(): readonly ApiCall[] {
    return this.core.calls;
  }

  callsTo(method: string): ApiCall[] {
    const lower = method.toLowerCase();
    return this.core.calls.filter((call) => call.method.toLowerCase() === lower);
  }

  get callbackAnswers(): readonly CallbackAnswer[] {
    return this.core.callbackAnswers;
  }

  /** The command list set for exactly this scope and language (like getMyCommands). */
  commands(
    scope?: CommandScopeInput,
    languageCode = "",
    options: { bot?: string | number } = {},
  ): BotCommand[] {
    return (
      this.core.bot(options.bot).commands.get(scopeKey(toResolvedScope(scope), languageCode)) ?? []
    );
  }

  /** The commands `userId` sees in the menu of `chatId` (default: their private chat). */
  commandsFor(
    userId: number,
    chatId?: number,
    options: { bot?: string | number } = {},
  ): BotCommand[] {
    return visibleCommands(this.core.world, this.core.bot(options.bot), userId, chatId);
  }

  /** Updates queued for a bot and not yet confirmed (polling) or delivered (webhook). */
  pendingUpdates(bot?: string | number): Update[] {
    return [...this.core.bot(bot).updates];
  }

  /** A file a bot uploaded, by file_id. */
  file(fileId: string): SentFile | undefined {
    return this.core.world.files.get(fileId);
  }

  // ---- limits and faults ----

  /** Enforces Telegram's flood limits (null: off, the default). */
  setLimits(limits: RateLimits | null): void {
    this.core.limiter.configure(limits);
  }

  stats(): TwinStats {
    return {
      sendsAccepted: this.core.limiter.accepted,
      rateLimited: this.core.limiter.rejected,
      faultsInjected: this.core.counters.faultsInjected,
      networkErrors: this.core.counters.networkErrors,
      calls: this.core.calls.length,
    };
  }

  /** When each accepted send to the chat happened (ms, the twin's clock). */
  sendTimestamps(chatId: number): readonly number[] {
    return this.core.limiter.timestamps(chatId);
  }

  /** Answers the next matching call(s) with an error (see FaultSpec). */
  failNext(spec: FaultSpec): void {
    this.core.faults.addReply(spec);
  }

  /** Drops the connection of the next matching call(s): grammY reports an HttpError. */
  failWithNetworkError(spec: NetworkFaultSpec = {}): void {
    this.core.faults.addDrop(spec);
  }

  /**
   * Holds the next matching call(s) open without an answer until the client times out and
   * closes the connection: grammY reports an HttpError ("timed out"). The call is not applied.
   */
  hangNext(spec: Omit<NetworkFaultSpec, "hang"> = {}): void {
    this.core.faults.addDrop({ ...spec, hang: true });
  }

  clearFaults(): void {
    this.core.faults.clear();
  }

  /**
   * The bot is blocked in this chat: in a private chat the user blocked it (403 "bot was blocked
   * by the user"), in a group or channel it was kicked (403 "bot was kicked from the ... chat").
   * Silent; use user.blockBot() for the my_chat_member update Telegram also sends.
   */
  blockChat(chatId: number, options: { bot?: string | number } = {}): void {
    const bot = this.core.bot(options.bot);
    const chat = this.requireChat(chatId);
    if (chat.chat.type === "private") {
      chat.blockedBots.add(bot.info.id);
      return;
    }
    const member = chat.members.get(bot.info.id);
    if (member?.status === "kicked") return;
    this.core.world.setMember(chat, bot.info.id, "kicked");
    const kicked = chat.members.get(bot.info.id);
    if (kicked) kicked.statusBeforeBlock = member?.status ?? "left";
  }

  unblockChat(chatId: number, options: { bot?: string | number } = {}): void {
    const bot = this.core.bot(options.bot);
    const chat = this.requireChat(chatId);
    if (chat.chat.type === "private") {
      chat.blockedBots.delete(bot.info.id);
      return;
    }
    const member = chat.members.get(bot.info.id);
    if (member?.status !== "kicked") return;
    this.core.world.setMember(chat, bot.info.id, member.statusBeforeBlock ?? "member");
  }

  // ---- waiting ----

  /** The current revision: pass as `since` to wait only for later messages and edits. */
  mark(): number {
    return this.core.world.revision;
  }

  /** Resolves with check()'s first non-undefined value, re-checking on every twin event. */
  waitFor<T>(
    check: () => T | undefined,
    options: WaitOptions & { description?: string } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return waitFor(this.core.events, check, timeoutMs, () =>
      [
        `waitFor(${options.description ?? "condition"}) timed out after ${timeoutMs} ms.`,
        this.recentFailures(),
      ].join("\n"),
    );
  }

  /**
   * Resolves with the first bot message in the chat (not deleted, created or edited after
   * `since` when given) that satisfies the predicate.
   */
  waitForMessage(
    chatId: number,
    predicate: (message: TwinMessage) => boolean = () => true,
    options: MessageWaitOptions = {},
  ): Promise<TwinMessage> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const since = options.since ?? -1;
    return waitFor(
      this.core.events,
      () =>
        this.messages(chatId).find(
          (message) => !message.deleted && message.revision > since && predicate(message),
        ),
      timeoutMs,
      () => this.describeMessageTimeout(chatId, timeoutMs, since),
    );
  }

  /** Resolves with all calls of `method` once there are at least `count` (only ok ones with ok: true). */
  waitForCalls(
    method: string,
    count: number,
    options: WaitOptions & { ok?: boolean } = {},
  ): Promise<ApiCall[]> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const matching = (): ApiCall[] =>
      this.callsTo(method).filter(
        (call) => options.ok === undefined || (call.response?.ok ?? false) === options.ok,
      );
    return waitFor(
      this.core.events,
      () => {
        const calls = matching();
        return calls.length >= count ? calls : undefined;
      },
      timeoutMs,
      () =>
        [
          `waitForCalls(${method}, ${count}) timed out after ${timeoutMs} ms with ${matching().length} call(s).`,
          this.recentFailures(),
        ].join("\n"),
    );
  }

  waitForCallbackAnswer(
    callbackQueryId: string,
    options: WaitOptions = {},
  ): Promise<CallbackAnswer> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return waitFor(
      this.core.events,
      () =>
        this.core.callbackAnswers.find((answer) => answer.callback_query_id === callbackQueryId),
      timeoutMs,
      () =>
        [
          `waitForCallbackAnswer(${callbackQueryId}) timed out after ${timeoutMs} ms; the bot never answered it.`,
          this.recentFailures(),
        ].join("\n"),
    );
  }

  /** Resolves once the bot has a getUpdates request waiting (its polling loop is running). */
  waitForPolling(options: WaitOptions & { bot?: string | number } = {}): Promise<void> {
    const bot = this.core.bot(options.bot);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return waitFor(
      this.core.events,
      () => (bot.hasWaitingPoll ? true : undefined),
      timeoutMs,
      () =>
        `waitForPolling(@${bot.info.username}) timed out after ${timeoutMs} ms: no getUpdates is waiting.`,
    ).then(() => undefined);
  }

  /**
   * Tells waitForIdle about work the twin cannot see: `inHand` counts what the bot process is
   * still doing (updates it fetched and has not finished handling). A bot under
   * @grammyjs/runner confirms updates when it fetches the next batch, not when it has handled
   * them, so without this the twin could call it idle between the fetch and the bot's answer.
   * Returns a function that removes the probe (for a bot that stops).
   */
  watchWork(name: string, inHand: () => number): () => void {
    this.workProbes.set(name, inHand);
    return () => {
      if (this.workProbes.get(name) === inHand) this.workProbes.delete(name);
    };
  }

  /**
   * Resolves when every bot has confirmed (or received) all its updates, no request or webhook
   * delivery is in progress and no watched bot has work in hand (watchWork), and that has held
   * for `quietMs` (long polls waiting idly do not count as work).
   */
  waitForIdle(options: IdleWaitOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const working = (): string[] =>
      [...this.workProbes].filter(([, inHand]) => inHand() > 0).map(([name]) => name);
    const isIdle = (): boolean =>
      this.core.busy.size === 0 &&
      [...this.core.bots.values()].every((bot) => bot.updates.length === 0) &&
      working().length === 0;
    const recheckMs = this.workProbes.size > 0 ? WORK_RECHECK_MS : undefined;
    const describe = (): string => {
      const pending = [...this.core.bots.values()]
        .filter((bot) => bot.updates.length > 0)
        .map(
          (bot) =>
            `@${bot.info.username}: ${bot.updates.length} unconfirmed update(s)${describeConsumer(bot)}`,
        );
      const busy = [...this.core.busy.values()];
      const inHand = working();
      return [
        `waitForIdle timed out after ${timeoutMs} ms.`,
        pending.length > 0 ? `Pending: ${pending.join("; ")}` : "No pending updates.",
        busy.length > 0 ? `In progress: ${busy.join(", ")}` : "No request in progress.",
        inHand.length > 0 ? `Work in hand: ${inHand.join(", ")}` : "No watched work in hand.",
      ].join("\n");
    };
    return waitForQuiet(
      this.core.events,
      isIdle,
      options.quietMs ?? 50,
      timeoutMs,
      describe,
      recheckMs,
    );
  }

  /** Closes the server, ends long polls and webhook deliveries, and drops every connection. */
  async stop(): Promise<void> {
    if (this.core.stopped) return;
    this.core.shutdown();
    await this.server.close();
    this.core.events.removeAllListeners();
  }

  // ---- helpers ----

  private requireChat(chatId: number) {
    const chat = this.core.world.chats.get(chatId);
    if (!chat) throw new Error(`telegram-twin: no chat ${chatId}`);
    return chat;
  }

  private describeMessageTimeout(chatId: number, timeoutMs: number, since: number): string {
    const messages = this.messages(chatId);
    const lines = [
      `waitForMessage(chat ${chatId}) timed out after ${timeoutMs} ms: no matching bot message${since >= 0 ? ` after mark ${since}` : ""}.`,
      messages.length === 0
        ? `The chat received no bot messages.`
        : `The chat received ${messages.length} bot message(s):\n${messages.map(describeMessage).join("\n")}`,
      this.recentFailures(),
    ];
    const pending = this.core.defaultBot.updates.length;
    if (pending > 0)
      lines.push(
        `${pending} update(s) not yet confirmed by @${this.bot.username}${describeConsumer(this.core.defaultBot)}.`,
      );
    return lines.join("\n");
  }

  private recentFailures(): string {
    const failed = this.core.calls
      .filter((call) => call.status !== 200 && call.method !== "getUpdates")
      .slice(-5);
    if (failed.length === 0) return "No failed API calls.";
    return `Recent failed API calls:\n${failed
      .map((call) => {
        const chat =
          call.params.chat_id !== undefined ? ` chat ${String(call.params.chat_id)}` : "";
        const outcome =
          call.response && !call.response.ok
            ? `${call.status} ${call.response.description}`
            : "connection dropped";
        return `  ${call.method}${chat} → ${outcome}`;
      })
      .join("\n")}`;
  }
}

function describeMessage(message: TwinMessage): string {
  const body =
    message.text ??
    (message.caption !== undefined
      ? `[media] ${message.caption}`
      : message.photo
        ? "[photo]"
        : "[document]");
  const short = body.length > 120 ? `${body.slice(0, 117)}...` : body;
  const flags = [
    message.deleted ? "deleted" : "",
    message.edits > 0 ? `edited ${message.edits}x` : "",
  ].filter(Boolean);
  const buttons =
    message.reply_markup && "inline_keyboard" in message.reply_markup
      ? ` [buttons: ${message.reply_markup.inline_keyboard
          .flat()
          .map((button) => button.text)
          .join(", ")}]`
      : "";
  return `  #${message.message_id} ${JSON.stringify(short)}${flags.length > 0 ? ` (${flags.join(", ")})` : ""}${buttons} rev ${message.revision}`;
}

function describeConsumer(bot: BotRecord): string {
  if (bot.webhook)
    return ` (webhook ${bot.webhook.url}${bot.webhookLastError ? `, last error: ${bot.webhookLastError.message}` : ""})`;
  return bot.hasWaitingPoll ? "" : " (no getUpdates in progress: is the bot running?)";
}
