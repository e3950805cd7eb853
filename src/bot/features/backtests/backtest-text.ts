// What /backtest shows: the progress line while it runs, the figures when it is done, and the
// chart's words. Every figure comes from the domain's report as an exact decimal string (or an
// already-rounded ratio); here it is only put in the reader's number format and time zone.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { DateTime } from "luxon";
import type {
  BacktestOutcome,
  BacktestPhase,
  PreparedBacktest,
} from "../../../domain/backtests/backtest-service.ts";
import type { BacktestChartInput } from "../../../reports/charts/backtest-chart.ts";
import { formatMoney, formatNumber, formatPercent } from "../../format/numbers.ts";
import type { Translate } from "../../i18n.ts";

export type ProgressPhase = BacktestPhase | "queued";

const PHASE_KEYS: Record<ProgressPhase, string> = {
  queued: "backtest-phase-queued",
  candles: "backtest-phase-candles",
  running: "backtest-phase-running",
};

const day = (at: Date | string, zone: string) =>
  (typeof at === "string" ? DateTime.fromISO(at, { zone }) : DateTime.fromJSDate(at, { zone }))
    .setZone(zone)
    .toFormat("yyyy-LL-dd HH:mm");

/** The title; `timeframe` is the one the run used (the report's, once there is one). */
function heading(t: Translate, p: PreparedBacktest, timeframe: string = p.timeframe): string {
  return t("backtest-title", {
    name: p.strategy.name,
    version: p.strategy.version,
    symbol: p.instrument.symbol,
    timeframe,
  });
}

/** "⏳ Backtest of X v1 · BTCUSDT 1h / 2026-03-01 00:00 — 2026-03-05 00:00 / running: 40 %" */
export function progressText(
  t: Translate,
  p: PreparedBacktest,
  phase: ProgressPhase,
  percent: number,
): FormattedString {
  const period = t("backtest-range", { from: day(p.from, p.timeZone), to: day(p.to, p.timeZone) });
  const state = t("backtest-progress", { phase: t(PHASE_KEYS[phase]), percent });
  return fmt`⏳ ${FormattedString.b(heading(t, p))}\n${period}\n${state}`;
}

/** The figures of a finished run: what the progress message is edited into. */
export function resultText(
  t: Translate,
  locale: string,
  outcome: BacktestOutcome,
): FormattedString {
  const { prepared: p, report: r } = outcome;
  const m = r.metrics;
  const zone = p.timeZone;
  const money = (v: string | null) => (v === null ? "—" : formatMoney(v, p.currency, locale));
  const pct = (v: string | null, signed = true) =>
    v === null ? "—" : formatPercent(v, locale, signed);
  // Sharpe and Sortino come rounded to 4 places by the report; two are shown
  const ratio = (v: number | null) =>
    v === null ? "—" : formatNumber(String(v), locale, { minDecimals: 2, maxDecimals: 2 });
  const line = (key: string, value: string) => fmt`${t(key)}: ${FormattedString.b(value)}`;
  const lines = [
    line("backtest-equity", `${money(m.initialCash)} → ${money(m.finalEquity)}`),
    line(
      "backtest-return",
      t("backtest-vs", { a: pct(m.totalReturnPct), b: pct(m.buyHoldReturnPct) }),
    ),
    line("backtest-cagr", pct(m.cagrPct)),
    line("backtest-drawdown", `${pct(m.maxDrawdownPct, false)} (${money(m.maxDrawdownAmount)})`),
    line("backtest-sharpe", `${ratio(m.sharpe)} / ${ratio(m.sortino)}`),
    line(
      "backtest-trades",
      t("backtest-trades-value", { trades: m.trades, wins: m.wins, losses: m.losses }),
    ),
    line("backtest-win-rate", pct(m.winRatePct, false)),
    line("backtest-average", `${money(m.averageWin)} / ${money(m.averageLoss)}`),
    line("backtest-exposure", pct(m.exposurePct, false)),
    line("backtest-fees", money(m.feesPaid)),
  ];
  const period = t("backtest-period", {
    from: day(r.from, zone),
    to: day(r.to, zone),
    candles: r.candles,
  });
  const open = r.openTrade
    ? fmt`\n${t("backtest-open-trade", { since: day(r.openTrade.openedAt, zone) })}`
    : fmt``;
  return fmt`📊 ${FormattedString.b(heading(t, p, r.timeframe))}\n${period}\n\n${FormattedString.join(lines, "\n")}${open}\n\n${FormattedString.i(t("backtest-footer"))}`;
}

/** The chart of a finished run (null without the sampled series or with fewer than 2 points). */
export function chartInput(
  t: Translate,
  locale: string,
  outcome: BacktestOutcome,
): BacktestChartInput | null {
  const { report: r, prepared: p } = outcome;
  const s = r.series;
  if (!s || s.times.length < 2) return null;
  const zone = p.timeZone;
  const at = (k: number) => ({ index: s.fillIndex[k]!, side: r.fills[k]!.side });
  const marks = s.fillIndex.map((_, k) => at(k));
  return {
    // the chart's font has no emoji: plain words only
    title: t("backtest-chart-title", {
      name: p.strategy.name,
      symbol: p.instrument.symbol,
      timeframe: r.timeframe,
    }),
    subtitle: `${day(r.from, zone)} — ${day(r.to, zone)} (${zone}) · ${p.currency}`,
    labels: s.times.map((ms) => DateTime.fromMillis(ms, { zone }).toFormat("LL-dd HH:mm")),
    equity: s.equity,
    buyHold: s.buyHold,
    entries: marks.filter((x) => x.side === "BUY").map((x) => x.index),
    exits: marks.filter((x) => x.side === "SELL").map((x) => x.index),
    names: {
      equity: t("backtest-chart-equity"),
      buyHold: t("backtest-chart-buy-hold"),
      drawdown: t("backtest-chart-drawdown"),
      entries: t("backtest-chart-entries"),
      exits: t("backtest-chart-exits"),
    },
    formatNumber: (v) => formatNumber(v.toFixed(2), locale, { maxDecimals: 2 }),
  };
}
