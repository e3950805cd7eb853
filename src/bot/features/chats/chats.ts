// /chats: where notifications go. The private chat is always there (it can be muted, not
// removed); groups and channels are added with a one-time code posted in them (/link CODE), which
// proves the person can post there. Each destination has a minimum severity, a description, and
// can be muted or removed. When the bot is removed from a group, the destination goes inactive.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { ChatType } from "../../../domain/types.ts";
import type { ChatView } from "../../../domain/notifications/chat-service.ts";
import { SEVERITIES } from "../../../domain/notifications/notification-types.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { describeError } from "../../errors.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import {
  chatAdd,
  chatList,
  chatMute,
  chatRemove,
  chatSeverity,
  chatUnmute,
  chatView,
} from "./callback-data.ts";

const TYPES: Record<string, ChatType> = {
  group: "GROUP",
  supergroup: "SUPERGROUP",
  channel: "CHANNEL",
  private: "PRIVATE",
};

function chatLabel(ctx: BotContext, chat: ChatView): string {
  const name = chat.isPrivate ? ctx.t("chats-private") : (chat.title ?? chat.telegramChatId);
  const state = !chat.isActive ? "⛔" : chat.isMuted ? "🔕" : "🔔";
  return `${state} ${name} · ≥ ${chat.minSeverity}`;
}

async function renderList(ctx: ActorContext) {
  const chats = await ctx.deps.services.chats.list(ctx.actor);
  const lines = chats.map(
    (c) => fmt`${chatLabel(ctx, c)}${c.description ? ` — ${c.description}` : ""}`,
  );
  const text = fmt`${FormattedString.b(ctx.t("chats-title"))}\n${ctx.t("chats-explain")}\n\n${FormattedString.join(lines, "\n")}`;
  const rows = chats.map((c) => [
    button(chatLabel(ctx, c).slice(0, 60), chatView.pack({ id: c.id })),
  ]);
  return {
    text,
    markup: keyboard([...rows, [button(`➕ ${ctx.t("chats-add")}`, chatAdd.pack({}))]]),
  };
}

function chatCard(ctx: BotContext, chat: ChatView) {
  const zone = ctx.user?.timeZone ?? "UTC";
  const lines = [
    fmt`${FormattedString.b(chat.isPrivate ? ctx.t("chats-private") : (chat.title ?? chat.telegramChatId))} (${ctx.t(`chats-type-${chat.type.toLowerCase()}`)})`,
    fmt`${ctx.t("chats-min-severity")}: ${chat.minSeverity}`,
    fmt`${ctx.t("chats-state")}: ${ctx.t(!chat.isActive ? "chats-state-inactive" : chat.isMuted ? "chats-state-muted" : "chats-state-active")}${chat.deactivatedReason ? ` (${chat.deactivatedReason})` : ""}`,
    fmt`${ctx.t("chats-description")}: ${chat.description ?? "—"}`,
    fmt`${FormattedString.i(ctx.t("chats-since", { when: formatLocal(chat.createdAt, zone) }))}`,
  ];
  const severities = SEVERITIES.map((s) =>
    button(
      `${s === chat.minSeverity ? "✓ " : ""}${s}`,
      chatSeverity.pack({ id: chat.id, severity: s }),
    ),
  );
  const actions = [
    button(
      chat.isMuted ? `🔔 ${ctx.t("chats-unmute")}` : `🔕 ${ctx.t("chats-mute")}`,
      (chat.isMuted ? chatUnmute : chatMute).pack({ id: chat.id }),
    ),
    ...(chat.isPrivate
      ? []
      : [button(`🗑 ${ctx.t("chats-remove")}`, chatRemove.pack({ id: chat.id }))]),
  ];
  return {
    text: FormattedString.join(lines, "\n"),
    markup: keyboard([
      severities.slice(0, 2),
      severities.slice(2),
      actions,
      [button(`« ${ctx.t("chats-back")}`, chatList.pack({}))],
    ]),
  };
}

