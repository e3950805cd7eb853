// /outbox for admins: notifications by status, the age of the oldest undelivered one, the dead
// letters with their last error, and buttons to send dead letters again once the cause is fixed.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { describeError } from "../../errors.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import { outboxPage, requeueAll, requeueOne } from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";

const PAGE_SIZE = 5;

async function render(ctx: ActorContext, page: number) {
  const stats = await ctx.deps.services.outbox.stats(ctx.actor, { page, pageSize: PAGE_SIZE });
  const zone = ctx.user?.timeZone ?? "UTC";
  const c = stats.counts;
  const age =
    stats.oldestPendingAgeMs === null ? "—" : `${Math.round(stats.oldestPendingAgeMs / 1000)} s`;
  const lines = [
    fmt`${FormattedString.b(ctx.t("outbox-title"))}`,
    fmt`${ctx.t("outbox-counts", { pending: c.PENDING, sending: c.SENDING, sent: c.SENT, failed: c.FAILED })}`,
    fmt`${ctx.t("outbox-oldest", { age })}`,
  ];
  const rows = [];
  if (stats.failed.rows.length) {
    lines.push(
      fmt``,
      fmt`${FormattedString.b(ctx.t("outbox-failed", { total: stats.failed.total }))}`,
    );
    for (const f of stats.failed.rows) {
      lines.push(
        fmt`#${f.id} ${f.type} → ${f.chatTitle ?? f.telegramChatId}${f.chatActive ? "" : " ⛔"} · ${f.failCount}× · ${formatLocal(f.failedAt, zone)}\n   ${FormattedString.i((f.lastError ?? "—").slice(0, 120))}`,
      );
      rows.push([
        button(ctx.t("outbox-requeue-one", { id: f.id }), requeueOne.pack({ id: f.id, page })),
      ]);
    }
    rows.push([button(`♻️ ${ctx.t("outbox-requeue-all")}`, requeueAll.pack({ page }))]);
  }
  const pages = Math.max(1, Math.ceil(stats.failed.total / PAGE_SIZE));
  const nav = [
    ...(page > 1 ? [button("◀️", outboxPage.pack({ page: page - 1 }))] : []),
    button(`🔄 ${ctx.t("outbox-refresh")}`, outboxPage.pack({ page })),
    ...(page < pages ? [button("▶️", outboxPage.pack({ page: page + 1 }))] : []),
  ];
  return { text: FormattedString.join(lines, "\n"), markup: keyboard([...rows, nav]) };
}

export function registerOutbox(registry: CommandRegistry): void {
  registry.add({
    name: "outbox",
    scope: "admin",
    group: "admin",
    descriptionKey: "cmd-outbox",
    exampleKey: "cmd-outbox-example",
    handler: async (ctx) => {
      const { text, markup } = await render(ctx, 1);
      await replyFmt(ctx, text, markup);
    },
  });
}

export function outboxFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^obx:/, async (ctx) => {
    if (!inScope(ctx, "admin")) return refuse(ctx, "admin");
    const data = ctx.callbackQuery.data;
    const one = requeueOne.unpack(data);
    const all = requeueAll.unpack(data);
    // an unreadable press (an older or forged button) shows the first page, as it always did
    let page = (one ?? all ?? outboxPage.unpack(data))?.page ?? 1;
    try {
      if (one || all) {
        const result = await ctx.deps.services.outbox.requeue(
          ctx.actor,
          one ? [one.id] : "all-failed",
        );
        await ctx.answerCallbackQuery({
          text: ctx.t("outbox-requeued", {
            count: result.requeued,
            skipped: result.skippedInactiveChat,
          }),
        });
        page = 1;
      } else await ctx.answerCallbackQuery();
      const { text, markup } = await render(ctx, page);
      await editFmt(ctx, text, markup);
    } catch (e) {
      await ctx.answerCallbackQuery({
        text: describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger).slice(0, 200),
        show_alert: true,
      });
    }
  });
  return composer;
}
