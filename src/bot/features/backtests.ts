// /backtest STRATEGY SYMBOL [FROM TO] [TIMEFRAME]: runs one of the user's strategies over the
// history of a symbol. The checks (strategy, parameters, symbol, dates) answer at once; the run
// itself goes on in the background — candles, then a worker thread (domain/backtests) — while
// ONE progress message is edited in place (at most every few seconds), and ends with the figures
// and a chart (equity against buy-and-hold, drawdown beneath, entries and exits marked). The
// handler returns as soon as the run is started, so the user's other commands keep working.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { InputFile } from "grammy";
import { DateTime } from "luxon";
import type {
  BacktestOutcome,
  BacktestPhase,
  PreparedBacktest,
} from "../../domain/backtests/backtest-service.ts";
import { isDomainError } from "../../domain/errors.ts";
import { type Interval, parseInterval } from "../../market/types.ts";
import { renderBacktestChart } from "../../reports/charts/backtest-chart.ts";
import type { CommandRegistry } from "../commands/registry.ts";
import type { BotContext } from "../context.ts";
import { describeDomainError } from "../errors.ts";
import { formatMoney, formatNumber, formatPercent } from "../format/numbers.ts";
import { replyFmt } from "../format/reply.ts";

const CAPTION_LIMIT = 1024;
const CHART_FILE = "backtest.png";
/** the progress message is edited at most this often */
export const PROGRESS_EDIT_MS = 2_000;

export interface BacktestArgs {
  strategy: string;
  symbol: string;
  from?: Date;
  to?: Date;
  timeframe?: Interval;
}

export type ParsedBacktestArgs =
  | { ok: true; args: BacktestArgs }
  | { ok: false; problem: "usage" | "date" | "word"; word?: string };

/** A date (2026-01-31, UTC midnight) or an ISO time. */
function parseDate(word: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(word)) return null;
  const at = DateTime.fromISO(word, { zone: "utc" });
  return at.isValid ? at.toJSDate() : null;
}

/**
 * `NAME SYMBOL [FROM TO] [TIMEFRAME]`; a name with spaces goes in quotes. Dates may come in any
 * position after the symbol, the first being FROM; a single date is FROM (TO is now).
 */
export function parseBacktestArgs(text: string): ParsedBacktestArgs {
  const trimmed = text.trim();
  const quoted = /^["«“']([^"»”']+)["»”']\s*(.*)$/.exec(trimmed);
  const [name, rest] = quoted
    ? [quoted[1]!.trim(), quoted[2]!]
    : [trimmed.split(/\s+/)[0] ?? "", trimmed.split(/\s+/).slice(1).join(" ")];
  const words = rest.split(/\s+/).filter(Boolean);
  const symbol = words.shift();
  if (!name || !symbol) return { ok: false, problem: "usage" };
  const args: BacktestArgs = { strategy: name, symbol };
  const dates: Date[] = [];
  for (const word of words) {
    const interval = parseInterval(word);
    if (interval && !args.timeframe) {
      args.timeframe = interval;
      continue;
    }
    if (/^\d{4}-/.test(word)) {
      const at = parseDate(word);
      if (!at || dates.length === 2) return { ok: false, problem: "date", word };
      dates.push(at);
      continue;
    }
    return { ok: false, problem: "word", word };
  }
  if (dates[0]) args.from = dates[0];
  if (dates[1]) args.to = dates[1];
  return { ok: true, args };
}

type T = (key: string, params?: Record<string, string | number>) => string;

function progressText(
  t: T,
  p: PreparedBacktest,
  phase: BacktestPhase | "queued" | "done",
  done: number,
) {
  return t("backtest-progress", {
    name: p.strategy.name,
    version: p.strategy.version,
    symbol: p.instrument.symbol,
    timeframe: p.timeframe,
    phase: t(`backtest-phase-${phase}`),
    percent: Math.floor(done * 100),
  });
}

/** The figures of a finished run, for the photo's caption (and beyond it when too long). */
export function backtestText(t: T, locale: string, zone: string, outcome: BacktestOutcome) {
  const { prepared: p, report: r } = outcome;
  const m = r.metrics;
  const money = (v: string) => formatMoney(v, p.currency, locale);
  const pct = (v: string | null) => (v === null ? "—" : formatPercent(v, locale));
  const ratio = (v: number | null) =>
    v === null ? "—" : formatNumber(v.toFixed(2), locale, { minDecimals: 2 });
  const day = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat("yyyy-LL-dd HH:mm");
  const line = (key: string, value: string) => fmt`${t(key)}: ${FormattedString.b(value)}`;
  const lines = [
    line("backtest-equity", `${money(m.initialCash)} → ${money(m.finalEquity)}`),
    line("backtest-return", pct(m.totalReturnPct)),
    line("backtest-buy-hold", pct(m.buyHoldReturnPct)),
    line("backtest-cagr", pct(m.cagrPct)),
    line("backtest-drawdown", `${pct(m.maxDrawdownPct)} (${money(m.maxDrawdownAmount)})`),
    line("backtest-sharpe", `${ratio(m.sharpe)} / ${ratio(m.sortino)}`),
    line(
      "backtest-trades",
      t("backtest-trades-value", {
        trades: m.trades,
        wins: m.wins,
        losses: m.losses,
        rate: m.winRatePct === null ? "—" : formatPercent(m.winRatePct, locale, false),
      }),
    ),
    line(
      "backtest-avg",
      `${m.averageWin === null ? "—" : money(m.averageWin)} / ${m.averageLoss === null ? "—" : money(m.averageLoss)}`,
    ),
    line("backtest-exposure", formatPercent(m.exposurePct, locale, false)),
    line("backtest-fees", money(m.feesPaid)),
  ];
  const title = FormattedString.b(
    t("backtest-title", {
      name: p.strategy.name,
      version: p.strategy.version,
      symbol: p.instrument.symbol,
      timeframe: p.timeframe,
    }),
  );
  const period = t("backtest-period", { from: day(r.from), to: day(r.to), candles: r.candles });
  const open = r.openTrade
    ? fmt`\n${t("backtest-open-trade", { since: day(r.openTrade.openedAt) })}`
    : fmt``;
  return fmt`${title}\n${period}\n\n${FormattedString.join(lines, "\n")}${open}\n\n${FormattedString.i(t("backtest-footer"))}`;
}

