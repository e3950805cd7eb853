// Simulated people, groups and channels. They produce the updates Telegram would send the bot
// (messages, button presses, membership changes, channel posts) and keep the chat log in step.
import type {
  CallbackQuery,
  Chat,
  ChatMemberUpdated,
  InlineKeyboardButton,
  Message,
  User,
} from "grammy/types";
import type { BotRecord } from "./bot-state.ts";
import { chatMember } from "./chat-members.ts";
import type { TwinCore } from "./core.ts";
import { deliverIncoming, detectEntities } from "./incoming.ts";
import { inlineButtons } from "./reply-markup.ts";
import type { TwinMessage } from "./types.ts";
import type { ChatRecord, MemberRecord, MemberStatus } from "./world.ts";

export interface UserSpec {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  /**
   * Whether the user has already started the bots (pressed Start). Default true; when false a
   * bot's first message answers 403 "bot can't initiate conversation with a user" until the
   * user writes to it.
   */
  started?: boolean;
}

export interface GroupSpec {
  /** Negative, as Telegram's group ids are (supergroups: -100...). */
  id: number;
  title: string;
  type?: "group" | "supergroup";
  username?: string;
}

export interface ChannelSpec {
  id: number;
  title: string;
  username?: string;
}

/** A chat to send into: its id or a simulated group/channel/user. */
export type ChatRef = number | { readonly id: number };

/** A button by its text, its position in reading order, or [row, column]. */
export type ButtonRef = string | number | readonly [number, number];

export interface SendOptions {
  /** Default: the user's private chat with the bot. */
  chat?: ChatRef;
  replyTo?: number | TwinMessage;
  /** For private chats: the bot (token, username or id) addressed. Default: the default bot. */
  bot?: string | number;
}

function chatIdOf(ref: ChatRef): number {
  return typeof ref === "number" ? ref : ref.id;
}

function unix(core: TwinCore): number {
  return Math.floor(core.now() / 1000);
}

function requireChatRecord(core: TwinCore, id: number): ChatRecord {
  const chat = core.world.chats.get(id);
  if (!chat)
    throw new Error(`telegram-twin: no chat ${id}; create it with twin.user/group/channel first`);
  return chat;
}

export class SimulatedUser {
  readonly user: User;
  private callbackCounter = 0;

  constructor(
    private readonly core: TwinCore,
    spec: UserSpec,
  ) {
    this.user = {
      id: spec.id,
      is_bot: false,
      first_name: spec.first_name,
      ...(spec.last_name ? { last_name: spec.last_name } : {}),
      ...(spec.username ? { username: spec.username } : {}),
      ...(spec.language_code ? { language_code: spec.language_code } : {}),
    };
    core.world.addUser(this.user);
    const chat = core.world.addChat({
      id: spec.id,
      type: "private",
      first_name: spec.first_name,
      ...(spec.last_name ? { last_name: spec.last_name } : {}),
      ...(spec.username ? { username: spec.username } : {}),
    });
    if (spec.started ?? true)
      for (const bot of core.bots.values()) chat.startedBots.add(bot.info.id);
  }

  get id(): number {
    return this.user.id;
  }

  /** The private chat id (equal to the user id). */
  get chatId(): number {
    return this.user.id;
  }

  /**
   * Types `text` into a chat. Commands and @mentions get the entities Telegram adds. Returns
   * the Message as the bot receives it.
   */
  send(text: string, options: SendOptions = {}): Message {
    const entities = detectEntities(text);
    return this.sendMessage({ text, ...(entities.length > 0 ? { entities } : {}) }, options);
  }

