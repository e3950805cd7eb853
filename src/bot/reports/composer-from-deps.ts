// The report composer as the bot layer builds it from its dependencies (for /report and the
// "run now" button); the schedule runner gets one built the same way in app.ts.
import type { BotDeps } from "../deps.ts";
import { ReportComposer } from "./report-composer.ts";

export function composerFromDeps(
  deps: Pick<BotDeps, "services" | "notifier" | "market" | "logger">,
): ReportComposer {
  return new ReportComposer({
    users: deps.services.users,
    reports: deps.services.reports,
    notifier: deps.notifier,
    market: { name: deps.market.name, synthetic: deps.market.synthetic },
    logger: deps.logger,
  });
}
