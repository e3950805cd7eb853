// Alert wording shared by the /alert replies, the /newalert conversation and the notifications
// of fired alerts: options, the sentence for each condition with the values that made it fire,
// and the reply to a created alert. Pure functions of a translator and a locale.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { AlertCondition, AlertConfig } from "../../../domain/alerts/alert-config.ts";
import type { AlertView, TriggeredAlert } from "../../../domain/alerts/alert-notifier.ts";
import type { Observation } from "../../../domain/alerts/alert-observer.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../../domain/alerts/durations.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { formatIndicator } from "../../../domain/indicators/indicator-spec.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { BaseContext } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { formatNumber, formatPercent } from "../../format/numbers.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard } from "../../keyboards.ts";
import { ruleLabel } from "../risk/risk-text.ts";
import { pauseFiredAlert } from "./callback-data.ts";

function num(value: string | undefined, locale: string): string {
  return value === undefined || value === "" ? "—" : formatNumber(value, locale);
}

function pct(value: string | undefined, locale: string): string {
  return value === undefined || value === "" ? "—" : formatPercent(value, locale);
}

/** "30 min", "4 h", "1 day" in the reader's language. */
export function duration(t: Translate, ms: number): string {
  if (ms % DAY_MS === 0) return t("alert-duration-days", { count: ms / DAY_MS });
  if (ms % HOUR_MS === 0) return t("alert-duration-hours", { count: ms / HOUR_MS });
  return t("alert-duration-minutes", { count: Math.round(ms / MINUTE_MS) });
}

/** "once", "every 1h", plus the severity when it is not the default. */
export function describeOptions(t: Translate, config: AlertConfig): string {
  const parts = [
    config.once ? t("alert-once") : t("alert-every", { cooldown: duration(t, config.cooldownMs) }),
  ];
  if (config.trigger === "level") parts.push(t("alert-while-true"));
  if (config.severity !== "WARNING")
    parts.push(t(`alert-severity-${config.severity.toLowerCase()}`));
  return parts.join(" · ");
}

function fastLabel(t: Translate, c: Extract<AlertCondition, { kind: "MA_CROSS" }>): string {
  return c.fast.kind === "PRICE" ? t("alert-price-word") : formatIndicator(c.fast);
}

/** The sentence saying what fired, with the values that made it fire. */
export function firedSentence(
  t: Translate,
  locale: string,
  c: AlertCondition,
  v: Record<string, string>,
  portfolio: string | null,
): string {
  const where = portfolio ?? "—";
  switch (c.kind) {
    case "PRICE_LEVEL":
      return t(`alert-fired-price-${c.direction}`, {
        symbol: c.symbol,
        price: num(v.price, locale),
        level: num(c.level, locale),
      });
    case "PRICE_MOVE":
      return t("alert-fired-move", {
        symbol: c.symbol,
        change: pct(v.changePct, locale),
        window: duration(t, c.windowMs),
        reference: num(v.reference, locale),
        price: num(v.price, locale),
      });
    case "INDICATOR_LEVEL":
      return t(`alert-fired-indicator-${c.direction}`, {
        indicator: formatIndicator(c.indicator),
        symbol: c.symbol,
        interval: c.interval,
        value: num(v.value, locale),
        level: num(String(c.level), locale),
      });
    case "MA_CROSS":
      return t(
        `alert-fired-ma-${v.fast !== undefined && Number(v.fast) > Number(v.slow) ? "above" : "below"}`,
        {
          fast: fastLabel(t, c),
          slow: formatIndicator(c.slow),
          symbol: c.symbol,
          interval: c.interval,
          fastValue: num(v.fast, locale),
          slowValue: num(v.slow, locale),
        },
      );
    case "MACD_CROSS":
      return t(`alert-fired-macd-${Number(v.macd) > Number(v.signal) ? "above" : "below"}`, {
        symbol: c.symbol,
        interval: c.interval,
        macd: num(v.macd, locale),
        signal: num(v.signal, locale),
      });
    case "BB_TOUCH":
      return t(`alert-fired-bb-${c.band}`, {
        symbol: c.symbol,
        interval: c.interval,
        band: num(v.band, locale),
        reach: num(v.reach, locale),
      });
    case "ATR_MOVE":
      return t("alert-fired-atr", {
        symbol: c.symbol,
        interval: c.interval,
        ratio: num(v.ratio, locale),
        previous: num(v.previousClose, locale),
        price: num(v.price, locale),
        atr: num(v.atr, locale),
      });
    case "POSITION_PNL":
      return t("alert-fired-pnl", {
        symbol: c.symbol,
        portfolio: where,
        pnl: `${formatNumber(v.unrealized ?? "0", locale, { signed: true, minDecimals: 2 })} ${v.currency ?? ""}`.trim(),
        pct: pct(v.unrealizedPct, locale),
      });
    case "POSITION_DRAWDOWN":
      return t("alert-fired-drawdown", {
        symbol: c.symbol,
        portfolio: where,
        drawdown: formatPercent(v.drawdownPct ?? "0", locale, false),
        peak: num(v.peak, locale),
        price: num(v.price, locale),
      });
    case "RISK_USAGE":
      return t("alert-fired-risk", {
        portfolio: where,
        rule: v.rule ? ruleLabel(t, v.rule) : "—",
        used: formatPercent(v.usedPct ?? "0", locale, false),
      });
  }
}

