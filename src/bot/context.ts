// The bot's context type: grammY's Context plus i18n, session, conversations and what the
// middlewares attach (the app's dependencies, the user behind the update and their actor).
import type { Conversation, ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context, SessionFlavor } from "grammy";
import type { User } from "../domain/types.ts";
import type { Actor } from "../domain/users/actor.ts";
import type { BotDeps } from "./deps.ts";
import type { StoredDraft } from "./orders/drafts.ts";

export interface SessionData {
  /** bumped when the shape changes; old sessions are reset */
  v: 1;
  /** order drafts waiting behind a confirmation card, by token (see bot/orders/drafts.ts) */
  drafts?: Record<string, StoredDraft>;
  /**
   * The next text message in this chat is a secret for this conversation (see
   * conversations/secret-input.ts): captured and deleted before any conversation stores it.
   */
  secretEntry?: { conversation: string; until: number };
}

export interface UpdateExtras {
  deps: BotDeps;
  /** the registered user behind the update (null for updates without a sender, e.g. channel posts) */
  user: User | null;
  /** the user as the domain sees them */
  actor: Actor | null;
}

export type BaseContext = Context & I18nFlavor & UpdateExtras;
export type BotContext = ConversationFlavor<BaseContext & SessionFlavor<SessionData>>;
/** Inside conversations: a fresh context per update, with i18n and the extras re-installed. */
export type ConvContext = BaseContext;
export type BotConversation = Conversation<BotContext, ConvContext>;
