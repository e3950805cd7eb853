// /status for admins: the facts /healthz reports (database, each job's last run against its
// interval, the outbox's depth and oldest undelivered row, counters since start) in one message.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { HealthReport } from "../../../ops/health.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { BotContext } from "../../context.ts";
import { replyFmt } from "../../format/reply.ts";
import { formatAge, formatBytes } from "../backups/backups.ts";

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": short and unit-free enough for both locales. */
export function shortDuration(
  ms: number,
  units: { s: string; min: string; h: string; d: string },
): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} ${units.s}`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} ${units.min}`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} ${units.h} ${min % 60} ${units.min}`;
  return `${Math.floor(h / 24)} ${units.d} ${h % 24} ${units.h}`;
}

export function renderStatus(t: BotContext["t"], report: HealthReport): FormattedString {
  const units = { s: t("unit-s"), min: t("unit-min"), h: t("unit-h"), d: t("unit-d") };
  const dur = (ms: number) => shortDuration(ms, units);
  const lines: FormattedString[] = [fmt`${FormattedString.b(t("status-title"))}`];
  lines.push(
    fmt`${report.ok ? t("status-healthy") : t("status-unhealthy", { count: report.problems.length })}`,
    fmt``,
  );
  lines.push(
    fmt`${
      report.database.ok
        ? t("status-database-ok", { ms: report.database.ms })
        : t("status-database-down", { error: report.database.error ?? "?" })
    }`,
  );
  const jobsLine = !report.jobs.enabled
    ? t("status-jobs-off")
    : report.jobs.leading
      ? t("status-jobs-leading")
      : t("status-jobs-following");
  lines.push(fmt`${jobsLine}`);
  if (report.jobs.leading) {
    for (const job of report.jobs.list) {
      const icon = job.stale ? "⚠️" : job.lastError ? "❗" : "✅";
      const every = dur(job.intervalMs);
      lines.push(
        fmt`${
          job.lastFinishedAt === null
            ? t("status-job-never", { icon, name: job.name, every })
            : t("status-job", {
                icon,
                name: job.name,
                ago: dur(job.lagMs ?? 0),
                every,
                runs: job.runs,
                failures: job.failures,
              })
        }`,
      );
      if (job.lastError)
        lines.push(
          fmt`   ${FormattedString.i(t("status-job-error", { error: job.lastError.slice(0, 160) }))}`,
        );
    }
  }
  if (report.outbox) {
    const o = report.outbox;
    lines.push(
      fmt``,
      fmt`${t("status-outbox", { pending: o.pending, sending: o.sending, sent: o.sent, failed: o.failed })}`,
      fmt`${
        o.oldestPendingAgeMs === null
          ? t("status-outbox-none")
          : t("status-outbox-oldest", {
              icon: o.ok ? "✅" : "⚠️",
              age: dur(o.oldestPendingAgeMs),
              limit: dur(o.maxAgeMs),
            })
      }`,
    );
  }
  if (report.backups) {
    const b = report.backups;
    const icon = b.ok ? "✅" : "⚠️";
    lines.push(
      fmt``,
      fmt`${
        b.lastAgeMs === null || b.lastBytes === null
          ? t("status-backup-none", { icon })
          : t("status-backup", {
              icon,
              ago: formatAge(t, b.lastAgeMs),
              size: formatBytes(t, b.lastBytes),
              total: b.total,
              every: dur(b.intervalMs),
            })
      }`,
    );
    if (b.lastFailure)
      lines.push(
        fmt`   ${FormattedString.i(t("status-backup-failed", { error: b.lastFailure.reason.slice(0, 160) }))}`,
      );
  }
  if (report.totals) {
    lines.push(
      fmt``,
      fmt`${t("status-totals", { uptime: dur(report.uptimeSeconds * 1000), ...report.totals })}`,
    );
  }
  return FormattedString.join(lines, "\n");
}

export function registerStatus(registry: CommandRegistry): void {
  registry.add({
    name: "status",
    scope: "admin",
    group: "admin",
    descriptionKey: "cmd-status",
    exampleKey: "cmd-status-example",
    handler: async (ctx) => {
      const health = ctx.deps.health;
      if (!health) return ctx.reply(ctx.t("status-unavailable"));
      await replyFmt(ctx, renderStatus(ctx.t.bind(ctx), await health.report()));
    },
  });
}
