// Turns report data into what a reader gets: a title, the text and a chart, in the reader's
// language. For schedules it builds the whole notification (HTML for the outbox, the chart as the
// photo attachment), with the catch-up notice when the report is late and a footer naming the
// schedule and its next run; when the report cannot be built, it says why instead.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { User } from "../../domain/types.ts";
import { isDomainError } from "../../domain/errors.ts";
import type { ReportService } from "../../domain/reports/report-service.ts";
import type { ReportData } from "../../domain/reports/report-types.ts";
import type {
  ComposedReport,
  ScheduleFiring,
  ScheduledReportComposer,
} from "../../domain/schedules/schedule-firing.ts";
import type { UserService } from "../../domain/users/user-service.ts";
import { formatLocal } from "../../lib/time.ts";
import type { Logger } from "../../logger.ts";
import type { ChartImage } from "../../reports/charts/png-renderer.ts";
import { renderReportChart } from "../../reports/charts/report-chart.ts";
import { describeDomainError } from "../errors.ts";
import { toHtml } from "../format/html.ts";
import type { Notifier } from "../notifier.ts";
import { chartInputFor } from "./report-chart-input.ts";
import type { ReportView } from "./report-parts.ts";
import { reportBody, reportTitle } from "./report-text.ts";

export interface ReportComposerDeps {
  users: Pick<UserService, "getById">;
  reports: Pick<ReportService, "forTarget">;
  notifier: Pick<Notifier, "translator" | "localeOf">;
  market: { name: string; synthetic: boolean };
  logger?: Pick<Logger, "warn">;
}

export interface RenderedReport {
  title: string;
  body: FormattedString;
  chart: ChartImage | null;
}

export const CHART_FILE_NAME = "report.png";

export class ReportComposer implements ScheduledReportComposer {
  constructor(private readonly deps: ReportComposerDeps) {}

  /** The view (language, number format, zone) a user reads a report in. */
  viewFor(user: Pick<User, "language" | "telegramLanguage">, zone: string): ReportView {
    return {
      t: this.deps.notifier.translator(user),
      locale: this.deps.notifier.localeOf(user),
      zone,
      market: this.deps.market,
    };
  }

  /** Title, text and chart of a report; a chart that fails to render is left out, not fatal. */
  async render(data: ReportData, v: ReportView): Promise<RenderedReport> {
    const title = reportTitle(data, v);
    const body = reportBody(data, v);
    const input = chartInputFor(data, v);
    let chart: ChartImage | null = null;
    if (input) {
      try {
        chart = await renderReportChart(input);
      } catch (err) {
        this.deps.logger?.warn({ err, report: data.kind }, "report chart could not be rendered");
      }
    }
    return { title, body, chart };
  }

  async compose(firing: ScheduleFiring): Promise<ComposedReport> {
    const v = await this.ownerView(firing);
    const data = await this.deps.reports.forTarget(
      firing.owner,
      firing.schedule.target,
      firing.schedule.timeZone,
    );
    const rendered = await this.render(data, v);
    const body = FormattedString.join(
      [...this.header(firing, v), rendered.body, this.footer(firing, v)],
      "\n",
    );
    return {
      title: rendered.title,
      message: toHtml(body),
      attachment: rendered.chart ? { bytes: rendered.chart.png, fileName: CHART_FILE_NAME } : null,
    };
  }

  async composeFailure(firing: ScheduleFiring, error: unknown): Promise<ComposedReport> {
    const v = await this.ownerView(firing);
    const reason = isDomainError(error)
      ? describeDomainError(v.t, error)
      : v.t("report-failed-unexpected");
    const body = FormattedString.join(
      [...this.header(firing, v), fmt`${reason}`, this.footer(firing, v)],
      "\n",
    );
    return {
      title: v.t("report-failed-title", { name: firing.schedule.name }),
      message: toHtml(body),
      attachment: null,
    };
  }

  private async ownerView(firing: ScheduleFiring): Promise<ReportView> {
    const user = await this.deps.users.getById(firing.owner.id);
    return this.viewFor(user, firing.schedule.timeZone);
  }

  private header(firing: ScheduleFiring, v: ReportView): FormattedString[] {
    const lines: FormattedString[] = [];
    if (firing.manual) lines.push(FormattedString.i(v.t("report-run-now-note")));
    if (firing.catchUp) {
      lines.push(
        FormattedString.i(
          `⏰ ${v.t("report-catch-up", { due: formatLocal(firing.dueAt, v.zone) })}${
            firing.skipped > 0
              ? ` ${v.t("report-catch-up-skipped", { count: firing.skipped })}`
              : ""
          }`,
        ),
      );
    }
    return lines;
  }

  private footer(firing: ScheduleFiring, v: ReportView): FormattedString {
    const next = firing.nextRunAt
      ? v.t("report-schedule-next", { time: formatLocal(firing.nextRunAt, v.zone) })
      : v.t("report-schedule-no-next");
    return FormattedString.i(`🗓 ${firing.schedule.name} · ${next}`);
  }
}
