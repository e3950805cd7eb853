// The texts of running strategies: what /run and its conversation say once an instance started,
// one instance's block in /running, and what /stop and its button say.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type {
  RunningInstance,
  StrategyInstanceView,
} from "../../../domain/strategies/instance-types.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { BotContext } from "../../context.ts";
import { formatMoney } from "../../format/numbers.ts";
import type { Translate } from "../../i18n.ts";

const STATUS_ICON = { RUNNING: "▶️", PAUSED: "⏸", STOPPED: "⏹" } as const;

export type StartedInstance = Pick<
  StrategyInstanceView,
  "strategyName" | "strategyVersion" | "portfolioName" | "symbols"
>;

export function startedText(t: Translate, v: StartedInstance): FormattedString {
  return fmt`▶️ ${t("run-started", { name: v.strategyName, version: v.strategyVersion, portfolio: v.portfolioName, symbols: v.symbols.join(", ") })}\n${t("run-started-hint", { name: v.strategyName })}`;
}

export function instanceBlock(
  ctx: BotContext,
  locale: string,
  v: RunningInstance,
): FormattedString {
  const zone = ctx.user?.timeZone ?? "UTC";
  const newer =
    v.latestVersion > v.strategyVersion
      ? ` (${ctx.t("running-newer", { version: v.latestVersion })})`
      : "";
  const head = fmt`${STATUS_ICON[v.status]} ${FormattedString.b(`${v.strategyName} v${v.strategyVersion}`)}${newer} · ${v.portfolioName}${v.isPaper ? "" : ` · ${ctx.t("running-live")}`}`;
  const state =
    v.status === "PAUSED" && v.consecutiveErrors > 0
      ? ctx.t("running-paused-errors", { count: v.consecutiveErrors })
      : ctx.t(`running-status-${v.status.toLowerCase()}`);
  const signal = v.lastSignal
    ? ctx.t("running-last-signal", {
        action: ctx.t(`strategy-action-${v.lastSignal.action}`),
        symbol: v.lastSignal.symbol,
        reason: v.lastSignal.reason,
        when: formatLocal(v.lastSignalAt ?? v.startedAt, zone),
      })
    : ctx.t("running-no-signal");
  const lines = [
    head,
    fmt`   ${v.symbols.join(", ")} · ${state}`,
    fmt`   ${signal}`,
    fmt`   ${ctx.t("running-orders-today", { count: v.ordersToday })} · ${ctx.t("running-pnl")}: ${formatMoney(v.pnlSinceStart, v.currency, locale, true)}`,
  ];
  if (v.lastError && v.consecutiveErrors > 0)
    lines.push(fmt`   ⚠️ ${FormattedString.code(v.lastError.slice(0, 200))}`);
  return FormattedString.join(lines, "\n");
}

export function stoppedText(ctx: BotContext, v: StrategyInstanceView): string {
  return `⏹ ${ctx.t("stop-done", { name: v.strategyName, portfolio: v.portfolioName })}\n${ctx.t("stop-positions-hint")}`;
}
