// Admin user management: /users (everyone, paged inline, filterable), /pending (applications),
// and a card per user with the actions that apply to them: approve, reject, deactivate,
// reactivate, promote, demote. Each action goes through the domain, which enforces the user cap
// and "never the last admin" and writes the audit log; the card then redraws in place.
import { Composer } from "grammy";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { User } from "../../../domain/types.ts";
import type { UserFilter } from "../../../domain/users/user-service.ts";
import { displayName } from "../../../domain/users/user-service.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { describeError } from "../../errors.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard, parseData, parseId } from "../../keyboards.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { onPage, pageWindow, pagerRow } from "../../pagination.ts";
import {
  type AccessChange,
  announceAccessChange,
  applicantCard,
  announceDecision,
} from "../approvals/approvals.ts";

const FILTERS: UserFilter[] = ["all", "pending", "active", "inactive", "admins"];
const PAGE_SIZE = 8;

function statusIcon(user: User): string {
  if (!user.isActive) return "⛔";
  if (user.status === "PENDING") return "⏳";
  if (user.status === "REJECTED") return "✖️";
  return user.isAdmin ? "⭐" : "✅";
}

async function renderList(ctx: ActorContext, filter: UserFilter, page: number) {
  const result = await ctx.deps.services.users.list(ctx.actor, filter, page, PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const current = Math.min(result.page, pages);
  const active = await ctx.deps.services.users.countActiveUsers();
  const title = FormattedString.b(
    ctx.t("users-title", { filter: ctx.t(`users-filter-${filter}`) }),
  );
  const summary = ctx.t("users-summary", {
    total: result.total,
    active,
    max: ctx.deps.config.MAX_USERS,
    page: current,
    pages,
  });
  const body = result.users.length ? "" : `\n\n${ctx.t("users-empty")}`;
  const rows = result.users.map((u) => [
    button(`${statusIcon(u)} ${displayName(u)}`.slice(0, 60), `usr:v:${u.id}:${filter}:${current}`),
  ]);
  const nav = pagerRow("users", pageWindow(result.total, current, PAGE_SIZE), filter);
  const filters = FILTERS.filter((f) => f !== filter).map((f) =>
    button(ctx.t(`users-filter-${f}`), `usr:l:${f}:1`),
  );
  return {
    text: fmt`${title}\n${summary}${body}`,
    markup: keyboard([...rows, nav, filters.slice(0, 2), filters.slice(2)]),
  };
}

/** Actions that take something away or hand out power: asked once more before they happen. */
const CONFIRMED = new Set(["rj", "de", "re", "pr", "dm"]);

function actionsFor(ctx: BotContext, user: User, back: string) {
  const t = (k: string) => ctx.t(k);
  // approve acts at once; the others first show a confirmation
  const act = (action: string) =>
    `usr:${CONFIRMED.has(action) ? "c" : "a"}:${action}:${user.id}:${back}`;
  const row1 = [];
  if (user.status === "PENDING")
    row1.push(button(t("approval-approve"), act("ap")), button(t("approval-reject"), act("rj")));
  if (user.status === "REJECTED") row1.push(button(t("approval-approve"), act("ap")));
  const row2 = [];
  if (user.id !== ctx.actor?.id) {
    if (user.isActive && user.status === "APPROVED")
      row2.push(button(t("users-deactivate"), act("de")));
    if (!user.isActive) row2.push(button(t("users-reactivate"), act("re")));
    if (user.isActive && user.status === "APPROVED") {
      row2.push(
        user.isAdmin ? button(t("users-demote"), act("dm")) : button(t("users-promote"), act("pr")),
      );
    }
  }
  const [filter = "all", page = "1"] = back.split(":");
  return keyboard([row1, row2, [button(t("users-back"), `usr:l:${filter}:${page}`)]]);
}

function userCard(ctx: BotContext, user: User): FormattedString {
  const zone = ctx.user?.timeZone ?? "UTC";
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
  const status = [
    t(`users-status-${user.status.toLowerCase()}`),
    user.isActive ? null : t("users-status-inactive"),
    user.isAdmin ? t("users-status-admin") : null,
    user.blockedBotAt ? t("users-status-blocked") : null,
  ]
    .filter(Boolean)
    .join(", ");
  const when = user.approvedAt ? formatLocal(user.approvedAt, zone) : "—";
  return fmt`${FormattedString.b(displayName(user))}\n${applicantCard(t, user)}\n${FormattedString.b(t("users-field-status"))}: ${status}\n${FormattedString.b(t("users-field-approved"))}: ${when}`;
}

async function listCommand(ctx: ActorContext, filter: UserFilter): Promise<void> {
  const { text, markup } = await renderList(ctx, filter, 1);
  await replyFmt(ctx, text, markup);
}

export function registerAdminUsers(registry: CommandRegistry): void {
  registry.add({
    name: "users",
    scope: "admin",
    group: "admin",
    descriptionKey: "cmd-users",
    exampleKey: "cmd-users-example",
    handler: (ctx) => listCommand(ctx, "all"),
  });
  registry.add({
    name: "pending",
    scope: "admin",
    group: "admin",
    descriptionKey: "cmd-pending",
    exampleKey: "cmd-pending-example",
    handler: (ctx) => listCommand(ctx, "pending"),
  });
}

export function adminUsersFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onPage(composer, "users", "admin", (ctx, page, arg) =>
    renderList(ctx, FILTERS.find((f) => f === arg) ?? "all", page),
  );
  composer.callbackQuery(/^usr:/, async (ctx) => {
    if (!inScope(ctx, "admin")) return refuse(ctx, "admin");
    const parts = parseData(ctx.callbackQuery.data, "usr") ?? [];
    const [kind] = parts;
    if (kind === "l") {
      const filter = FILTERS.find((f) => f === parts[1]) ?? "all";
      const { text, markup } = await renderList(ctx, filter, parseId(parts[2]) ?? 1);
      await ctx.answerCallbackQuery();
      await editFmt(ctx, text, markup);
      return;
    }
    if (kind === "v") {
      const user = await ctx.deps.services.users.getById(parseId(parts[1]) ?? 0);
      await ctx.answerCallbackQuery();
      await editFmt(
        ctx,
        userCard(ctx, user),
        actionsFor(ctx, user, `${parts[2] ?? "all"}:${parts[3] ?? "1"}`),
      );
      return;
    }
    if (kind === "c") {
      const [, action = "", rawId, filter = "all", page = "1"] = parts;
      const userId = parseId(rawId);
      if (!userId || !CONFIRMED.has(action)) {
        await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
        return;
      }
      const user = await ctx.deps.services.users.getById(userId);
      const back = `${filter}:${page}`;
      await ctx.answerCallbackQuery();
      await editFmt(
        ctx,
        fmt`${userCard(ctx, user)}\n\n${FormattedString.b(ctx.t(`users-confirm-${action}`, { name: displayName(user) }))}`,
        keyboard([
          [
            button(ctx.t(`users-confirm-${action}-yes`), `usr:a:${action}:${userId}:${back}`),
            button(ctx.t("users-confirm-no"), `usr:v:${userId}:${back}`),
          ],
        ]),
      );
      return;
    }
    if (kind === "a") {
      const [, action, rawId, filter = "all", page = "1"] = parts;
      const userId = parseId(rawId);
      if (!userId || !ctx.actor) {
        await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
        return;
      }
      const { users } = ctx.deps.services;
      const run = {
        ap: () => users.approve(ctx.actor, userId),
        rj: () => users.reject(ctx.actor, userId),
        de: () => users.deactivate(ctx.actor, userId),
        re: () => users.reactivate(ctx.actor, userId),
        pr: () => users.promote(ctx.actor, userId),
        dm: () => users.demote(ctx.actor, userId),
      }[action ?? ""];
      if (!run) {
        await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
        return;
      }
      let user: User;
      try {
        user = await run();
      } catch (e) {
        await ctx.answerCallbackQuery({
          text: describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger).slice(0, 200),
          show_alert: true,
        });
        return;
      }
      await ctx.answerCallbackQuery({ text: ctx.t(`users-done-${action}`) });
      if (action === "ap" || action === "rj") await announceDecision(ctx, user);
      else {
        await announceAccessChange(ctx.deps, user, action as AccessChange);
        // role or access changed: their command menu follows
        await ctx.deps.registry
          .publishFor(
            ctx.api,
            user.telegramUserId,
            users.actorOf(user),
            ctx.deps.notifier.translator(user),
          )
          .catch((e: unknown) =>
            ctx.deps.logger.warn({ err: e }, "could not update the user's command menu"),
          );
      }
      await editFmt(ctx, userCard(ctx, user), actionsFor(ctx, user, `${filter}:${page}`));
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
  });
  return composer;
}
