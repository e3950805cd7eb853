// npm run backup — one backup of the configured database now (DATABASE_URL, BACKUP_DIR), then
// pruning by the retention tiers (BACKUP_KEEP_HOURLY/DAILY/WEEKLY), exactly as the bot's hourly
// job does; safe while the bot runs (SQLite's online backup API; pg_dump's snapshot). A failure
// also notifies the admins (outbox, CRITICAL) and exits 1.
import fs from "node:fs";
import pino from "pino";
import { createI18n, pickLocale, translatorFor } from "../src/bot/i18n.ts";
import { BotBackupAlerts, formatAge } from "../src/bot/features/backups/backups.ts";
import { SUPPORTED_LOCALES, type Locale } from "../src/config.ts";
import { openDatabase } from "../src/db/client.ts";
import { resolveDatabaseUrl, sqlitePath } from "../src/db/url.ts";
import { BackupService } from "../src/domain/backups/backup-service.ts";
import { NotificationService } from "../src/domain/notifications/notification-service.ts";
import { systemClock } from "../src/lib/clock.ts";
import { redactUrl } from "../src/lib/redact-url.ts";
import { loadOpsConfig, opsSettings } from "../src/ops-config.ts";

async function main(): Promise<number> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  const config = loadOpsConfig();
  const url = resolveDatabaseUrl(config.DATABASE_URL);
  const logger = pino({ level: process.env.LOG_LEVEL ?? "warn" });
  const database = openDatabase(url, { poolSize: 2 });
  try {
    const ctx = { db: database.prisma, provider: database.provider, clock: systemClock };
    const backups = new BackupService(
      ctx,
      { url, ...opsSettings(config).backups },
      new NotificationService(ctx),
      logger,
    );
    const fallback: Locale = (SUPPORTED_LOCALES as readonly string[]).includes(
      process.env.DEFAULT_LOCALE ?? "",
    )
      ? (process.env.DEFAULT_LOCALE as Locale)
      : "en";
    const i18n = createI18n(fallback);
    backups.useAlertRenderer(
      new BotBackupAlerts({
        translator: (u) =>
          translatorFor(i18n, pickLocale(u.language, u.telegramLanguage, fallback)),
      }),
    );
    console.log(
      `Backing up ${database.provider === "postgres" ? redactUrl(url) : sqlitePath(url)} into ${config.BACKUP_DIR} …`,
    );
    try {
      const outcome = await backups.run("cli");
      console.log(
        `OK ${outcome.file} (${outcome.bytes} bytes, ${outcome.ms} ms, sha256 ${outcome.sha256})`,
      );
      for (const file of outcome.pruned) console.log(`pruned ${file}`);
      const t = translatorFor(i18n, "en");
      const kept = backups.backups();
      console.log(`${kept.length} backups kept:`);
      for (const b of kept) {
        console.log(
          `  ${b.file}  ${b.bytes} bytes  ${formatAge(t, Date.now() - b.takenAt.getTime())}`,
        );
      }
      return 0;
    } catch (e) {
      console.error(`Backup FAILED: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
