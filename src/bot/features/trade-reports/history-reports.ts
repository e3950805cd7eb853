// /daily, /weekly, /monthly: the profit of the last N days, weeks or months of a portfolio, as a
// table per currency and a bar chart of the currency that moved most (the table alone when the
// chart cannot be drawn), in the reader's time zone.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { InputFile } from "grammy";
import { DateTime } from "luxon";
import {
  type HistoryReport,
  MAX_HISTORY_PERIODS,
} from "../../../domain/trade-stats/trade-stats-service.ts";
import type { Decimal } from "../../../lib/decimal.ts";
import type { BucketUnit } from "../../../lib/period-buckets.ts";
import { formatLocal } from "../../../lib/time.ts";
import { renderPeriodBars } from "../../../reports/charts/period-bars.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { formatAmount, formatNumber, formatPercent } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";
import { table } from "../../format/tables.ts";
import { splitFormatted } from "../../reports/split-formatted.ts";
import { readerView, reportScope } from "./report-scope.ts";

const CAPTION_LIMIT = 1024;
const CHART_FILE = "pnl.png";
const HISTORY_DEFAULTS: Record<BucketUnit, number> = { day: 7, week: 8, month: 6 };
const LABEL_FORMAT: Record<BucketUnit, string> = {
  day: "ccc d MMM",
  week: "d MMM yyyy",
  month: "LLL yyyy",
};

function bucketLabel(at: Date, unit: BucketUnit, zone: string, locale: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale(locale).toFormat(LABEL_FORMAT[unit]);
}

export async function historyCommand(ctx: ActorContext, unit: BucketUnit): Promise<void> {
  const usage = `history-usage-${unit}`;
  const scope = await reportScope(
    ctx,
    (w) => /^[+-]?\d+$/.test(w),
    usage,
    ctx.t("reports-expect-count", { max: MAX_HISTORY_PERIODS }),
  );
  if (!scope) return;
  const typed = scope.rest[0];
  const count = typed === undefined ? HISTORY_DEFAULTS[unit] : Number(typed);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_HISTORY_PERIODS) {
    await ctx.reply(
      `${ctx.t("error-history-periods-range", { max: MAX_HISTORY_PERIODS })}\n${ctx.t(usage)}`,
    );
    return;
  }
  const { locale, zone } = await readerView(ctx);
  await ctx.replyWithChatAction("upload_photo").catch(() => undefined);
  const report = await ctx.deps.services.tradeStats.history(
    ctx.actor,
    scope.portfolio.id,
    unit,
    count,
    zone,
  );
  const title = ctx.t(`history-title-${unit}`, { portfolio: report.portfolio.name, count });
  if (!report.currencies.length) {
    await replyFmt(ctx, fmt`${FormattedString.b(title)}\n\n${ctx.t("reports-no-trades")}`);
    return;
  }
  const tables = report.currencies.map((currency) =>
    historyTable(ctx, report, currency, locale, zone),
  );
  const note = report.exchangeHeld
    ? fmt`${FormattedString.i(ctx.t("history-exchange-realized", { broker: report.exchangeHeld.broker }))}\n`
    : "";
  const full = fmt`${FormattedString.b(title)}\n${note}${FormattedString.join(tables, "\n")}`;
  // the chart shows the currency that moved most
  const main = [...report.currencies].sort((a, b) =>
    spread(report, b).comparedTo(spread(report, a)),
  )[0]!;
  let chart: Buffer | null = null;
  try {
    chart = (
      await renderPeriodBars({
        // the chart's font has no emoji: the title without its leading symbol
        title: `${title.replace(/^\p{Extended_Pictographic}\s*/u, "")} · ${main}`,
        subtitle: `${formatLocal(report.buckets[report.buckets.length - 1]!.to, zone)} (${zone})`,
        labels: report.buckets.map((b) => bucketLabel(b.from, unit, zone, locale)),
        values: report.buckets.map(
          (b) => (b.currencies.find((c) => c.currency === main)?.profit ?? null)?.toNumber() ?? 0,
        ),
        formatNumber: (n) => formatNumber(String(n), locale, { maxDecimals: 2 }),
      })
    ).png;
  } catch (err) {
    ctx.deps.logger.warn({ err, unit }, "period chart could not be rendered");
  }
  let rest: FormattedString | null = full;
  if (chart) {
    const fits = full.text.length <= CAPTION_LIMIT;
    const caption = fits ? full : FormattedString.b(title);
    await ctx.replyWithPhoto(new InputFile(chart, CHART_FILE), {
      caption: caption.text,
      caption_entities: caption.entities,
    });
    rest = fits ? null : fmt`${note}${FormattedString.join(tables, "\n")}`;
  }
  if (rest) for (const part of splitFormatted(rest)) await replyFmt(ctx, part);
}

function spread(report: HistoryReport, currency: string): Decimal {
  return report.buckets
    .map((b) => b.currencies.find((c) => c.currency === currency)!.profit.abs())
    .reduce((s, v) => s.plus(v));
}

function historyTable(
  ctx: BotContext,
  report: HistoryReport,
  currency: string,
  locale: string,
  zone: string,
): FormattedString {
  const rows = [...report.buckets].reverse().map((b) => {
    const c = b.currencies.find((x) => x.currency === currency)!;
    return [
      bucketLabel(b.from, report.unit, zone, locale),
      formatAmount(c.profit, locale, true),
      String(c.trades),
      c.twr === null ? "—" : formatPercent(c.twr.mul(100), locale),
    ];
  });
  const header = [
    ctx.t(`history-col-${report.unit}`),
    ctx.t(report.exchangeHeld ? "history-col-realized" : "history-col-pnl", { currency }),
    ctx.t("performance-col-trades"),
    ctx.t("history-col-return"),
  ];
  return FormattedString.pre(table(header, rows, ["left", "right", "right", "right"]));
}
