// One feature of the bot (an area of commands, buttons and conversations), described once so that
// bot.ts wires every feature from one array (FEATURES, src/bot/feature-list.ts). A new command is
// one folder and one line in that array.
//
// bot.ts installs each part in its own phase, the same for every feature, in array order:
// 1. conversations (before the menus and commands that enter them, conversations#119);
// 2. beforeMenus (middleware that may enter a conversation ahead of menus and commands);
// 3. menus (behind one stale-press guard);
// 4. register (declaration order is the order of /help and of the Telegram command menu);
// 5. beforeCommands (handlers that must see updates ahead of the per-user command guard);
// 6. the commands of every feature;
// 7. handlers (buttons, free text); the fallback feature is last in the array.
import type { ConversationBuilder } from "@grammyjs/conversations";
import type { Composer, MiddlewareFn } from "grammy";
import type { CheckedMenu } from "./checked-menu.ts";
import type { CommandRegistry } from "./commands/registry.ts";
import type { BotContext, ConvContext } from "./context.ts";
import type { BotDeps } from "./deps.ts";

/** A conversation and the id it is entered by (ctx.conversation.enter(id)). */
export type ConversationEntry = readonly [ConversationBuilder<BotContext, ConvContext>, string];

export interface Feature {
  /** for logs and tests: which feature this is */
  readonly name: string;
  readonly conversations?: readonly ConversationEntry[];
  readonly beforeMenus?: MiddlewareFn<BotContext>;
  readonly menus?: readonly CheckedMenu<BotContext>[];
  register?(registry: CommandRegistry): void;
  readonly beforeCommands?: Composer<BotContext>;
  readonly handlers?: Composer<BotContext>;
}

/**
 * Builds a feature for one bot: menus and composers are per bot (tests build several bots in one
 * process), and some features need the services from deps.
 */
export type FeatureFactory = (deps: BotDeps) => Feature;
