// The bot's context type: grammY's Context plus i18n, session, conversations and what the
// middlewares attach (the app's dependencies, the user behind the update and their actor).
import type { Conversation, ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context, SessionFlavor } from "grammy";
import type { User } from "../domain/types.ts";
import type { Actor } from "../domain/users/actor.ts";
import type { BotDeps } from "./deps.ts";
import type { StoredDraft } from "./features/orders/drafts.ts";

export interface SessionData {
  /** bumped when the shape changes; old sessions are reset */
  v: 1;
  /** order drafts waiting behind a confirmation card, by token (see bot/features/orders/drafts.ts) */
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
/**
 * Inside conversations: a fresh context per update, with i18n and the extras re-installed. It
 * differs from BotContext because the conversations plugin builds it itself: no session (the
 * conversation's own state replaces it) and no `ctx.conversation` (a conversation cannot enter
 * another). Code shared by both takes BaseContext.
 */
export type ConvContext = BaseContext;

/** What the access check guarantees once it has passed: a registered user and their actor. */
export interface ActorExtras {
  user: User;
  actor: Actor;
}
/**
 * The context handlers of approved-only and admin-only commands and buttons receive: the access
 * check (commands/registry.ts, middlewares/access.ts) narrows BotContext to it, so features read
 * `ctx.actor` without asserting it.
 */
export type ActorContext = BotContext & ActorExtras;

/** True when a user (and so an actor) is behind the update; the access check builds on it. */
export function hasActor<C extends BaseContext>(ctx: C): ctx is C & ActorExtras {
  return ctx.user !== null && ctx.actor !== null;
}

/**
 * The context with its actor where no access check stands in front but one is known to have
 * passed: a conversation step (conversation.external) of a conversation entered through the
 * check, a menu's page turn (the menu lists the user's own things, so it has pages only for a
 * user). Every update with a sender has its user loaded (load-user.ts); one without would be a
 * bug, so this throws, as reading the missing actor always did.
 */
export function withActor<C extends BaseContext>(ctx: C): C & ActorExtras {
  if (!hasActor(ctx)) throw new Error("no user behind this update");
  return ctx;
}

/** The actor of such an update (see withActor). */
export function actorOf(ctx: BaseContext): Actor {
  return withActor(ctx).actor;
}
export type BotConversation = Conversation<BotContext, ConvContext>;
