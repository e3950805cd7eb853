// Per-update authorization. Commands declare who may use them (CommandRegistry); everything else
// — buttons, free text — is checked here from the user row of this very update.
import type { BotContext } from "../context.ts";
import { type CommandSpec, mayUse } from "../commands/registry.ts";

/** Why this person may not use a scope, as an i18n key. */
export function denialKey(ctx: BotContext, scope: CommandSpec["scope"]): string {
  const actor = ctx.actor;
  if (!actor) return "access-pending";
  if (!actor.isActive) return "access-revoked";
  if (actor.status === "REJECTED") return "access-rejected";
  if (actor.status !== "APPROVED" && !actor.isAdmin) return "access-pending";
  return scope === "admin" ? "access-admin-only" : "access-pending";
}

async function deny(ctx: BotContext, key: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
  else await ctx.reply(ctx.t(key));
}

/** Guard for registry commands: private-chat rule, then the scope. */
export function commandGuard(spec: CommandSpec) {
  return async (ctx: BotContext): Promise<boolean> => {
    if (spec.privateOnly !== false && ctx.chat?.type !== "private") {
      await ctx.reply(ctx.t("command-private-only", { command: spec.name }));
      return false;
    }
    if (mayUse(spec.scope, ctx.actor)) return true;
    await deny(ctx, denialKey(ctx, spec.scope));
    return false;
  };
}

/** Guard for buttons and other non-command input that needs an approved user (or an admin). */
export async function requireScope(ctx: BotContext, scope: "user" | "admin"): Promise<boolean> {
  if (mayUse(scope, ctx.actor)) return true;
  await deny(ctx, denialKey(ctx, scope));
  return false;
}