async function chartOf(t: T, locale: string, zone: string, outcome: BacktestOutcome) {
  const { report: r, prepared: p } = outcome;
  const s = r.series!;
  const sides = s.fillIndex.map((index, k) => ({ index, side: r.fills[k]!.side }));
  return renderBacktestChart({
    title: t("backtest-chart-title", { name: p.strategy.name, symbol: p.instrument.symbol }),
    subtitle: `${p.timeframe} · ${DateTime.fromISO(r.from, { zone }).toFormat("yyyy-LL-dd")} — ${DateTime.fromISO(r.to, { zone }).toFormat("yyyy-LL-dd")}`,
    labels: s.times.map((ms) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-LL-dd HH:mm")),
    equity: s.equity,
    buyHold: s.buyHold,
    entries: sides.filter((x) => x.side === "BUY").map((x) => x.index),
    exits: sides.filter((x) => x.side === "SELL").map((x) => x.index),
    names: {
      equity: t("backtest-chart-equity"),
      buyHold: t("backtest-chart-buy-hold"),
      drawdown: t("backtest-chart-drawdown"),
      entries: t("backtest-chart-entries"),
      exits: t("backtest-chart-exits"),
    },
    formatNumber: (v) =>
      formatNumber(String(Math.round(v * 100) / 100), locale, { maxDecimals: 2 }),
  });
}

/** The run after the progress message was sent: progress edits, then the figures and chart. */
async function runInBackground(
  ctx: BotContext,
  prepared: PreparedBacktest,
  chatId: number,
  messageId: number,
): Promise<void> {
  const t: T = (k, p) => ctx.t(k, p);
  const locale = await ctx.i18n.getLocale();
  const zone = ctx.user?.timeZone ?? ctx.actor!.timeZone;
  let lastEdit = Date.now();
  let lastText = "";
  let editing: Promise<unknown> = Promise.resolve();
  const edit = (text: string) => {
    if (text === lastText) return editing;
    lastText = text;
    editing = editing
      .then(() => ctx.api.editMessageText(chatId, messageId, text))
      .catch((e: unknown) => ctx.deps.logger.debug({ err: e }, "backtest progress edit failed"));
    return editing;
  };
  try {
    const outcome = await ctx.deps.services.backtests.execute(prepared, (phase, done) => {
      if (Date.now() - lastEdit < PROGRESS_EDIT_MS) return;
      lastEdit = Date.now();
      void edit(progressText(t, prepared, phase, done));
    });
    await edit(`✅ ${progressText(t, prepared, "done", 1)}`);
    const text = backtestText(t, locale, zone, outcome);
    const chart = await chartOf(t, locale, zone, outcome);
    const fits = text.text.length <= CAPTION_LIMIT;
    const caption = fits
      ? text
      : FormattedString.b(
          t("backtest-chart-title", {
            name: prepared.strategy.name,
            symbol: prepared.instrument.symbol,
          }),
        );
    await ctx.api.sendPhoto(chatId, new InputFile(chart.png, CHART_FILE), {
      caption: caption.text,
      caption_entities: caption.entities,
    });
    if (!fits) await ctx.api.sendMessage(chatId, text.text, { entities: text.entities });
  } catch (e) {
    const message = isDomainError(e)
      ? describeDomainError(t, e)
      : (ctx.deps.logger.error({ err: e, strategy: prepared.strategy }, "backtest failed"),
        t("backtest-failed"));
    await edit(`⚠️ ${message}`);
  }
}

async function backtestCommand(ctx: BotContext): Promise<void> {
  const parsed = parseBacktestArgs(typeof ctx.match === "string" ? ctx.match : "");
  if (!parsed.ok) {
    const why =
      parsed.problem === "usage"
        ? ""
        : `${ctx.t(parsed.problem === "date" ? "backtest-bad-date" : "backtest-bad-word", { word: parsed.word ?? "" })}\n\n`;
    await replyFmt(
      ctx,
      fmt`${why}${ctx.t("backtest-usage")}\n${FormattedString.code("/backtest MyCross BTCUSDT 2026-01-01 2026-03-01 1h")}`,
    );
    return;
  }
  let prepared: PreparedBacktest;
  try {
    prepared = await ctx.deps.services.backtests.prepare(ctx.actor!, parsed.args);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    await ctx.reply(describeDomainError((k, p) => ctx.t(k, p), e));
    return;
  }
  const t: T = (k, p) => ctx.t(k, p);
  const message = await ctx.reply(`⏳ ${progressText(t, prepared, "queued", 0)}`);
  // not awaited: the run may take a while and the user's next command must not wait for it
  void runInBackground(ctx, prepared, message.chat.id, message.message_id);
}

export function registerBacktests(registry: CommandRegistry): void {
  registry.add({
    name: "backtest",
    scope: "user",
    group: "strategies",
    descriptionKey: "cmd-backtest",
    exampleKey: "cmd-backtest-example",
    handler: backtestCommand,
  });
}
