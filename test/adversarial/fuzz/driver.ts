// Runs fuzz actions against the whole app through the Telegram twin and checks each update's
// outcome: the app finished handling it (its metrics count it), nothing was logged at error
// level, Telegram accepted every call the bot made, no HTML message echoed user markup raw, and
// an update that deserves an answer got one (a private message: something in that chat; a
// button press: answerCallbackQuery).
import type { Message } from "grammy/types";
import type { Provider } from "../../../src/db/client.ts";
import { type Harness, startHarness } from "../../support/app-harness.ts";
import { type Trader, approvedTrader, buttonsOf, press, say } from "../../support/e2e-trader.ts";
import { detectEntities } from "../../support/telegram-twin/incoming.ts";
import type {
  SimulatedChannel,
  SimulatedGroup,
  SimulatedUser,
  TwinMessage,
} from "../../support/telegram-twin/index.ts";
import { createI18n, translatorFor } from "../../../src/bot/i18n.ts";
import {
  type FuzzAction,
  TRADING_TEMPLATES,
  type Who,
  mutateNumbers,
  mutationNumbers,
  swapWord,
} from "./actions.ts";
import { CapturedLogs } from "./log-capture.ts";
import { HTML_MARKERS } from "./vocabulary.ts";

export const TRADER_ID = 424242;
export const STRANGER_ID = 535353;
const GROUP_ID = -1001002003;
const CHANNEL_ID = -1009008007;
const CHANNEL_BOT: Message["from"] = {
  id: 136817688,
  is_bot: true,
  first_name: "Channel",
  username: "Channel_Bot",
};
const UPDATE_TIMEOUT_MS = 20_000;
const NOT_MODIFIED = /message is not modified/;
const VERBOSE = process.env.FUZZ_VERBOSE === "1";

export interface Finding {
  action: string;
  problem: string;
}

type Expect =
  { kind: "chat"; chats: number[] } | { kind: "callback"; id: string } | { kind: "none" };

export class FuzzWorld {
  readonly findings: Finding[] = [];
  readonly counts = { actions: 0, updates: 0, skipped: 0, unchangedEdits: 0 };
  private enqueued = 0;
  private lastSent = new Map<Who, Message>();
  private syntheticMessageId = 1_000_000;
  private readonly commands: Set<string>;
  /** the registry's own examples ("/buy BTCUSDT 0.01 limit 60000") and the trading templates */
  private readonly examples: string[];

  private constructor(
    readonly h: Harness,
    readonly logs: CapturedLogs,
    readonly trader: Trader,
    private readonly actors: Record<Who, SimulatedUser>,
    private readonly group: SimulatedGroup,
    private readonly channel: SimulatedChannel,
  ) {
    h.twin.events.on("update", () => void this.enqueued++);
    this.commands = new Set(h.app.registry.all().map((c) => c.name));
    const t = translatorFor(createI18n("en"), "en");
    this.examples = [
      ...h.app.registry.all().flatMap((c) => t(c.exampleKey).split(" · ")),
      ...TRADING_TEMPLATES,
    ];
  }

  static async start(
    env: Record<string, string> = {},
    provider: Provider = "sqlite",
  ): Promise<FuzzWorld> {
    const logs = new CapturedLogs("warn");
    // the flood limit answers one "slow down" per window and drops the rest, deliberately: the
    // fuzzer types faster than any person, so lift it (test/bot tests the limit itself)
    const h = await startHarness({
      provider,
      logger: logs.logger,
      env: { RATE_LIMIT_PER_WINDOW: "1000", RATE_LIMIT_WINDOW_MS: "100", ...env },
    });
    const trader = await approvedTrader(h, {
      telegramId: TRADER_ID,
      firstName: "Fuzz",
      cash: "1000000",
    });
    const stranger = h.twin.user({ id: STRANGER_ID, first_name: "Stranger", language_code: "ru" });
    const group = h.twin.group({ id: GROUP_ID, title: "Fuzz group" });
    group.addMember(trader.user, "creator").addMember(h.admin, "member");
    group.addBot({ by: trader.user });
    const channel = h.twin.channel({ id: CHANNEL_ID, title: "Fuzz channel" });
    channel.addBot();
    const world = new FuzzWorld(
      h,
      logs,
      trader,
      { trader: trader.user, admin: h.admin, stranger },
      group,
      channel,
    );
    await h.twin.waitForIdle({ timeoutMs: 20_000 });
    // some history to work on: a filled buy, and a limit buy resting far below the market
    for (const order of ["/buy BTCUSDT 0.05", "/buy ETHUSDT 1", "/buy BTCUSDT 0.01 limit 1000"]) {
      const card = await say(h, trader.user, order, (t) => /Confirm order/.test(t));
      await press(
        h,
        trader.user,
        card,
        "✅ Confirm",
        (t, m) => m.message_id === card.message_id && /Order #\d+/.test(t),
      );
    }
    await h.twin.waitForIdle({ timeoutMs: 20_000 });
    world.enqueued = 0;
    return world;
  }