  /** Sends a message with arbitrary content (a contact, a photo, a forged field...). */
  sendMessage(content: Partial<Message>, options: SendOptions = {}): Message {
    const chatId = options.chat === undefined ? this.id : chatIdOf(options.chat);
    const chat = requireChatRecord(this.core, chatId);
    const bot = this.core.bot(options.bot);
    if (chat.chat.type === "private") {
      if (chatId !== this.id)
        throw new Error(`user ${this.id} cannot write into the private chat ${chatId}`);
      if (chat.blockedBots.has(bot.info.id)) {
        throw new Error(`user ${this.id} blocked @${bot.info.username}; call unblockBot() first`);
      }
      chat.startedBots.add(bot.info.id);
    } else if (chat.chat.type === "channel") {
      throw new Error("users cannot write into a channel; use channel.post()");
    } else if (!chat.members.has(this.id) || chat.members.get(this.id)?.status === "left") {
      this.core.world.setMember(chat, this.id, "member");
    }

    const replyTo =
      options.replyTo === undefined ? undefined : this.lookupMessage(chat, options.replyTo);
    const message = {
      message_id: this.core.world.allocateMessageId(chat),
      from: this.user,
      chat: chat.chat,
      date: unix(this.core),
      ...(replyTo ? { reply_to_message: replyTo.message } : {}),
      ...content,
    } as Message;
    this.core.world.storeIncoming(chat, message, "user");
    deliverIncoming(this.core, chat, message, bot);
    return message;
  }

  /**
   * Presses an inline button: `press(message, button)` or `press(chatId, messageId, button)`,
   * the button given by text, index or [row, column]. Throws when there is no such callback
   * button. Returns the callback query the bot receives.
   */
  press(message: TwinMessage, button: ButtonRef): CallbackQuery;
  press(chatId: number, messageId: number, button: ButtonRef): CallbackQuery;
  press(first: TwinMessage | number, second: ButtonRef | number, third?: ButtonRef): CallbackQuery {
    const [chatId, messageId, ref] =
      typeof first === "number"
        ? [first, second as number, third as ButtonRef]
        : [first.chat_id, first.message_id, second];
    const target = this.visibleBotMessage(chatId, messageId);
    const button = findButton(target, ref);
    if (!("callback_data" in button) || typeof button.callback_data !== "string") {
      const kind = Object.keys(button).find((key) => key !== "text") ?? "text";
      throw new Error(
        `button "${button.text}" on message ${messageId} is a ${kind} button, not a callback button`,
      );
    }
    return this.emitCallback(target, button.callback_data);
  }

  /**
   * Presses the button carrying `callbackData`. With `forge: true` the data need not be on the
   * keyboard (a stale or tampered button).
   */
  pressButton(
    message: TwinMessage | { chat_id: number; message_id: number },
    callbackData: string,
    options: { forge?: boolean } = {},
  ): CallbackQuery {
    const target = this.visibleBotMessage(message.chat_id, message.message_id);
    if (!options.forge) {
      const exists = inlineButtons(target.reply_markup)
        .flat()
        .some((button) => "callback_data" in button && button.callback_data === callbackData);
      if (!exists) {
        throw new Error(
          `no button with callback_data "${callbackData}" on message ${target.message_id}; buttons: ${describeButtons(target)}`,
        );
      }
    }
    return this.emitCallback(target, callbackData);
  }

  /** Blocks the bot: its sends answer 403 and it gets the my_chat_member update Telegram sends. */
  blockBot(bot?: string | number): void {
    const record = this.core.bot(bot);
    const chat = requireChatRecord(this.core, this.id);
    if (chat.blockedBots.has(record.info.id)) return;
    chat.blockedBots.add(record.info.id);
    record.enqueue({ my_chat_member: this.privateMemberUpdate(record, "member", "kicked") });
  }

  unblockBot(bot?: string | number): void {
    const record = this.core.bot(bot);
    const chat = requireChatRecord(this.core, this.id);
    if (!chat.blockedBots.delete(record.info.id)) return;
    record.enqueue({ my_chat_member: this.privateMemberUpdate(record, "kicked", "member") });
  }

  private privateMemberUpdate(
    bot: BotRecord,
    from: MemberStatus,
    to: MemberStatus,
  ): ChatMemberUpdated {
    const chat = requireChatRecord(this.core, this.id).chat;
    return {
      chat,
      from: this.user,
      date: unix(this.core),
      old_chat_member: chatMember(bot.info.user, from),
      new_chat_member: chatMember(bot.info.user, to),
    };
  }

