// Admin user management: /users (everyone, paged inline, filterable), /pending (applications),
// and a card per user with the actions that apply to them: approve, reject, deactivate,
// reactivate, promote, demote. Each action goes through the domain, which enforces the user cap
// and "never the last admin" and writes the audit log; the card then redraws in place.
import { Composer } from "grammy";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { User } from "../../../domain/types.ts";
import type { UserFilter } from "../../../domain/users/user-service.ts";
import { displayName } from "../../../domain/users/user-fields.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { describeError } from "../../errors.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import {
  CONFIRMED_ACTIONS,
  USER_FILTERS,
  type UserAction,
  userAct,
  userConfirm,
  userView,
  usersList,
} from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { onPage, pageWindow, pagerRow } from "../../pagination.ts";
import {
  type AccessChange,
  announceAccessChange,
  applicantCard,
  announceDecision,
} from "../approvals/approvals.ts";

const FILTERS: readonly UserFilter[] = USER_FILTERS;
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
    button(
      `${statusIcon(u)} ${displayName(u)}`.slice(0, 60),
      userView.pack({ userId: u.id, filter, page: current }),
    ),
  ]);
  const nav = pagerRow("users", pageWindow(result.total, current, PAGE_SIZE), filter);
  const filters = FILTERS.filter((f) => f !== filter).map((f) =>
    button(ctx.t(`users-filter-${f}`), usersList.pack({ filter: f, page: 1 })),
  );
  return {
    text: fmt`${title}\n${summary}${body}`,
    markup: keyboard([...rows, nav, filters.slice(0, 2), filters.slice(2)]),
  };
}

/** The list a card was opened from, to go back to. */
interface Back {
  filter: (typeof USER_FILTERS)[number];
  page: number;
}

function isConfirmed(action: UserAction): action is (typeof CONFIRMED_ACTIONS)[number] {
  return (CONFIRMED_ACTIONS as readonly string[]).includes(action);
}

function actionsFor(ctx: BotContext, user: User, back: Back) {
  const t = (k: string) => ctx.t(k);
  // approve acts at once; the others first show a confirmation
  const act = (action: UserAction) =>
    isConfirmed(action)
      ? userConfirm.pack({ action, userId: user.id, ...back })
      : userAct.pack({ action, userId: user.id, ...back });
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
  return keyboard([row1, row2, [button(t("users-back"), usersList.pack(back))]]);
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
    const data = ctx.callbackQuery.data;
    const list = usersList.unpack(data);
    if (list) {
      const { text, markup } = await renderList(ctx, list.filter, list.page);
      await ctx.answerCallbackQuery();
      await editFmt(ctx, text, markup);
      return;
    }
    const view = userView.unpack(data);
    if (view) {
      const { userId, ...back } = view;
      const user = await ctx.deps.services.users.getById(userId);
      await ctx.answerCallbackQuery();
      await editFmt(ctx, userCard(ctx, user), actionsFor(ctx, user, back));
      return;
    }
    const confirm = userConfirm.unpack(data);
    if (confirm) {
      const { action, userId, ...back } = confirm;
      const user = await ctx.deps.services.users.getById(userId);
      await ctx.answerCallbackQuery();
      await editFmt(
        ctx,
        fmt`${userCard(ctx, user)}\n\n${FormattedString.b(ctx.t(`users-confirm-${action}`, { name: displayName(user) }))}`,
        keyboard([
          [
            button(ctx.t(`users-confirm-${action}-yes`), userAct.pack({ action, userId, ...back })),
            button(ctx.t("users-confirm-no"), userView.pack({ userId, ...back })),
          ],
        ]),
      );
      return;
    }
    const act = userAct.unpack(data);
    if (act) {
      const { action, userId, ...back } = act;
      if (!ctx.actor) {
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
      }[action];
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
      await editFmt(ctx, userCard(ctx, user), actionsFor(ctx, user, back));
      return;
    }
    await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
  });
  return composer;
}
