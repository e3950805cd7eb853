// getMe, getChat, getChatMember, getChatAdministrators, leaveChat and answerCallbackQuery.
import type { ChatFullInfo, ChatMember, UserFromGetMe } from "grammy/types";
import { ApiError, badRequest, Descriptions } from "../api-error.ts";
import { checkEditAccess, requireChat } from "../chat-access.ts";
import { chatMember } from "../chat-members.ts";
import type { MethodContext } from "./context.ts";

export function getMe(ctx: MethodContext): UserFromGetMe {
  const { info } = ctx.bot;
  return {
    id: info.id,
    is_bot: true,
    first_name: info.firstName,
    username: info.username,
    can_join_groups: true,
    can_read_all_group_messages: !info.privacyMode,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

const NO_GIFTS = {
  unlimited_gifts: false,
  limited_gifts: false,
  unique_gifts: false,
  premium_subscription: false,
  gifts_from_channels: false,
};

export function getChat(ctx: MethodContext): ChatFullInfo {
  const chat = requireChat(ctx.world, ctx.params).chat;
  const common = { accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: NO_GIFTS };
  switch (chat.type) {
    case "private":
      return {
        ...common,
        id: chat.id,
        type: "private",
        first_name: chat.first_name,
        ...(chat.last_name ? { last_name: chat.last_name } : {}),
        ...(chat.username ? { username: chat.username } : {}),
      };
    case "group":
      return { ...common, id: chat.id, type: "group", title: chat.title };
    case "supergroup":
      return {
        ...common,
        id: chat.id,
        type: "supergroup",
        title: chat.title,
        ...(chat.username ? { username: chat.username } : {}),
      };
    case "channel":
      return {
        ...common,
        id: chat.id,
        type: "channel",
        title: chat.title,
        ...(chat.username ? { username: chat.username } : {}),
      };
  }
}

export function getChatMember(ctx: MethodContext): ChatMember {
  const chat = requireChat(ctx.world, ctx.params);
  const userId = ctx.params.int("user_id");
  if (userId === undefined || userId === 0) throw badRequest("user_id is empty");
  const user = ctx.world.users.get(userId);
  if (!user) throw badRequest("PARTICIPANT_ID_INVALID");
  if (chat.chat.type === "private") {
    // the two parties of a private chat are its members
    const isParty = userId === chat.chat.id || userId === ctx.bot.info.id;
    return chatMember(user, isParty ? "member" : "left");
  }
  const record = chat.members.get(userId);
  return chatMember(user, record?.status ?? "left", record);
}

export function getChatAdministrators(ctx: MethodContext): ChatMember[] {
  const chat = requireChat(ctx.world, ctx.params);
  if (chat.chat.type === "private")
    throw badRequest("there are no administrators in the private chat");
  checkEditAccess(chat, ctx.bot);
  const admins: ChatMember[] = [];
  for (const [userId, record] of chat.members) {
    const user = ctx.world.users.get(userId);
    if (user && (record.status === "creator" || record.status === "administrator")) {
      admins.push(chatMember(user, record.status, record));
    }
  }
  return admins;
}

export function leaveChat(ctx: MethodContext): true {
  const chat = requireChat(ctx.world, ctx.params);
  if (chat.chat.type === "private")
    throw badRequest("chat member status can't be changed in private chats");
  checkEditAccess(chat, ctx.bot);
  const before = chat.members.get(ctx.bot.info.id);
  ctx.world.setMember(chat, ctx.bot.info.id, "left");
  ctx.bot.enqueue({
    my_chat_member: {
      chat: chat.chat,
      from: ctx.bot.info.user,
      date: Math.floor(ctx.now / 1000),
      old_chat_member: chatMember(ctx.bot.info.user, before?.status ?? "member", before),
      new_chat_member: chatMember(ctx.bot.info.user, "left"),
    },
  });
  return true;
}

const MAX_CALLBACK_TEXT = 200;

export function answerCallbackQuery(ctx: MethodContext): true {
  const id = ctx.params.string("callback_query_id") ?? "";
  const query = ctx.bot.callbackQueries.get(id);
  if (!query || query.answered) throw new ApiError(400, Descriptions.callbackQueryInvalid);
  const text = ctx.params.string("text");
  if (text !== undefined && [...text].length > MAX_CALLBACK_TEXT) {
    throw new ApiError(400, Descriptions.callbackTextTooLong);
  }
  query.answered = true;
  const url = ctx.params.string("url");
  const cacheTime = ctx.params.int("cache_time");
  ctx.services.recordCallbackAnswer({
    callback_query_id: id,
    ...(text !== undefined && text !== "" ? { text } : {}),
    show_alert: ctx.params.bool("show_alert"),
    ...(url ? { url } : {}),
    ...(cacheTime !== undefined ? { cache_time: cacheTime } : {}),
    time: ctx.now,
  });
  return true;
}
