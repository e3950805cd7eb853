// Driving a grammY bot in-process: real updates through bot.handleUpdate, with whatever stands in
// for the Bot API recording each call. Shared by the bot tests that exercise handlers without the
// twin (faster, and every call is visible as data).
import type { Bot, Transformer } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";

export const TEST_BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: "TradeDesk",
  username: "tradedesk_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** One Bot API call the bot made. */
export interface Call {
  method: string;
  payload: Record<string, unknown>;
}

/**
 * An API transformer that records each call into `calls` and answers as Telegram would (a message
 * for sendX and editX methods, `true` otherwise), without a network.
 */
export function recordingTransformer(calls: Call[]): Transformer {
  let messageId = 10_000;
  return (async (_prev, method, payload) => {
    const p = payload as Record<string, unknown>;
    calls.push({ method, payload: p });
    const chatId = Number(p.chat_id ?? 0);
    const message = {
      message_id: ++messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: chatId > 0 ? "private" : "group" },
      text: typeof p.text === "string" ? p.text : "",
    };
    return { ok: true, result: /^(send|edit)/.test(method) ? message : true };
  }) as Transformer;
}

export interface SendOptions {
  language?: string;
  /** a group chat instead of the sender's private chat */
  group?: { id: number; title?: string };
}

/** Feeds messages and button presses to a bot and returns the calls each one caused. */
export class UpdateDriver {
  private updateId = 1;
  private messageId = 100;

  constructor(
    private readonly bot: Pick<Bot, "handleUpdate"> | { handleUpdate(u: Update): Promise<void> },
    private readonly calls: () => Call[],
  ) {}

  private from(id: number, language = "en") {
    return { id, is_bot: false, first_name: "T", language_code: language };
  }

  private privateChat(id: number) {
    return { id, type: "private" as const, first_name: "T" };
  }

  async send(userId: number, text: string, options: SendOptions = {}): Promise<Call[]> {
    const command = text.match(/^\/\w+/)?.[0];
    return this.handle({
      update_id: this.updateId++,
      message: {
        message_id: ++this.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: options.group
          ? { id: options.group.id, type: "group", title: options.group.title ?? "Desk" }
          : this.privateChat(userId),
        from: this.from(userId, options.language),
        text,
        ...(command
          ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] }
          : {}),
      },
    } as Update);
  }

  async press(userId: number, data: string, options: { language?: string } = {}): Promise<Call[]> {
    return this.handle({
      update_id: this.updateId++,
      callback_query: {
        id: String(this.updateId),
        from: this.from(userId, options.language),
        chat_instance: "ci",
        data,
        message: {
          message_id: ++this.messageId,
          date: 0,
          chat: this.privateChat(userId),
          text: "…",
        },
      },
    } as Update);
  }

  /** The id the last update had (for correlation ids such as `u<update_id>`). */
  get lastUpdateId(): number {
    return this.updateId - 1;
  }

  private async handle(update: Update): Promise<Call[]> {
    const start = this.calls().length;
    await this.bot.handleUpdate(update);
    return this.calls().slice(start);
  }
}

/** Texts (and captions) the calls sent or edited. */
export const callTexts = (calls: Call[]): string[] =>
  calls.map((c) => String(c.payload.text ?? c.payload.caption ?? "")).filter(Boolean);

/** callback_data of every inline button the calls attached. */
export const callButtons = (calls: Call[]): string[] =>
  calls.flatMap((c) =>
    (
      (c.payload.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> })
        ?.inline_keyboard ?? []
    )
      .flat()
      .map((b) => b.callback_data)
      .filter((d): d is string => d !== undefined),
  );

/** Texts of the callback-query answers (toasts and alerts). */
export const callbackAnswers = (calls: Call[]): string[] =>
  calls.filter((c) => c.method === "answerCallbackQuery").map((c) => String(c.payload.text ?? ""));
