// /backup for admins: the last backups with size and age, the schedule and the retention tiers,
// and a "Back up now" button. Everything comes from the backup service (the bot touches neither
// the database nor the files). Also the wording of the CRITICAL notice a failed backup sends.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type {
  BackupAlertRenderer,
  BackupFailure,
  BackupListing,
  BackupOutcome,
} from "../../../domain/backups/backup-service.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { BotContext } from "../../context.ts";
import { describeError } from "../../errors.ts";
import { toHtml } from "../../format/html.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard } from "../../keyboards.ts";
import { backupList, backupNow } from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatAge(t: Translate, ms: number): string {
  if (ms < MINUTE) return t("backup-age-now");
  if (ms < HOUR) return t("backup-age-minutes", { n: Math.floor(ms / MINUTE) });
  if (ms < 2 * DAY) return t("backup-age-hours", { n: Math.floor(ms / HOUR) });
  return t("backup-age-days", { n: Math.floor(ms / DAY) });
}

export function formatBytes(t: Translate, bytes: number): string {
  const units = ["backup-size-b", "backup-size-kb", "backup-size-mb", "backup-size-gb"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const n = unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return t(units[unit]!, { n });
}

function formatInterval(t: Translate, ms: number): string {
  if (ms % DAY === 0) return t("backup-every-days", { n: ms / DAY });
  if (ms % HOUR === 0) return t("backup-every-hours", { n: ms / HOUR });
  return t("backup-every-minutes", { n: Math.round(ms / MINUTE) });
}

function render(ctx: BotContext, listing: BackupListing, note?: FormattedString) {
  const t: Translate = (k, p) => ctx.t(k, p);
  const zone = ctx.user?.timeZone ?? "UTC";
  const lines: FormattedString[] = [
    fmt`${FormattedString.b(t("backup-title", { provider: listing.provider }))}`,
    fmt`${t("backup-schedule", {
      every: formatInterval(t, listing.intervalMs),
      hourly: listing.retention.hourly,
      daily: listing.retention.daily,
      weekly: listing.retention.weekly,
    })}`,
    fmt`${t("backup-folder")} ${FormattedString.code(listing.dir)}`,
    fmt``,
  ];
  if (listing.backups.length === 0) lines.push(fmt`${t("backup-none")}`);
  for (const b of listing.backups) {
    lines.push(
      fmt`${FormattedString.code(b.file)}\n   ${formatBytes(t, b.bytes)} · ${formatAge(t, b.ageMs)} · ${formatLocal(b.takenAt, zone)}`,
    );
  }
  if (listing.total > listing.backups.length) {
    lines.push(fmt`${t("backup-more", { count: listing.total - listing.backups.length })}`);
  }
  if (listing.running) lines.push(fmt``, fmt`${t("backup-running")}`);
  if (note) lines.push(fmt``, note);
  return {
    text: FormattedString.join(lines, "\n"),
    markup: keyboard([
      [
        button(`💾 ${t("backup-now")}`, backupNow.pack({})),
        button(`🔄 ${t("backup-refresh")}`, backupList.pack({})),
      ],
    ]),
  };
}

function outcomeNote(ctx: BotContext, outcome: BackupOutcome): FormattedString {
  const t: Translate = (k, p) => ctx.t(k, p);
  return fmt`✅ ${t("backup-done", {
    size: formatBytes(t, outcome.bytes),
    seconds: (outcome.ms / 1000).toFixed(1),
    pruned: outcome.pruned.length,
  })}`;
}

export function registerBackups(registry: CommandRegistry): void {
  registry.add({
    name: "backup",
    scope: "admin",
    group: "admin",
    descriptionKey: "cmd-backup",
    exampleKey: "cmd-backup-example",
    handler: async (ctx) => {
      const args = typeof ctx.match === "string" ? ctx.match.trim() : "";
      if (args) return ctx.reply(ctx.t("backup-usage"));
      const { text, markup } = render(ctx, ctx.deps.services.backups.list(ctx.actor));
      await replyFmt(ctx, text, markup);
    },
  });
}

export function backupsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^bkp:/, async (ctx) => {
    if (!inScope(ctx, "admin")) return refuse(ctx, "admin");
    const { backups } = ctx.deps.services;
    // anything but "now" (the list, an older button) shows the list again, as it always did
    if (!backupNow.unpack(ctx.callbackQuery.data)) {
      await ctx.answerCallbackQuery();
      const { text, markup } = render(ctx, backups.list(ctx.actor));
      return editFmt(ctx, text, markup);
    }
    await ctx.answerCallbackQuery({ text: ctx.t("backup-started") });
    let note: FormattedString;
    try {
      note = outcomeNote(ctx, await backups.runNow(ctx.actor));
    } catch (e) {
      note = fmt`❌ ${describeError((k, p) => ctx.t(k, p), e, ctx.deps.logger)}`;
    }
    const { text, markup } = render(ctx, backups.list(ctx.actor), note);
    await editFmt(ctx, text, markup);
  });
  return composer;
}

/** The CRITICAL notice of a failed backup, in each admin's language. */
export class BotBackupAlerts implements BackupAlertRenderer {
  /** `notifier`: the app's Notifier, or anything that picks a translator for a recipient */
  constructor(
    private readonly notifier: {
      translator(user: { language: string | null; telegramLanguage: string | null }): Translate;
    },
  ) {}

  render(
    failure: BackupFailure,
    recipient: { language: string | null; telegramLanguage: string | null },
  ) {
    const t = this.notifier.translator(recipient);
    const body = fmt`${t("backup-failed-body", {
      when: formatLocal(failure.at, "UTC"),
      trigger: t(`backup-trigger-${failure.trigger}`),
    })}\n${FormattedString.code(failure.reason.slice(0, 1500))}\n\n${t("backup-failed-hint")}`;
    return { title: t("backup-failed-title"), message: toHtml(body), format: "html" as const };
  }
}
