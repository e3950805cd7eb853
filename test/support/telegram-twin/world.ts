// The twin's picture of Telegram: users, chats with their members, the messages in each chat,
// and uploaded files. Method handlers and simulated actors both read and change it; every
// change of a message bumps a global revision and is reported to the listener.
import type { Chat, ChatMember, Message, User } from "grammy/types";
import type { SentFile, TwinMessage } from "./types.ts";

export type MemberStatus = ChatMember["status"];

export interface MemberRecord {
  status: MemberStatus;
  /** Administrator rights that matter to the twin. */
  canDeleteMessages: boolean;
  canPostMessages: boolean;
  /** Status before blockChat() kicked the bot, restored by unblockChat(). */
  statusBeforeBlock?: MemberStatus;
}

export interface ChatRecord {
  chat: Chat;
  members: Map<number, MemberRecord>;
  messages: Map<number, TwinMessage>;
  /** Message ids in order of creation. */
  order: number[];
  nextMessageId: number;
  /** Private chats: bots the user has blocked / has started. */
  blockedBots: Set<number>;
  startedBots: Set<number>;
}

export type MessageChange = "sent" | "edited" | "deleted";

export class World {
  readonly users = new Map<number, User>();
  readonly chats = new Map<number, ChatRecord>();
  readonly files = new Map<string, SentFile>();
  private revisionCounter = 0;

  constructor(
    private readonly onMessageChange: (kind: MessageChange, message: TwinMessage) => void,
  ) {}

  get revision(): number {
    return this.revisionCounter;
  }

  private nextRevision(): number {
    return ++this.revisionCounter;
  }

  addUser(user: User): void {
    this.users.set(user.id, user);
  }

  addChat(chat: Chat): ChatRecord {
    const existing = this.chats.get(chat.id);
    if (existing) return existing;
    const record: ChatRecord = {
      chat,
      members: new Map(),
      messages: new Map(),
      order: [],
      nextMessageId: 1,
      blockedBots: new Set(),
      startedBots: new Set(),
    };
    this.chats.set(chat.id, record);
    return record;
  }

  /** chat_id as given to the API: a number, or "@username" of a public chat. */
  findChat(chatId: number | string): ChatRecord | undefined {
    if (typeof chatId === "number") return this.chats.get(chatId);
    const username = chatId.replace(/^@/, "").toLowerCase();
    for (const record of this.chats.values()) {
      if ("username" in record.chat && record.chat.username?.toLowerCase() === username)
        return record;
    }
    return undefined;
  }

  setMember(
    chat: ChatRecord,
    userId: number,
    status: MemberStatus,
    rights?: Partial<MemberRecord>,
  ): void {
    const isAdmin = status === "creator" || status === "administrator";
    chat.members.set(userId, {
      status,
      canDeleteMessages: rights?.canDeleteMessages ?? isAdmin,
      canPostMessages: rights?.canPostMessages ?? isAdmin,
    });
  }

  allocateMessageId(chat: ChatRecord): number {
    return chat.nextMessageId++;
  }

  /** Stores a new message; `message` must already carry its message_id. */
  storeMessage(chat: ChatRecord, message: Omit<TwinMessage, "revision">): TwinMessage {
    const stored: TwinMessage = { ...message, revision: this.nextRevision() };
    chat.messages.set(stored.message_id, stored);
    chat.order.push(stored.message_id);
    this.onMessageChange("sent", stored);
    return stored;
  }

  /** Replaces a message with an updated copy, so snapshots handed out earlier stay unchanged. */
  updateMessage(
    chat: ChatRecord,
    messageId: number,
    change: (m: TwinMessage) => TwinMessage,
    kind: MessageChange,
  ): TwinMessage {
    const current = chat.messages.get(messageId);
    if (!current) throw new Error(`message ${messageId} not in chat ${chat.chat.id}`);
    const next = { ...change(current), revision: this.nextRevision() };
    chat.messages.set(messageId, next);
    this.onMessageChange(kind, next);
    return next;
  }

  messagesIn(chat: ChatRecord): TwinMessage[] {
    const list: TwinMessage[] = [];
    for (const id of chat.order) {
      const message = chat.messages.get(id);
      if (message) list.push(message);
    }
    return list;
  }

  /** A user-sent Telegram message, kept so bots can reply to, delete or quote it. */
  storeIncoming(chat: ChatRecord, message: Message, sender: "user" | "channel"): TwinMessage {
    return this.storeMessage(chat, {
      message_id: message.message_id,
      chat_id: chat.chat.id,
      sender,
      ...(message.from ? { from: message.from } : {}),
      date: message.date,
      ...(message.text !== undefined ? { text: message.text, html: message.text } : {}),
      ...(message.entities ? { entities: message.entities } : {}),
      ...(message.caption !== undefined ? { caption: message.caption } : {}),
      ...(message.reply_to_message
        ? { reply_to_message_id: message.reply_to_message.message_id }
        : {}),
      edits: 0,
      deleted: false,
      history: [],
      message,
    });
  }
}
