// /start and /help. /start greets approved users and admins with what they can do, starts the
// onboarding conversation for newcomers, and tells pending, rejected and deactivated people where
// they stand. /help lists every command this person may use, grouped by area, with real examples.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { MiddlewareFn } from "grammy";
import { canUseProduct } from "../../../domain/users/actor.ts";
import { COMMAND_GROUPS, type CommandRegistry } from "../../commands/registry.ts";
import type { BotContext } from "../../context.ts";
import { replyFmt } from "../../format/reply.ts";
import { packBlocks } from "../../reports/split-formatted.ts";
import { ONBOARDING } from "./onboarding.ts";
import { denial } from "../../middlewares/access.ts";

/**
 * /help: the commands this person may use, grouped by area (in the order of COMMAND_GROUPS),
 * each with its description and, when it takes arguments, a real example. Returned as blocks —
 * the title, one per group, the footer — so a long help is cut between groups, never inside one.
 */
export function helpBlocks(ctx: BotContext): FormattedString[] {
  const commands = ctx.deps.registry.available(ctx.actor);
  const groups = COMMAND_GROUPS.map((group) => {
    const members = commands.filter((c) => c.group === group);
    if (members.length === 0) return null;
    const lines = members.map((c) => {
      const described = fmt`/${c.name} — ${ctx.t(c.descriptionKey)}`;
      const example = ctx.t(c.exampleKey).trim();
      // a bare "/alerts" teaches nothing the line above does not: examples are for arguments
      if (example === `/${c.name}`) return described;
      return fmt`${described}\n   ${FormattedString.i(ctx.t("help-example"))}: ${FormattedString.code(example)}`;
    });
    return fmt`${FormattedString.b(ctx.t(`help-group-${group}`))}\n${FormattedString.join(lines, "\n")}`;
  }).filter((g): g is FormattedString => g !== null);
  const footer =
    ctx.actor && canUseProduct(ctx.actor)
      ? ctx.t("help-footer")
      : ctx.user
        ? helpFooterFor(ctx, ctx.user)
        : ctx.t("help-footer-visitor");
  return [fmt`${FormattedString.b(ctx.t("help-title"))}`, ...groups, fmt`${footer}`];
}

export async function startCommand(ctx: BotContext): Promise<void> {
  const user = ctx.user;
  const actor = ctx.actor;
  if (!user || !actor) return;
  if (ctx.chat?.type !== "private") {
    await ctx.reply(ctx.t("command-private-only", { command: "start" }));
    return;
  }
  if (!actor.isActive) {
    await ctx.reply(ctx.t("access-revoked"));
    return;
  }
  if (canUseProduct(actor)) {
    const name = user.firstName ?? user.username ?? "";
    const greeting = ctx.t(actor.isAdmin ? "start-admin" : "start-user", { name });
    await replyLong(ctx, [fmt`${greeting}`, ...helpBlocks(ctx)]);
    // keep the person's command menu in step with their role and language
    await ctx.deps.registry
      .publishFor(ctx.api, String(ctx.chat.id), actor, (k, p) => ctx.t(k, p))
      .catch((e: unknown) =>
        ctx.deps.logger.warn({ err: e }, "could not publish the command menu"),
      );
    return;
  }
  const standing = ctx.deps.services.users.standing(user);
  if (standing.kind === "rejected" && !standing.mayReapplyNow) {
    await ctx.reply(denial(ctx, "user"));
    return;
  }
  if (standing.kind === "pending") {
    await ctx.reply(ctx.t("access-pending"));
    return;
  }
  // a visitor, or a declined applicant whose waiting time is over: (re)apply
  await ctx.conversation.enter(ONBOARDING);
}

/**
 * The full list outgrows one message (4096 characters) for admins: the blocks are packed into as
 * few messages as fit, separated by a blank line, cut between blocks.
 */
async function replyLong(ctx: BotContext, blocks: FormattedString[]): Promise<void> {
  for (const part of packBlocks(blocks)) await replyFmt(ctx, part);
}

function helpFooterFor(ctx: BotContext, user: NonNullable<BotContext["user"]>): string {
  const standing = ctx.deps.services.users.standing(user);
  if (standing.kind === "visitor") return ctx.t("help-footer-visitor");
  if (standing.kind === "rejected" || standing.kind === "revoked") return denial(ctx, "user");
  return ctx.t("help-footer-pending");
}

/**
 * Someone who never applied and writes anything but /help (a first "hi", a command they saw
 * somewhere) is taken into onboarding at once: otherwise they would sit unseen, neither applying
 * nor told how to. Registered after the conversations, before the commands.
 */
export function newcomerOnboarding(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const user = ctx.user;
    if (!ctx.message || ctx.chat?.type !== "private" || !user) return next();
    if (ctx.deps.services.users.standing(user).kind !== "visitor") return next();
    if (Object.keys(ctx.conversation.active()).length > 0) return next();
    const command = ctx.message.text?.match(/^\/(\w+)/)?.[1]?.toLowerCase();
    if (command === "help" || command === "start") return next();
    await ctx.conversation.enter(ONBOARDING);
  };
}

export function registerStartHelp(registry: CommandRegistry): void {
  registry.add({
    name: "start",
    scope: "public",
    group: "settings",
    descriptionKey: "cmd-start",
    exampleKey: "cmd-start-example",
    handler: startCommand,
  });
  registry.add({
    name: "help",
    scope: "public",
    group: "settings",
    descriptionKey: "cmd-help",
    exampleKey: "cmd-help-example",
    privateOnly: false,
    handler: (ctx) => replyLong(ctx, helpBlocks(ctx)),
  });
}