/** The fired alert as a notification: title, the sentence, what happens next, when. */
export function renderFired(t: Translate, locale: string, fired: TriggeredAlert) {
  const { alert, evaluation, owner, portfolioName } = fired;
  const config = alert.config;
  const next = config.once
    ? t("alert-fired-once")
    : t("alert-fired-repeat", { cooldown: duration(t, config.cooldownMs) });
  const body = fmt`${firedSentence(t, locale, config.condition, evaluation.values, portfolioName)}\n${FormattedString.i(`${next} · ${formatLocal(evaluation.at, owner.timeZone)}`)}`;
  const markup = alert.isActive
    ? keyboard([[button(t("alert-pause-button"), pauseFiredAlert.pack({ id: alert.id }))]])
    : undefined;
  return { title: t("alert-fired-title", { name: alert.name }), body, markup };
}

/** Values that only echo the alert's own settings, left out of "Now: ..." */
const ECHOED = new Set(["currency", "indicator", "policyId", "percent", "threshold", "multiplier"]);
const SIGNED = new Set(["changePct", "unrealizedPct"]);

/** "price 68,950.12 · level 70,000", "RSI(14) 42.13 · level 30": what an evaluation saw. */
export function describeValues(t: Translate, locale: string, observation: Observation): string {
  const v = observation.values;
  return Object.entries(v)
    .filter(([key, value]) => value !== "" && !ECHOED.has(key))
    .map(([key, value]) => {
      const label = key === "value" && v.indicator ? v.indicator : t(`alert-value-${key}`);
      const shown = key.endsWith("Pct")
        ? formatPercent(value, locale, SIGNED.has(key))
        : key === "rule"
          ? ruleLabel(t, value)
          : num(value, locale);
      return `${label} ${shown}`;
    })
    .join(" · ");
}

export function explain(ctx: BaseContext, e: unknown): string {
  if (isDomainError(e)) return describeDomainError((k, p) => ctx.t(k, p), e);
  throw e;
}

/** The reply to a created alert: what was saved, the values now, and the crossing hint. */
export function createdReply(
  ctx: BaseContext,
  locale: string,
  created: { alert: AlertView; observation: Observation },
): FormattedString {
  const { alert, observation } = created;
  const lines = [
    fmt`✅ ${FormattedString.b(ctx.t("alert-created", { id: alert.id }))} ${FormattedString.code(alert.name)}`,
    fmt`${describeOptions(ctx.t.bind(ctx), alert.config)}`,
  ];
  const now = describeValues(ctx.t.bind(ctx), locale, observation);
  if (now) lines.push(fmt`${ctx.t("alert-created-now", { values: now })}`);
  if (observation.missing === "no-risk-source") lines.push(fmt`${ctx.t("alert-created-no-risk")}`);
  if (alert.config.trigger === "cross" && observation.side === "in") {
    lines.push(fmt`${FormattedString.i(ctx.t("alert-created-already-true"))}`);
  }
  return FormattedString.join(lines, "\n");
}
