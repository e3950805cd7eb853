// The notice that a portfolio was archived or deleted and what of it was paused (schedules,
// alerts, policies), worded in its owner's language for the outbox: the domain's
// RetirementNotifier.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type {
  RetirementMessage,
  RetirementNotice,
  RetirementNotifier,
} from "../../../domain/portfolios/retirement-notice.ts";
import { toHtml } from "../../format/html.ts";
import type { Translate } from "../../i18n.ts";
import type { Notifier } from "../../notifier.ts";

/** The wording of "portfolio archived/deleted; these were paused", in the owner's language. */
export function renderRetirement(
  t: Translate,
  notice: RetirementNotice,
): { title: string; body: FormattedString } {
  const name = notice.portfolio.name ?? `#${notice.portfolio.id}`;
  const title = t(`portfolio-retired-title-${notice.outcome.toLowerCase()}`, { name });
  const lines = [fmt`${t("portfolio-retired-paused")}`];
  const { schedules, alerts, policies } = notice.paused;
  if (schedules.length)
    lines.push(fmt`• ${t("portfolio-retired-schedules", { names: schedules.join(", ") })}`);
  if (alerts.length)
    lines.push(fmt`• ${t("portfolio-retired-alerts", { names: alerts.join(", ") })}`);
  if (policies.length)
    lines.push(fmt`• ${t("portfolio-retired-policies", { names: policies.join(", ") })}`);
  lines.push(fmt``, fmt`${t("portfolio-retired-next")}`);
  return { title, body: FormattedString.join(lines, "\n") };
}

export class BotRetirementNotifier implements RetirementNotifier {
  constructor(private readonly notifier: Notifier) {}

  render(notice: RetirementNotice): RetirementMessage {
    const { title, body } = renderRetirement(this.notifier.translator(notice.recipient), notice);
    return { title, message: toHtml(body), format: "html" };
  }
}
