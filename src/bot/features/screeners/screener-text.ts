// Screener wording shared by /screen, /screeners and /newscreener: the ranked result as a
// monospace table, and one-line descriptions of a screener's universe and conditions. Pure
// functions of a translator and a locale.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { formatIndicator, valueStyle } from "../../../domain/indicators/indicator-spec.ts";
import { plainNumber } from "../../../domain/indicators/rounding.ts";
import {
  type ScreenerConfig,
  type Universe,
  formatCondition,
} from "../../../domain/screeners/screener-config.ts";
import { screenerSpecs } from "../../../domain/screeners/screener-engine.ts";
import { columnLabel } from "../../../domain/screeners/screener-labels.ts";
import type { ScreenerResult } from "../../../domain/screeners/screener-service.ts";
import { formatLocal } from "../../../lib/time.ts";
import { formatNumber } from "../../format/numbers.ts";
import { table } from "../../format/tables.ts";
import type { Translate } from "../../i18n.ts";

/** Indicator columns shown besides symbol and price: more would not fit a phone screen. */
export const MAX_VALUE_COLUMNS = 3;

export function describeUniverse(t: Translate, universe: Universe): string {
  switch (universe.kind) {
    case "SYMBOLS": {
      const shown = universe.symbols.slice(0, 4).join(", ");
      return universe.symbols.length > 4
        ? t("screener-universe-symbols-more", { list: shown, count: universe.symbols.length - 4 })
        : t("screener-universe-symbols", { list: shown });
    }
    case "ASSET_TYPE":
      return t(`screener-universe-type-${universe.assetType.toLowerCase()}`);
    case "EXCHANGE":
      return t("screener-universe-exchange", { exchange: universe.exchange });
  }
}

/** "Crypto · 1h · RSI(14) < 30, EMA(20) > EMA(50) · by Δ24 % ↓ · top 10" */
export function describeScreener(t: Translate, config: ScreenerConfig): string {
  const conditions = config.conditions.length
    ? config.conditions.map(formatCondition).join(", ")
    : t("screener-no-conditions");
  const order = config.sort.order === "desc" ? "↓" : "↑";
  return [
    describeUniverse(t, config.universe),
    config.interval,
    conditions,
    t("screener-sorted-by", { metric: formatIndicator(config.sort.by), order }),
    t("screener-top", { count: config.limit }),
  ].join(" · ");
}

function cell(value: number | null, locale: string, percent: boolean): string {
  if (value === null) return "—";
  return formatNumber(
    plainNumber(value),
    locale,
    percent ? { minDecimals: 2, maxDecimals: 2 } : {},
  );
}

/** The ranked result: heading, summary, the table, skipped symbols, time and data source. */
export function screenerResultText(
  t: Translate,
  locale: string,
  result: ScreenerResult,
  footer: { timeZone: string; source: string },
): FormattedString {
  const specs = screenerSpecs(result.config);
  const shown = result.columns.slice(0, MAX_VALUE_COLUMNS);
  const title = result.screener?.name ?? t("screener-unsaved");
  const parts: FormattedString[] = [
    fmt`📊 ${FormattedString.b(title)} · ${result.config.interval}`,
    fmt`${t("screener-summary", { matched: result.matched, evaluated: result.evaluated })}`,
  ];
  if (result.rows.length) {
    const header = [
      "#",
      t("screener-col-symbol"),
      t("screener-col-price"),
      ...shown.map((label) => columnLabel(specs.get(label)!)),
    ];
    const rows = result.rows.map((r) => [
      String(r.rank),
      r.symbol,
      cell(r.price, locale, false),
      ...shown.map((label) =>
        cell(r.values[label] ?? null, locale, valueStyle(specs.get(label)!) === "percent"),
      ),
    ]);
    const align = ["right", "left", "right", ...shown.map(() => "right" as const)] as const;
    parts.push(FormattedString.pre(table(header, rows, [...align])));
  } else {
    parts.push(fmt`${t("screener-no-matches")}`);
  }
  if (result.skipped.length) {
    parts.push(fmt`${t("screener-skipped", { list: result.skipped.slice(0, 10).join(", ") })}`);
  }
  parts.push(FormattedString.i(`${formatLocal(result.at, footer.timeZone)} · ${footer.source}`));
  return FormattedString.join(parts, "\n");
}
