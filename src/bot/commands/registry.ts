// The one command registry. Each command is declared once — name, who may use it, localized
// description and example, handler — and from it come the handlers, the /help text and the
// Telegram command menus (setMyCommands) for every language and scope.
import type { Api, Composer } from "grammy";
import type { BotCommand } from "grammy/types";
import { SUPPORTED_LOCALES } from "../../config.ts";
import { canUseProduct } from "../../domain/users/actor.ts";
import type { Actor } from "../../domain/users/actor.ts";
import { type ActorContext, type BotContext, hasActor } from "../context.ts";
import type { Translate } from "../i18n.ts";

/** public: anyone (even before approval); user: approved users; admin: admins only */
export type CommandScope = "public" | "user" | "admin";

/**
 * The area a command belongs to: /help lists the commands group by group, in this order, each
 * group under its localized heading (`help-group-<id>`).
 */
export const COMMAND_GROUPS = [
  "trading",
  "portfolio",
  "reports",
  "risk",
  "strategies",
  "alerts",
  "schedules",
  "settings",
  "admin",
] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

interface CommandBase {
  name: string;
  /** the /help section it is listed in */
  group: CommandGroup;
  /** i18n key of the one-line description shown in the menu and /help */
  descriptionKey: string;
  /**
   * i18n key of a real example with arguments ("/buy BTCUSDT 0.01 limit 60000"); a command that
   * takes none has just its bare name here, and /help then shows no example line for it.
   */
  exampleKey: string;
  /** private chats only (most commands); group-safe commands set false */
  privateOnly?: boolean;
}

/** A command anyone may use: its handler may find no user behind the update. */
export interface PublicCommandSpec extends CommandBase {
  scope: "public";
  handler: (ctx: BotContext) => Promise<unknown>;
}

/** A command for approved users or admins: the guard has passed, so the context has an actor. */
export interface MemberCommandSpec extends CommandBase {
  scope: "user" | "admin";
  handler: (ctx: ActorContext) => Promise<unknown>;
}

export type CommandSpec = PublicCommandSpec | MemberCommandSpec;

export class CommandRegistry {
  private readonly specs = new Map<string, CommandSpec>();

  add(spec: CommandSpec): void {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(spec.name))
      throw new Error(`invalid command name: ${spec.name}`);
    if (this.specs.has(spec.name)) throw new Error(`command declared twice: /${spec.name}`);
    this.specs.set(spec.name, spec);
  }

  get(name: string): CommandSpec | undefined {
    return this.specs.get(name.toLowerCase());
  }

  all(): CommandSpec[] {
    return [...this.specs.values()];
  }

  /** The commands this person may use right now, in declaration order. */
  available(actor: Actor | null): CommandSpec[] {
    return this.all().filter((c) => mayUse(c.scope, actor));
  }

  /** Registers every handler on the composer; access is checked per update by the guard. */
  install(
    composer: Composer<BotContext>,
    guard: (spec: CommandSpec) => (ctx: BotContext) => Promise<boolean>,
  ): void {
    for (const spec of this.specs.values()) {
      const allowed = guard(spec);
      composer.command(spec.name, async (ctx) => {
        if (!(await allowed(ctx))) return;
        if (spec.scope === "public") await spec.handler(ctx);
        // the guard let a user or admin command through only with an actor (mayUse)
        else if (hasActor(ctx)) await spec.handler(ctx);
      });
    }
  }

  /** The Telegram command menu entries for a scope in one language. */
  menuFor(scope: "user" | "admin" | "guest", t: Translate): BotCommand[] {
    const wanted: CommandScope[] =
      scope === "guest"
        ? ["public"]
        : scope === "user"
          ? ["public", "user"]
          : ["public", "user", "admin"];
    return this.all()
      .filter((c) => wanted.includes(c.scope))
      .map((c) => ({ command: c.name, description: t(c.descriptionKey).slice(0, 256) }));
  }

  /**
   * The menu everyone sees in private chats before approval (/start, /help), in every language
   * (plus the default for languages we do not have).
   */
  async publishDefaults(api: Api, translators: (locale: string) => Translate): Promise<void> {
    await api.setMyCommands(this.menuFor("guest", translators(SUPPORTED_LOCALES[0])), {
      scope: { type: "all_private_chats" },
    });
    for (const locale of SUPPORTED_LOCALES) {
      await api.setMyCommands(this.menuFor("guest", translators(locale)), {
        scope: { type: "all_private_chats" },
        language_code: locale,
      });
    }
  }

  /**
   * One person's menu in their private chat and language: the user commands once approved, the
   * admin commands too for admins, back to the default when access ends.
   */
  async publishFor(api: Api, chatId: string, actor: Actor, t: Translate): Promise<void> {
    const scope = { type: "chat" as const, chat_id: Number(chatId) };
    if (!canUseProduct(actor)) {
      await api.deleteMyCommands({ scope });
      return;
    }
    await api.setMyCommands(this.menuFor(actor.isAdmin ? "admin" : "user", t), { scope });
  }
}

export function mayUse(scope: CommandScope, actor: Actor | null): boolean {
  if (scope === "public") return true;
  if (!actor || !canUseProduct(actor)) return false;
  return scope === "user" || actor.isAdmin;
}