/** "/link CODE" posted in a group (by its author) or a channel (the bot must be an admin there). */
async function linkHere(ctx: BotContext, code: string): Promise<void> {
  const chat = ctx.chat!;
  const type = TYPES[chat.type] ?? "GROUP";
  let verifiedAdmin = false;
  if (type === "CHANNEL") {
    const me = await ctx.api.getChatMember(chat.id, ctx.me.id).catch(() => null);
    verifiedAdmin = me?.status === "administrator" || me?.status === "creator";
  }
  try {
    const linked = await ctx.deps.services.chats.linkChat({
      code,
      chatId: String(chat.id),
      chatType: type,
      title: "title" in chat ? chat.title : null,
      fromTelegramUserId: ctx.from && !ctx.from.is_bot ? String(ctx.from.id) : null,
      verifiedAdmin,
    });
    await ctx.reply(ctx.t("chats-linked-here", { title: linked.title ?? String(chat.id) }));
  } catch (e) {
    await ctx.reply(describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger));
  }
}

export function registerChats(registry: CommandRegistry): void {
  registry.add({
    name: "chats",
    scope: "user",
    group: "settings",
    descriptionKey: "cmd-chats",
    exampleKey: "cmd-chats-example",
    handler: async (ctx) => {
      const { text, markup } = await renderList(ctx);
      await replyFmt(ctx, text, markup);
    },
  });
  registry.add({
    name: "link",
    scope: "user",
    group: "settings",
    descriptionKey: "cmd-link",
    exampleKey: "cmd-link-example",
    privateOnly: false,
    handler: async (ctx) => {
      const code = typeof ctx.match === "string" ? ctx.match.trim() : "";
      if (ctx.chat?.type === "private" || !code) {
        await ctx.reply(ctx.t("chats-link-usage"));
        return;
      }
      await linkHere(ctx, code);
    },
  });
}

export function chatsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  // channel posts have no author: the registry's per-user guard cannot apply, the code and the
  // bot's admin rights in the channel prove it instead
  composer.on("channel_post:text", async (ctx, next) => {
    const m = ctx.channelPost.text.match(/^\/link(?:@\w+)?\s+(\S.*)$/);
    if (!m) return next();
    await linkHere(ctx, m[1]!);
  });
  // removed from a group or channel: stop sending there; added back: resume
  composer.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const chatId = String(ctx.myChatMember.chat.id);
    if (status === "left" || status === "kicked")
      await ctx.deps.services.chats.markInactive(chatId, status);
    else if (status === "member" || status === "administrator")
      await ctx.deps.services.chats.reactivate(chatId);
  });
  composer.callbackQuery(/^cht:/, async (ctx) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    const data = ctx.callbackQuery.data;
    const { chats } = ctx.deps.services;
    try {
      if (chatList.unpack(data)) {
        const { text, markup } = await renderList(ctx);
        await ctx.answerCallbackQuery();
        return editFmt(ctx, text, markup);
      }
      if (chatAdd.unpack(data)) {
        const link = await chats.createLinkCode(ctx.actor);
        await ctx.answerCallbackQuery();
        return replyFmt(
          ctx,
          fmt`${ctx.t("chats-add-how", { bot: ctx.me.username })}\n\n${FormattedString.code(`/link ${link.code}`)}\n\n${FormattedString.i(ctx.t("chats-add-expires", { when: formatLocal(link.expiresAt, ctx.user?.timeZone ?? "UTC") }))}`,
        );
      }
      const view = chatView.unpack(data);
      const severity = chatSeverity.unpack(data);
      const mute = chatMute.unpack(data);
      const unmute = chatUnmute.unpack(data);
      const remove = chatRemove.unpack(data);
      let chat: ChatView;
      if (view) chat = await chats.get(ctx.actor, view.id);
      else if (severity)
        chat = await chats.setMinSeverity(ctx.actor, severity.id, severity.severity);
      else if (mute) chat = await chats.mute(ctx.actor, mute.id);
      else if (unmute) chat = await chats.unmute(ctx.actor, unmute.id);
      else if (remove) {
        await chats.remove(ctx.actor, remove.id);
        const { text, markup } = await renderList(ctx);
        await ctx.answerCallbackQuery({ text: ctx.t("chats-removed") });
        return editFmt(ctx, text, markup);
      } else return ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
      await ctx.answerCallbackQuery();
      const { text, markup } = chatCard(ctx, chat);
      return editFmt(ctx, text, markup);
    } catch (e) {
      return ctx.answerCallbackQuery({
        text: describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger).slice(0, 200),
        show_alert: true,
      });
    }
  });
  return composer;
}