  async stop(): Promise<void> {
    await this.h.stop();
  }

  private get handled(): number {
    return this.h.app.metrics.totals.updates;
  }

  /** Applies one action and records whatever went wrong. */
  async run(action: FuzzAction): Promise<void> {
    this.counts.actions++;
    const label = describe(action);
    const callMark = this.h.twin.calls.at(-1)?.seq ?? 0;
    const logMark = this.logs.lines.length;
    const handledBefore = this.handled;
    const enqueuedBefore = this.enqueued;
    let expect: Expect;
    try {
      expect = this.apply(action);
    } catch (e) {
      // the twin refused to build the update (no button to press, ...): nothing was sent
      if (e instanceof SkipAction) {
        this.counts.skipped++;
        return;
      }
      throw e;
    }
    const delivered = this.enqueued - enqueuedBefore;
    const t0 = performance.now();
    if (VERBOSE) process.stderr.write(`→ ${label.slice(0, 160)} (${delivered} update)\n`);
    this.counts.updates += delivered;
    // the app counts an update after its last Bot API call: no twin event follows, so poll
    const deadline = Date.now() + UPDATE_TIMEOUT_MS;
    while (this.handled < handledBefore + delivered && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 3));
    if (this.handled < handledBefore + delivered) {
      this.findings.push({ action: label, problem: `not handled within ${UPDATE_TIMEOUT_MS} ms` });
      if (VERBOSE)
        process.stderr.write(
          `  NOT handled: ${this.handled}/${handledBefore + delivered}, pending ${this.h.twin.pendingUpdates().length}\n`,
        );
      return;
    }
    if (VERBOSE) process.stderr.write(`  handled in ${Math.round(performance.now() - t0)} ms\n`);
    const calls = this.h.twin.calls.filter((c) => c.seq > callMark && c.method !== "getUpdates");
    if (VERBOSE)
      for (const c of calls)
        process.stderr.write(
          `  ${c.method} ${String(c.params.chat_id ?? "")} ${c.status} ${String(
            c.params.text ?? c.params.text ?? "",
          )
            .slice(0, 100)
            .replace(/\n/g, " ")}\n`,
        );
    for (const call of calls) {
      // a redraw that changes nothing: Telegram refuses it, and the bot knows (it catches this
      // one error of an edit on purpose); counted, not a finding
      if (call.response && !call.response.ok && NOT_MODIFIED.test(call.response.description)) {
        this.counts.unchangedEdits++;
        continue;
      }
      if (call.response && !call.response.ok)
        this.findings.push({
          action: label,
          problem: `${call.method} → ${call.status} ${call.response.description}`,
        });
      const parseMode = String(call.params.parse_mode ?? "");
      const raw = String(call.params.text ?? call.params.caption ?? "");
      if (parseMode.toUpperCase() === "HTML")
        for (const marker of HTML_MARKERS)
          if (raw.includes(marker))
            this.findings.push({
              action: label,
              problem: `${call.method} sent user HTML raw: ${marker}`,
            });
    }
    for (const line of this.logs.errorsSince(logMark))
      this.findings.push({ action: label, problem: `error logged: ${line.raw.slice(0, 600)}` });
    if (delivered === 0) return;
    if (expect.kind === "callback") {
      if (!this.h.twin.callbackAnswers.some((a) => a.callback_query_id === expect.id))
        this.findings.push({ action: label, problem: "button press never answered" });
    } else if (expect.kind === "chat") {
      const answered = calls.some(
        (c) =>
          c.response?.ok &&
          /^(send|edit|delete)/i.test(c.method) &&
          expect.chats.includes(Number(c.params.chat_id)),
      );
      if (!answered) {
        this.findings.push({ action: label, problem: "no answer in the chat" });
        if (VERBOSE) process.stderr.write("  FINDING: no answer in the chat\n");
      }
    }
  }

  private apply(action: FuzzAction): Expect {
    const twin = this.h.twin;
    switch (action.kind) {
      case "command":
      case "example":
      case "text": {
        const user = this.actors[action.who];
        const example =
          this.examples[action.kind === "example" ? action.index % this.examples.length : 0]!;
        const text =
          action.kind === "text"
            ? action.text
            : action.kind === "example"
              ? action.swap === null
                ? example
                : swapWord(example, action.word, action.swap)
              : `/${action.name}${action.mention ? `@${twin.bot.username}` : ""}${action.args.length ? action.sep : ""}${action.args.join(action.sep)}`;
        if (action.where === "group") {
          const sent = user.send(text, { chat: this.group });
          this.lastSent.set(action.who, sent);
          // privacy mode: only commands reach the bot; its own get an answer here or in private,
          // other bots' commands and unknown ones are left alone on purpose (fallback.ts)
          const name = /^\/(\w+)/.exec(text)?.[1] ?? "";
          return action.kind !== "text" && this.commands.has(name)
            ? { kind: "chat", chats: [this.group.id, user.chatId] }
            : { kind: "none" };
        }
        this.lastSent.set(action.who, user.send(text));
        return { kind: "chat", chats: [user.chatId] };
      }
      case "press": {
        const user = this.actors[action.who];
        const withButtons = this.recentBotMessages(user.chatId).filter((m) =>
          buttonsOf(m).some((b) => "callback_data" in b),
        );
        if (!withButtons.length) throw new SkipAction();
        const message = withButtons[action.message % withButtons.length]!;
        const buttons = buttonsOf(message).filter((b) => "callback_data" in b);
        const button = buttons[action.button % buttons.length]!;
        const data = "callback_data" in button ? button.callback_data : "";
        const query = user.pressButton(message, data);
        return { kind: "callback", id: query.id };
      }
      case "forgedPress": {
        const user = this.actors[action.who];
        const messages = this.recentBotMessages(user.chatId);
        if (!messages.length) throw new SkipAction();
        const message = messages[action.message % messages.length]!;
        const real = buttonsOf(message).flatMap((b) =>
          "callback_data" in b ? [b.callback_data] : [],
        );
        const data =
          action.mutate && real.length
            ? mutateNumbers(
                real[action.message % real.length]!,
                mutationNumbers[action.data.length % mutationNumbers.length]!,
              )
            : action.data;
        const query = user.pressButton(message, data, { forge: true });
        return { kind: "callback", id: query.id };
      }
      case "edit": {
        const earlier = this.lastSent.get(action.who);
        if (!earlier) throw new SkipAction();
        const entities = detectEntities(action.text);
        twin.injectUpdate({
          edited_message: {
            ...(earlier as Message.TextMessage),
            text: action.text,
            ...(entities.length ? { entities } : { entities: undefined }),
            edit_date: Math.floor(Date.now() / 1000),
          } as never, // the edited copy keeps the original's chat type, which TS cannot follow
        });
        return { kind: "none" };
      }
      case "sticker": {
        const user = this.actors[action.who];
        user.sendMessage({
          sticker: {
            file_id: "CAACAgIAAxkBAAEfuzz",
            file_unique_id: "AgADfuzz",
            type: "regular",
            width: 512,
            height: 512,
            is_animated: false,
            is_video: false,
            emoji: "🤖",
          },
        });
        return { kind: "chat", chats: [user.chatId] };
      }
      case "photo": {
        const user = this.actors[action.who];
        user.sendMessage({
          photo: [
            { file_id: "AgACAgIAAxkBAAIfuzz", file_unique_id: "AQADfuzz", width: 90, height: 90 },
          ],
          ...(action.caption !== null
            ? { caption: action.caption, caption_entities: detectEntities(action.caption) }
            : {}),
        });
        return { kind: "chat", chats: [user.chatId] };
      }
      case "forward": {
        const user = this.actors[action.who];
        const entities = detectEntities(action.text);
        user.sendMessage({
          text: action.text,
          ...(entities.length ? { entities } : {}),
          forward_origin: {
            type: "user",
            sender_user: { id: 999_111, is_bot: false, first_name: "Someone" },
            date: Math.floor(Date.now() / 1000) - 3600,
          },
        });
        return { kind: "chat", chats: [user.chatId] };
      }
      case "channelPost":
        this.channel.post(action.text);
        return { kind: "none" };
      case "asChannel": {
        const entities = detectEntities(action.text);
        twin.injectUpdate({
          message: {
            message_id: this.syntheticMessageId++,
            from: CHANNEL_BOT,
            sender_chat: this.channel.chat,
            chat: this.group.chat,
            date: Math.floor(Date.now() / 1000),
            text: action.text,
            ...(entities.length ? { entities } : {}),
          } as never, // a group message from a channel: a shape grammY's union types leave out
        });
        return { kind: "none" };
      }
    }
  }

  private recentBotMessages(chatId: number): TwinMessage[] {
    return this.h.twin
      .messages(chatId)
      .filter((m) => !m.deleted)
      .slice(-6)
      .reverse();
  }
}

class SkipAction extends Error {}

export function describe(action: FuzzAction): string {
  const json = JSON.stringify(action, (_k, v: unknown) =>
    typeof v === "string" && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
  );
  return json;
}
