// How schedules read in the bot: what runs, when (a preset by name, a custom expression as
// code), in which zone, where the report goes, and the next run times in the schedule's zone.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { SchedulePreset } from "../../../domain/schedules/cron-schedule.ts";
import type {
  ScheduleDestination,
  ScheduleTarget,
  ScheduleView,
} from "../../../domain/schedules/schedule-types.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { Translate } from "../../i18n.ts";
import { periodLabel } from "../../reports/report-parts.ts";

export function presetLabel(t: Translate, preset: SchedulePreset): string {
  switch (preset) {
    case "weekdays":
      return t("schedule-preset-weekdays");
    case "mondays":
      return t("schedule-preset-mondays");
    case "hourly":
      return t("schedule-preset-hourly");
    case "evenings":
      return t("schedule-preset-evenings");
  }
}

export function kindLabel(t: Translate, kind: ScheduleTarget["kind"]): string {
  switch (kind) {
    case "PORTFOLIO_SUMMARY":
      return t("schedule-kind-summary");
    case "PNL_REPORT":
      return t("schedule-kind-pnl");
    case "SCREENER":
      return t("schedule-kind-screener");
  }
}

/** "PnL report (week) · Main" */
export function describeTarget(
  t: Translate,
  target: ScheduleTarget,
  targetName: string | null,
): string {
  const name = targetName ?? t("schedule-target-gone");
  const kind = kindLabel(t, target.kind);
  return target.kind === "SCREENER"
    ? `${kind} · ${name}`
    : `${kind} (${periodLabel(t, target.period)}) · ${name}`;
}

/** A preset by name, or the expression in monospace; with the zone. */
export function describeWhen(
  t: Translate,
  when: { cron: string; preset: SchedulePreset | null; timeZone: string },
): FormattedString {
  const what = when.preset
    ? fmt`${presetLabel(t, when.preset)}`
    : fmt`${FormattedString.code(when.cron)}`;
  return fmt`${what} (${when.timeZone})`;
}

export function describeDestination(t: Translate, destination: ScheduleDestination | null): string {
  if (!destination) return t("schedule-dest-none");
  const name =
    destination.type === "PRIVATE"
      ? t("schedule-dest-private")
      : (destination.title ?? t("schedule-dest-untitled"));
  return destination.isActive ? name : `${name} (${t("schedule-dest-inactive")})`;
}

/** Bulleted run times in a zone. */
export function runTimesList(runs: Date[], zone: string): FormattedString {
  return FormattedString.join(
    runs.map((r) => fmt`• ${formatLocal(r, zone)}`),
    "\n",
  );
}

/** One schedule as a list entry. */
export function scheduleEntry(t: Translate, s: ScheduleView, index: number): FormattedString {
  const state = s.isActive ? "▶️" : "⏸";
  const next =
    s.isActive && s.nextRunAt
      ? t("schedules-next", { time: formatLocal(s.nextRunAt, s.timeZone) })
      : s.isActive
        ? t("schedules-no-next")
        : t("schedules-paused");
  return fmt`${index}. ${state} ${FormattedString.b(s.name)}
   ${describeTarget(t, s.target, s.targetName)}
   ${describeWhen(t, s)} → ${describeDestination(t, s.destination)}
   ${next}`;
}
