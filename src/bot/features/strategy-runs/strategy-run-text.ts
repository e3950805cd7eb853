// Texts /run and its conversation share.
import { fmt, type FormattedString } from "@grammyjs/parse-mode";
import type { StrategyInstanceView } from "../../../domain/strategies/instance-types.ts";
import type { Translate } from "../../i18n.ts";

export type StartedInstance = Pick<
  StrategyInstanceView,
  "strategyName" | "strategyVersion" | "portfolioName" | "symbols"
>;

export function startedText(t: Translate, v: StartedInstance): FormattedString {
  return fmt`▶️ ${t("run-started", { name: v.strategyName, version: v.strategyVersion, portfolio: v.portfolioName, symbols: v.symbols.join(", ") })}\n${t("run-started-hint", { name: v.strategyName })}`;
}
