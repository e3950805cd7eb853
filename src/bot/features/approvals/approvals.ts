// Access requests: every admin gets the applicant's details with Approve / Reject buttons (through
// the outbox); a decision is recorded by the domain (approved_by, approved_at, audit) and the
// applicant is told. Presses on old or forged buttons change nothing: the press is re-authorized
// (admin, this update) and the domain refuses decisions that no longer apply.
import { Composer } from "grammy";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { User } from "../../../domain/types.ts";
import { displayName } from "../../../domain/users/user-fields.ts";
import type { BotContext } from "../../context.ts";
import type { BotDeps } from "../../deps.ts";
import { editFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import { oneOf } from "../../callback-data.ts";
import {
  approveUser,
  backToApplication,
  rejectUser,
  rejectUserConfirmed,
} from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { describeError } from "../../errors.ts";
import { formatLocal } from "../../../lib/time.ts";

export function applicantCard(
  t: (k: string, p?: Record<string, string | number>) => string,
  user: User,
): FormattedString {
  const lines = [
    fmt`${FormattedString.b(t("approval-field-name"))}: ${displayName(user)}`,
    fmt`${FormattedString.b(t("approval-field-username"))}: ${user.username ? `@${user.username}` : "—"}`,
    fmt`${FormattedString.b(t("approval-field-id"))}: ${FormattedString.code(user.telegramUserId)}`,
    fmt`${FormattedString.b(t("approval-field-language"))}: ${user.language ?? user.telegramLanguage ?? "—"}`,
    fmt`${FormattedString.b(t("approval-field-time-zone"))}: ${user.timeZone}`,
    fmt`${FormattedString.b(t("approval-field-note"))}: ${user.onboardingNote ?? "—"}`,
  ];
  return FormattedString.join(lines, "\n");
}

export function approvalButtons(t: (k: string) => string, userId: number) {
  return keyboard([
    [
      button(t("approval-approve"), approveUser.pack({ userId })),
      button(t("approval-reject"), rejectUser.pack({ userId })),
    ],
  ]);
}

/** Sends the application of `user` to every admin. */
export async function requestApproval(deps: BotDeps, user: User): Promise<void> {
  await deps.notifier.send({
    userId: null,
    type: "APPROVAL_REQUEST",
    severity: "WARNING",
    dedupeKey: `approval-request:${user.id}:${user.updatedAt.getTime()}`,
    render: (t) => ({
      title: t("approval-request-title"),
      body: applicantCard(t, user),
      markup: approvalButtons(t, user.id),
    }),
  });
}

/** Tells the applicant, and gives them (or takes away) their command menu. */
export async function announceDecision(ctx: BotContext, user: User): Promise<void> {
  const { deps } = ctx;
  const approved = user.status === "APPROVED" && user.isActive;
  await deps.notifier.send({
    userId: user.id,
    type: "APPROVAL_DECISION",
    severity: "INFO",
    dedupeKey: `approval-decision:${user.id}:${user.updatedAt.getTime()}`,
    render: (t) => ({
      title: t(approved ? "approval-approved-title" : "approval-rejected-title"),
      body: fmt`${t(approved ? "approval-approved-body" : "approval-rejected-body")}`,
    }),
  });
  await deps.registry
    .publishFor(
      ctx.api,
      user.telegramUserId,
      deps.services.users.actorOf(user),
      deps.notifier.translator(user),
    )
    .catch((e: unknown) =>
      deps.logger.warn({ err: e, user: user.id }, "could not update the user's command menu"),
    );
}

export type AccessChange = "de" | "re" | "pr" | "dm";

/** Tells someone an admin changed their access or role (deactivated, reactivated, promoted, demoted). */
export async function announceAccessChange(
  deps: BotDeps,
  user: User,
  change: AccessChange,
): Promise<void> {
  await deps.notifier.send({
    userId: user.id,
    type: "ACCOUNT",
    severity: change === "de" ? "WARNING" : "INFO",
    dedupeKey: `access-change:${user.id}:${change}:${user.updatedAt.getTime()}`,
    render: (t) => ({
      title: t(`access-change-${change}-title`),
      body: fmt`${t(`access-change-${change}-body`)}`,
    }),
  });
}

export function approvalsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^adm:(ap|rj|rjy|bk):/, async (ctx) => {
    const data = ctx.callbackQuery.data;
    const userId =
      oneOf(approveUser, rejectUser, rejectUserConfirmed, backToApplication).unpack(data)?.userId ??
      null;
    const allowed = inScope(ctx, "admin");
    if (!allowed) await refuse(ctx, "admin");
    if (!allowed || !userId) {
      if (!userId) await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
      return;
    }
    const { users } = ctx.deps.services;
    const asked = rejectUser.unpack(data) !== null;
    if (asked || backToApplication.unpack(data)) {
      // rejecting asks once more; "back" shows the request with its buttons again
      const current = await users.getById(userId);
      await ctx.answerCallbackQuery();
      if (current.status !== "PENDING")
        return editFmt(ctx, decisionCard(ctx, current), keyboard([]));
      return asked
        ? editFmt(
            ctx,
            fmt`${decisionCard(ctx, current)}\n\n${FormattedString.b(ctx.t("users-confirm-rj", { name: displayName(current) }))}`,
            keyboard([
              [
                button(ctx.t("users-confirm-rj-yes"), rejectUserConfirmed.pack({ userId })),
                button(ctx.t("users-confirm-no"), backToApplication.pack({ userId })),
              ],
            ]),
          )
        : editFmt(
            ctx,
            decisionCard(ctx, current),
            approvalButtons((k) => ctx.t(k), userId),
          );
    }
    const approve = approveUser.unpack(data) !== null;
    let decided: User;
    try {
      decided = approve
        ? await users.approve(ctx.actor, userId)
        : await users.reject(ctx.actor, userId);
    } catch (e) {
      await ctx.answerCallbackQuery({
        text: describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger).slice(0, 200),
        show_alert: true,
      });
      // show the request as it stands now; keep the buttons only while a decision is still
      // possible (e.g. refused at the user cap: the admin can free a seat and press again)
      const current = await users.getById(userId).catch(() => null);
      if (current)
        await editFmt(
          ctx,
          decisionCard(ctx, current),
          current.status === "PENDING"
            ? approvalButtons((k) => ctx.t(k), current.id)
            : keyboard([]),
        );
      return;
    }
    await ctx.answerCallbackQuery({
      text: ctx.t(approve ? "approval-done-approved" : "approval-done-rejected"),
    });
    await editFmt(ctx, decisionCard(ctx, decided), keyboard([]));
    await announceDecision(ctx, decided);
  });
  return composer;
}

function decisionCard(ctx: BotContext, user: User): FormattedString {
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
  const status =
    user.status === "APPROVED"
      ? t("approval-status-approved", {
          when: user.approvedAt ? formatLocal(user.approvedAt, ctx.user?.timeZone ?? "UTC") : "—",
        })
      : user.status === "REJECTED"
        ? t("approval-status-rejected")
        : t("approval-status-pending");
  return fmt`${FormattedString.b(t("approval-request-title"))}\n${applicantCard(t, user)}\n\n${status}`;
}