  private lookupMessage(chat: ChatRecord, ref: number | TwinMessage): TwinMessage {
    const id = typeof ref === "number" ? ref : ref.message_id;
    const message = chat.messages.get(id);
    if (!message || message.deleted) throw new Error(`no message ${id} in chat ${chat.chat.id}`);
    return message;
  }

  private visibleBotMessage(chatId: number, messageId: number): TwinMessage {
    const chat = requireChatRecord(this.core, chatId);
    if (chat.chat.type === "private" && chatId !== this.id) {
      throw new Error(`user ${this.id} cannot see the private chat ${chatId}`);
    }
    const message = chat.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId} in chat ${chatId}`);
    if (message.deleted) throw new Error(`message ${messageId} in chat ${chatId} was deleted`);
    if (message.sender !== "bot")
      throw new Error(`message ${messageId} in chat ${chatId} was not sent by a bot`);
    return message;
  }

  private emitCallback(target: TwinMessage, data: string): CallbackQuery {
    const bot = target.from ? this.core.botById(target.from.id) : undefined;
    if (!bot) throw new Error(`the bot that sent message ${target.message_id} is not registered`);
    this.callbackCounter++;
    const query: CallbackQuery = {
      id: `${this.id}${String(this.callbackCounter).padStart(6, "0")}${target.message_id}`,
      from: this.user,
      message: target.message,
      chat_instance: String(Math.abs(target.chat_id) * 7919 + bot.info.id),
      data,
    };
    bot.callbackQueries.set(query.id, { answered: false });
    bot.enqueue({ callback_query: query });
    return query;
  }
}

function describeButtons(message: TwinMessage): string {
  const labels = inlineButtons(message.reply_markup)
    .flat()
    .map(
      (button) =>
        `"${button.text}"${"callback_data" in button ? ` (${button.callback_data})` : ""}`,
    );
  return labels.length > 0 ? labels.join(", ") : "none";
}

function findButton(message: TwinMessage, ref: ButtonRef): InlineKeyboardButton {
  const rows = inlineButtons(message.reply_markup);
  let button: InlineKeyboardButton | undefined;
  if (typeof ref === "string") button = rows.flat().find((candidate) => candidate.text === ref);
  else if (typeof ref === "number") button = rows.flat()[ref];
  else button = rows[ref[0]]?.[ref[1]];
  if (!button) {
    throw new Error(
      `no button ${JSON.stringify(ref)} on message ${message.message_id} in chat ${message.chat_id}; buttons: ${describeButtons(message)}`,
    );
  }
  return button;
}

/** Shared by groups and channels: membership and the bot joining or leaving. */
abstract class SimulatedMultiChat {
  constructor(
    protected readonly core: TwinCore,
    readonly chat: Chat,
  ) {}

  get id(): number {
    return this.chat.id;
  }

  protected get record(): ChatRecord {
    return requireChatRecord(this.core, this.chat.id);
  }

  /** Sets a person's membership silently (no update, as for members who joined long ago). */
  addMember(
    user: SimulatedUser,
    status: MemberStatus = "member",
    rights?: Partial<MemberRecord>,
  ): this {
    this.core.world.setMember(this.record, user.id, status, rights);
    return this;
  }

  memberStatus(userId: number): MemberStatus {
    return this.record.members.get(userId)?.status ?? "left";
  }

  protected actor(by: SimulatedUser | undefined): User {
    if (by) return by.user;
    for (const [userId, member] of this.record.members) {
      const user = this.core.world.users.get(userId);
      if (
        user &&
        !user.is_bot &&
        (member.status === "creator" || member.status === "administrator")
      )
        return user;
    }
    throw new Error(`chat ${this.id} has no creator or administrator to act; pass { by: user }`);
  }

  protected changeBotStatus(
    bot: BotRecord,
    by: User,
    status: MemberStatus,
    rights?: Partial<MemberRecord>,
  ): void {
    const before = this.record.members.get(bot.info.id);
    this.core.world.setMember(this.record, bot.info.id, status, rights);
    const after = this.record.members.get(bot.info.id);
    bot.enqueue({
      my_chat_member: {
        chat: this.chat,
        from: by,
        date: unix(this.core),
        old_chat_member: chatMember(bot.info.user, before?.status ?? "left", before),
        new_chat_member: chatMember(bot.info.user, status, after),
      },
    });
  }
}

export class SimulatedGroup extends SimulatedMultiChat {
  constructor(core: TwinCore, spec: GroupSpec) {
    if (spec.id >= 0) throw new Error(`group ids are negative (got ${spec.id})`);
    const type = spec.type ?? "supergroup";
    const chat: Chat =
      type === "group"
        ? { id: spec.id, type: "group", title: spec.title }
        : {
            id: spec.id,
            type: "supergroup",
            title: spec.title,
            ...(spec.username ? { username: spec.username } : {}),
          };
    core.world.addChat(chat);
    super(core, chat);
  }

  /**
   * Adds the bot as Telegram does: a my_chat_member update for the bot, then the service
   * message "X added the bot" (new_chat_members) seen by the bots in the group.
   */
  addBot(
    options: {
      by?: SimulatedUser;
      status?: "member" | "administrator";
      bot?: string | number;
    } = {},
  ): void {
    const bot = this.core.bot(options.bot);
    const by = this.actor(options.by);
    this.changeBotStatus(bot, by, options.status ?? "member");
    this.serviceMessage(by, { new_chat_members: [bot.info.user] }, bot);
  }

  /** Removes (or with ban: true, bans) the bot; it gets my_chat_member and then 403s. */
  removeBot(options: { by?: SimulatedUser; ban?: boolean; bot?: string | number } = {}): void {
    const bot = this.core.bot(options.bot);
    const by = this.actor(options.by);
    this.changeBotStatus(bot, by, options.ban ? "kicked" : "left");
    this.serviceMessage(by, { left_chat_member: bot.info.user }, bot);
  }

  /** Makes the bot an administrator (or back a member) with the given rights. */
  setBotStatus(
    status: "member" | "administrator",
    options: { by?: SimulatedUser; bot?: string | number; rights?: Partial<MemberRecord> } = {},
  ): void {
    const bot = this.core.bot(options.bot);
    this.changeBotStatus(bot, this.actor(options.by), status, options.rights);
  }

  private serviceMessage(by: User, content: Partial<Message>, bot: BotRecord): void {
    const chat = this.record;
    const message = {
      message_id: this.core.world.allocateMessageId(chat),
      from: by,
      chat: chat.chat,
      date: unix(this.core),
      ...content,
    } as Message;
    this.core.world.storeIncoming(chat, message, "user");
    deliverIncoming(this.core, chat, message, bot);
  }
}

export class SimulatedChannel extends SimulatedMultiChat {
  private readonly owner: User;

  constructor(core: TwinCore, spec: ChannelSpec) {
    const chat: Chat = {
      id: spec.id,
      type: "channel",
      title: spec.title,
      ...(spec.username ? { username: spec.username } : {}),
    };
    core.world.addChat(chat);
    super(core, chat);
    this.owner = { id: 777_000, is_bot: false, first_name: "Telegram" };
  }

  /** Makes the bot an administrator that may post (my_chat_member update included). */
  addBot(options: { by?: SimulatedUser; bot?: string | number } = {}): void {
    const bot = this.core.bot(options.bot);
    const by = options.by?.user ?? this.owner;
    this.changeBotStatus(bot, by, "administrator", {
      canPostMessages: true,
      canDeleteMessages: true,
    });
  }

  /** A post in the channel, delivered to admin bots as a channel_post update. */
  post(text: string): Message {
    const chat = this.record;
    const entities = detectEntities(text);
    const message = {
      message_id: this.core.world.allocateMessageId(chat),
      sender_chat: chat.chat,
      chat: chat.chat,
      date: unix(this.core),
      text,
      ...(entities.length > 0 ? { entities } : {}),
    } as Message;
    this.core.world.storeIncoming(chat, message, "channel");
    deliverIncoming(this.core, chat, message, this.core.defaultBot);
    return message;
  }
}
