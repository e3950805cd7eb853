// Per-update authorization. Commands declare who may use them (CommandRegistry); everything else
// — buttons, free text — is checked here from the user row of this very update.
import { formatLocal } from "../../lib/time.ts";
import { type ActorExtras, type BotContext, hasActor } from "../context.ts";
import { type CommandSpec, mayUse } from "../commands/registry.ts";

/** Why this person may not use a scope, in their language. */
export function denial(ctx: BotContext, scope: CommandSpec["scope"]): string {
  const user = ctx.user;
  if (!user) return ctx.t("access-visitor");
  const standing = ctx.deps.services.users.standing(user);
  switch (standing.kind) {
    case "revoked":
      return ctx.t("access-revoked");
    case "rejected":
      return standing.mayReapplyNow
        ? ctx.t("access-rejected-reapply")
        : ctx.t("access-rejected", { when: formatLocal(standing.reapplyAt, user.timeZone) });
    case "visitor":
      return ctx.t("access-visitor");
    case "pending":
      return ctx.t("access-pending");
    case "member":
      return ctx.t(scope === "admin" ? "access-admin-only" : "access-pending");
  }
}

async function deny(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}

/**
 * Guard for registry commands: the scope, then the private-chat rule. The scope first, so that in
 * a group someone who may not use the command at all hears that (not approved, admins only), not
 * an invitation to try it in private.
 */
export function commandGuard(spec: CommandSpec) {
  return async (ctx: BotContext): Promise<boolean> => {
    if (!mayUse(spec.scope, ctx.actor)) {
      await deny(ctx, denial(ctx, spec.scope));
      return false;
    }
    if (spec.privateOnly !== false && ctx.chat?.type !== "private") {
      await ctx.reply(ctx.t("command-private-only", { command: spec.name }));
      return false;
    }
    return true;
  };
}

/**
 * Guard for buttons and other non-command input that needs an approved user (or an admin). A type
 * guard, so that past it the context has its user and actor; pair it with refuse:
 * `if (!inScope(ctx, "user")) return refuse(ctx, "user");`
 */
export function inScope<C extends BotContext>(
  ctx: C,
  scope: "user" | "admin",
): ctx is C & ActorExtras {
  // mayUse refuses when there is no actor; hasActor only tells the compiler what it checked
  return mayUse(scope, ctx.actor) && hasActor(ctx);
}

/** Tells this person why they may not use the scope (an alert for a button, else a reply). */
export async function refuse(ctx: BotContext, scope: "user" | "admin"): Promise<void> {
  await deny(ctx, denial(ctx, scope));
}
