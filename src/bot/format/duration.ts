// A length of time for people: its two largest units ("2 d 3 h", "15 h 40 min", "25 min"),
// under a minute as "< 1 min"; unit words from the locale.
import type { Translate } from "../i18n.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatDuration(ms: number, t: Translate): string {
  if (ms < MINUTE) return t("duration-under-minute");
  const minutes = Math.round(ms / MINUTE);
  const days = Math.floor(minutes / (DAY / MINUTE));
  const hours = Math.floor((minutes % (DAY / MINUTE)) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(t("duration-days", { n: days }));
  if (hours) parts.push(t("duration-hours", { n: hours }));
  if (mins && !days) parts.push(t("duration-minutes", { n: mins }));
  return parts.slice(0, 2).join(" ");
}
