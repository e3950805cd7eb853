// How risk reads outside /risk: the order card's block about a pre-trade decision
// (describeRiskOutcome) and the breach notifications (BotRiskNotifier: the wording, in the
// recipient's language; the domain queues it). The /risk, /newpolicy, /policy and /userpolicy
// commands: risk-commands.ts; their buttons: risk-buttons.ts; the policy conversation:
// risk-policy.ts.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { RiskAction } from "../../../domain/types.ts";
import type { RiskMessage, RiskNotice, RiskNotifier } from "../../../domain/risk/risk-notifier.ts";
import type { RiskDecision } from "../../../domain/risk/risk-service.ts";
import { toHtml } from "../../format/html.ts";
import { formatNumber } from "../../format/numbers.ts";
import type { Translate } from "../../i18n.ts";
import type { Notifier } from "../../notifier.ts";
import { ACTION_UI, breachLine } from "./risk-text.ts";

// ───────────── the order card ─────────────

const OUTCOME_KEYS = {
  ALLOW: "risk-outcome-allow",
  WARN: "risk-outcome-warn",
  REDUCE: "risk-outcome-reduce",
  BLOCK: "risk-outcome-block",
} as const;

/**
 * The risk block of the order confirmation card: the verdict, each breached rule (observed vs
 * limit), the reduced size, and what could not be checked (another currency, excluded positions).
 * Empty when no policy applies.
 */
export function describeRiskOutcome(
  t: Translate,
  outcome: RiskDecision,
  locale: string,
): FormattedString {
  if (outcome.checks.length === 0) return fmt``;
  const currency = outcome.equity?.currency ?? "";
  const lines: FormattedString[] = [
    fmt`${FormattedString.b(
      t(OUTCOME_KEYS[outcome.outcome], {
        quantity: formatNumber(outcome.maxQuantity ?? outcome.requestedQuantity, locale),
        requested: formatNumber(outcome.requestedQuantity, locale),
        symbol: outcome.symbol,
      }),
    )}`,
  ];
  for (const check of outcome.checks) {
    if (check.status !== "BREACH") continue;
    const line = breachLine(t, check, locale, currency);
    lines.push(
      check.reason === "reduce-too-small"
        ? fmt`${line} — ${t("risk-reduce-too-small")}`
        : fmt`${line} · ${t(ACTION_UI[check.action].labelKey)}`,
    );
  }
  const mismatch = outcome.checks.find((c) => c.reason === "currency-mismatch");
  if (mismatch)
    lines.push(
      fmt`${FormattedString.i(
        t("risk-note-currency", {
          symbol: outcome.symbol,
          orderCurrency: mismatch.numbers.orderCurrency ?? "",
          portfolioCurrency: mismatch.numbers.portfolioCurrency ?? "",
        }),
      )}`,
    );
  const excluded = outcome.equity?.excluded ?? [];
  if (excluded.length)
    lines.push(
      fmt`${FormattedString.i(
        t("risk-note-excluded", {
          positions: excluded.map((e) => `${e.symbol} (${e.currency})`).join(", "),
          currency,
        }),
      )}`,
    );
  return FormattedString.join(lines, "\n");
}

// ───────────── notifications ─────────────

const TITLE_KEYS: Record<RiskAction, string> = {
  BLOCKED: "risk-notice-blocked",
  REDUCED_SIZE: "risk-notice-reduced",
  WARNED: "risk-notice-warned",
  CLOSED_POSITION: "risk-notice-closed",
};

export function renderRiskNotice(
  t: Translate,
  locale: string,
  notice: RiskNotice,
): { title: string; body: FormattedString } {
  const currency = notice.portfolio.currency;
  const title =
    notice.source === "watch" && notice.action === "WARNED"
      ? t("risk-notice-watch")
      : t(TITLE_KEYS[notice.action]);
  const lines: FormattedString[] = [
    fmt`${t("risk-notice-portfolio", { name: notice.portfolio.name })}`,
  ];
  if (notice.order) {
    const side = t(`order-side-${notice.order.side.toLowerCase()}`);
    lines.push(
      fmt`${t("risk-notice-order", {
        side,
        quantity: formatNumber(notice.order.quantity, locale),
        symbol: notice.order.symbol,
      })}`,
    );
    if (notice.order.maxQuantity)
      lines.push(
        fmt`${t("risk-notice-reduced-to", {
          quantity: formatNumber(notice.order.maxQuantity, locale),
          symbol: notice.order.symbol,
        })}`,
      );
  }
  for (const check of notice.breaches) lines.push(breachLine(t, check, locale, currency));
  for (const c of notice.closed) {
    const what = `${t(`order-side-${c.side.toLowerCase()}`)} ${formatNumber(c.quantity, locale)} ${c.symbol}`;
    lines.push(
      c.orderId !== null
        ? fmt`✅ ${t("risk-closed-ok", { order: what, id: c.orderId })}`
        : fmt`❌ ${t("risk-closed-failed", { order: what, reason: closeError(t, c) })}`,
    );
  }
  lines.push(fmt`${FormattedString.i(t("risk-notice-see"))}`);
  return { title, body: FormattedString.join(lines, "\n") };
}

/** Why a position could not be closed, as the domain error it got would read. */
function closeError(t: Translate, c: RiskNotice["closed"][number]): string {
  const params: Record<string, string | number> = { ref: "-", ...c.errorParams };
  if (typeof params.field === "string") params.fieldName = t(`field-${params.field}`);
  return t(c.errorKey ?? "error-unexpected", params);
}

/**
 * The domain's RiskNotifier: words a risk event in its recipient's language (chosen in /settings,
 * else Telegram's), as HTML for the outbox. Pure; the domain queues it in the breach's transaction.
 */
export class BotRiskNotifier implements RiskNotifier {
  constructor(private readonly notifier: Notifier) {}

  render(notice: RiskNotice): RiskMessage {
    const locale = this.notifier.localeOf(notice.recipient);
    const { title, body } = renderRiskNotice(
      this.notifier.translator(notice.recipient),
      locale,
      notice,
    );
    return { title, message: toHtml(body), format: "html" };
  }
}
