// /export trades|orders [period] [portfolio]: the portfolio's trades or orders of a period as a
// CSV document (built by the domain's ExportService; see there for the columns). The kind,
// the period and the portfolio's name may come in any order; the period defaults to this month.
import { InputFile } from "grammy";
import { DateTime } from "luxon";
import {
  type CsvExport,
  EXPORT_MAX_ROWS,
  type ExportKind,
} from "../../../domain/exports/export-service.ts";
import { PERIODS, parsePeriod } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext } from "../../context.ts";
import { formatNumber } from "../../format/numbers.ts";
import { reportScope } from "../trade-reports/report-scope.ts";

const KIND_WORDS: Record<string, ExportKind> = {
  trades: "trades",
  trade: "trades",
  fills: "trades",
  сделки: "trades",
  orders: "orders",
  order: "orders",
  ордера: "orders",
  заявки: "orders",
};

const kindOf = (word: string): ExportKind | null =>
  Object.hasOwn(KIND_WORDS, word.toLowerCase()) ? KIND_WORDS[word.toLowerCase()]! : null;

/** "trades-Main-2026-12.csv": the kind, the portfolio's name made file-safe, the period. */
export function exportFileName(
  file: Pick<CsvExport, "kind" | "portfolio" | "period" | "from" | "to" | "timeZone">,
): string {
  const name =
    file.portfolio.name.replace(/[^\p{L}\p{N}_-]+/gu, "_").replace(/^_+|_+$/g, "") || "portfolio";
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: file.timeZone });
  const stamp: Record<CsvExport["period"], string> = {
    today: local(file.from).toFormat("yyyy-LL-dd"),
    yesterday: local(file.from).toFormat("yyyy-LL-dd"),
    week: local(file.from).toFormat("kkkk-'W'WW"),
    month: local(file.from).toFormat("yyyy-LL"),
    year: local(file.from).toFormat("yyyy"),
    all: `all-${local(file.to).toFormat("yyyy-LL-dd")}`,
  };
  return `${file.kind}-${name}-${stamp[file.period]}.csv`;
}

async function exportCommand(ctx: ActorContext): Promise<void> {
  const scope = await reportScope(
    ctx,
    (w) => kindOf(w) !== null || parsePeriod(w) !== null,
    "export-usage",
    ctx.t("reports-expect-export", { periods: PERIODS.join(", ") }),
  );
  if (!scope) return;
  const kinds = scope.rest.map(kindOf).filter((k): k is ExportKind => k !== null);
  const periods = scope.rest.map((w) => parsePeriod(w)).filter((p) => p !== null);
  if (kinds.length !== 1 || periods.length > 1) {
    await ctx.reply(ctx.t("export-usage"));
    return;
  }
  const locale = await ctx.i18n.getLocale();
  await ctx.replyWithChatAction("upload_document").catch(() => undefined);
  const file = await ctx.deps.services.exports.export(
    ctx.actor,
    scope.portfolio.id,
    kinds[0]!,
    periods[0] ?? "month",
    { timeZone: ctx.user?.timeZone ?? ctx.actor.timeZone },
  );
  const what = ctx.t(`export-kind-${file.kind}`);
  const period = ctx.t(`pnl-period-${file.period}`);
  if (file.rows === 0) {
    await ctx.reply(ctx.t("export-empty", { what, portfolio: file.portfolio.name, period }));
    return;
  }
  const count = (n: number) => formatNumber(String(n), locale);
  const caption = [
    ctx.t("export-caption", {
      what,
      portfolio: file.portfolio.name,
      period,
      rows: count(file.rows),
      zone: file.timeZone,
    }),
    ...(file.total > file.rows
      ? [
          ctx.t("export-capped", {
            rows: count(file.rows),
            total: count(file.total),
            max: count(EXPORT_MAX_ROWS),
          }),
        ]
      : []),
  ].join("\n");
  await ctx.replyWithDocument(new InputFile(file.csv, exportFileName(file)), { caption });
}

export function registerExports(registry: CommandRegistry): void {
  registry.add({
    name: "export",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-export",
    exampleKey: "cmd-export-example",
    handler: exportCommand,
  });
}
