// The exchange check under a live portfolio's /positions, as text: one row per asset (what the
// fills say, free + locked at the exchange, the difference) and a flagged line for each asset
// where the two part, so the trader sees at once whether TradeDesk's view and the exchange agree.
// The figures come from HoldingsCheckService; this file only formats them.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { HoldingsCheck } from "../../../domain/funds/holdings-check-service.ts";
import type { HoldingComparison } from "../../../domain/funds/holdings-check.ts";
import { FUNDS_ERROR_KEYS } from "../../format/funds-errors.ts";
import { formatNumber } from "../../format/numbers.ts";
import { table } from "../../format/tables.ts";
import type { Translate } from "../../i18n.ts";

export function holdingsCheckText(
  check: HoldingsCheck,
  t: Translate,
  locale: string,
): FormattedString {
  const broker = check.brokerName;
  const title = FormattedString.b(t("positions-check-title", { account: check.accountName }));
  const scope =
    check.portfolios > 1 ? fmt`\n${t("positions-check-scope", { count: check.portfolios })}` : "";
  const head = fmt`${title}${scope}`;
  if (!check.lines) {
    return fmt`${head}\n${t(FUNDS_ERROR_KEYS[check.error ?? "unreachable"], { broker })}`;
  }
  if (!check.lines.length) return fmt`${head}\n${t("positions-check-empty", { broker })}`;
  const qty = (d: HoldingComparison["fills"], signed = false) =>
    formatNumber(d, locale, { maxDecimals: 18, signed });
  const mark = (l: HoldingComparison) =>
    l.status === "agrees" ? "✓" : l.status === "dust" ? t("positions-check-dust") : "⚠️";
  const rows = check.lines.map((l) => [
    l.asset,
    qty(l.fills),
    qty(l.exchange),
    l.difference.isZero() ? "0" : qty(l.difference, true),
    mark(l),
  ]);
  const grid = FormattedString.pre(
    table(
      [
        t("positions-check-col-asset"),
        t("positions-check-col-fills"),
        t("positions-check-col-exchange", { broker }),
        t("positions-check-col-difference"),
        "",
      ],
      rows,
      ["left", "right", "right", "right", "left"],
    ),
  );
  const differing = check.lines.filter((l) => l.status === "differs");
  const verdict = check.agrees
    ? fmt`✅ ${t("positions-check-agrees", { broker })}`
    : FormattedString.b(`⚠️ ${t("positions-check-differs", { broker, count: differing.length })}`);
  const flagged = differing.map(
    (l) =>
      fmt`⚠️ ${t("positions-check-line", {
        asset: l.asset,
        broker,
        exchange: qty(l.exchange),
        free: qty(l.free),
        locked: qty(l.locked),
        fills: qty(l.fills),
        difference: qty(l.difference, true),
      })}`,
  );
  return FormattedString.join([head, verdict, grid, ...flagged], "\n");
}
