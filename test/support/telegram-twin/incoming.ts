// Messages coming from people (and channel posts) on their way to bots: the entities Telegram
// detects in typed text (bot commands, mentions), who gets them (private chat: the addressed
// bot; groups: every member bot allowed to see it under privacy mode; channels: admin bots),
// and the update that carries them.
import type { Message, MessageEntity, Update } from "grammy/types";
import type { BotRecord } from "./bot-state.ts";
import type { TwinCore } from "./core.ts";
import type { ChatRecord } from "./world.ts";

const WORD = /[\p{L}\p{N}_]/u;

/** Bot commands and @mentions as Telegram marks them in text a user typed. */
export function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const command = /\/([A-Za-z0-9_]{1,64})(@[A-Za-z0-9_]{3,32})?/g;
  for (const match of text.matchAll(command)) {
    const start = match.index;
    const end = start + match[0].length;
    const before = text[start - 1] ?? "";
    const after = text[end] ?? "";
    if (WORD.test(before) || ("/<>".includes(before) && before !== "")) continue;
    if (WORD.test(after) || ("/<>".includes(after) && after !== "")) continue;
    entities.push({ type: "bot_command", offset: start, length: match[0].length });
  }
  const mention = /@([A-Za-z0-9_]{2,32})/g;
  for (const match of text.matchAll(mention)) {
    const start = match.index;
    const end = start + match[0].length;
    if (WORD.test(text[start - 1] ?? "") || WORD.test(text[end] ?? "")) continue;
    if (
      entities.some(
        (e) => e.type === "bot_command" && start > e.offset && start < e.offset + e.length,
      )
    )
      continue;
    entities.push({ type: "mention", offset: start, length: match[0].length });
  }
  return entities.sort((a, b) => a.offset - b.offset);
}

function isServiceMessage(message: Message): boolean {
  return (
    message.new_chat_members !== undefined ||
    message.left_chat_member !== undefined ||
    message.new_chat_title !== undefined ||
    message.pinned_message !== undefined
  );
}

/** Group privacy mode: what a bot with privacy on receives from a group. */
export function botSeesGroupMessage(bot: BotRecord, chat: ChatRecord, message: Message): boolean {
  if (!bot.info.privacyMode) return true;
  const status = chat.members.get(bot.info.id)?.status;
  if (status === "administrator" || status === "creator") return true;
  if (isServiceMessage(message)) return true;
  if (message.reply_to_message?.from?.id === bot.info.id) return true;
  const text = message.text ?? message.caption ?? "";
  const username = bot.info.username.toLowerCase();
  for (const entity of message.entities ?? message.caption_entities ?? []) {
    const part = text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === "bot_command") {
      const at = part.indexOf("@");
      if (at < 0 || part.slice(at + 1).toLowerCase() === username) return true;
    }
    if (entity.type === "mention" && part.slice(1).toLowerCase() === username) return true;
  }
  return false;
}

function isMemberStatus(status: string | undefined): boolean {
  return (
    status === "member" ||
    status === "administrator" ||
    status === "creator" ||
    status === "restricted"
  );
}

// Update.message and Update.channel_post narrow the chat type; the twin builds the message for
// the right kind of chat, which the type system cannot follow through the chat record.
const asGroupOrPrivate = (message: Message): NonNullable<Update["message"]> =>
  message as NonNullable<Update["message"]>;
const asChannelPost = (message: Message): NonNullable<Update["channel_post"]> =>
  message as NonNullable<Update["channel_post"]>;

/** Queues a user's (or channel's) new message for the bots that receive it; returns them. */
export function deliverIncoming(
  core: TwinCore,
  chat: ChatRecord,
  message: Message,
  privateBot: BotRecord,
): BotRecord[] {
  const type = chat.chat.type;
  if (type === "private") {
    privateBot.enqueue({ message: asGroupOrPrivate(message) });
    return [privateBot];
  }
  const receivers: BotRecord[] = [];
  for (const bot of core.bots.values()) {
    const status = chat.members.get(bot.info.id)?.status;
    if (type === "channel") {
      if (status === "administrator" || status === "creator") {
        bot.enqueue({ channel_post: asChannelPost(message) });
        receivers.push(bot);
      }
      continue;
    }
    if (!isMemberStatus(status) || !botSeesGroupMessage(bot, chat, message)) continue;
    // Telegram does not echo a bot's own service actions to it as messages from itself
    if (message.from?.id === bot.info.id) continue;
    bot.enqueue({ message: asGroupOrPrivate(message) });
    receivers.push(bot);
  }
  return receivers;
}
