// Backups as a service: the backup job, `npm run backup` and the admins' /backup all go through
// here. A run takes one backup of the configured database (SQLite: online backup API, integrity
// check, gzip; PostgreSQL: pg_dump -Fc, checked with pg_restore --list), writes its checksum, and
// only then prunes older backups by the retention tiers — so pruning never runs without a fresh
// good backup, and the newest good backup is never pruned. One run at a time per process: a
// second request while one runs gets that run's outcome.
//
// A failed run notifies every active admin through the outbox at CRITICAL severity, worded in
// each admin's language by a renderer the bot installs (the domain never formats text), and then
// throws BackupFailedError for the caller (the job logs it, /backup shows it, the CLI exits 1).
import fs from "node:fs";
import path from "node:path";
import type { Provider } from "../../db/client.ts";
import {
  type BackupFile,
  type BackupKind,
  PARTIAL_SUFFIX,
  backupFileName,
  deleteBackup,
  listBackups,
  removeStalePartials,
  stamp,
  writeChecksum,
} from "../../db/backup/backup-files.ts";
import { pgArchiveTables, pgDump } from "../../db/backup/pg-tools.ts";
import { type RetentionPolicy, applyRetention } from "../../db/backup/retention-tiers.ts";
import { backupSqlite } from "../../db/backup/sqlite-backup.ts";
import { sqlitePath } from "../../db/url.ts";
import type { DomainContext } from "../context.ts";
import { DomainError } from "../errors.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { NotificationFormat } from "../notifications/notification-types.ts";
import type { SyncLogger } from "../trading/account-sync.ts";
import { type Actor, assertAdmin } from "../users/actor.ts";

export interface BackupSettings {
  /** the database being backed up (DATABASE_URL, resolved) */
  url: string;
  dir: string;
  intervalMs: number;
  retention: RetentionPolicy;
  /** SQLite pages copied per step of the online backup (tests lower it; default 1024) */
  sqlitePagesPerStep?: number;
}

export type BackupTrigger = "schedule" | "admin" | "cli";

export interface BackupOutcome {
  file: string;
  bytes: number;
  takenAt: Date;
  ms: number;
  sha256: string;
  /** backups deleted by the retention tiers after this one */
  pruned: string[];
  /** SQLite: times the online copy started over because the bot wrote meanwhile */
  restarts: number;
}

export interface BackupEntry {
  file: string;
  kind: BackupKind;
  bytes: number;
  takenAt: Date;
  ageMs: number;
}

export interface BackupListing {
  provider: Provider;
  dir: string;
  intervalMs: number;
  retention: RetentionPolicy;
  /** newest first */
  backups: BackupEntry[];
  total: number;
  running: boolean;
}

/** What the health report and /status say about backups. */
export interface BackupHealth {
  intervalMs: number;
  /** the newest complete backup, null when there is none */
  last: { takenAt: Date; bytes: number } | null;
  total: number;
  /** the last failed run (any trigger), until a later run succeeds */
  lastFailure: BackupFailure | null;
}

export interface BackupFailure {
  at: Date;
  trigger: BackupTrigger;
  reason: string;
}

export interface BackupAlertRenderer {
  /** The failure notice in the recipient's language. Pure: no I/O. */
  render(
    failure: BackupFailure,
    recipient: { language: string | null; telegramLanguage: string | null },
  ): { title: string; message: string; format: NotificationFormat };
}

/** A backup run failed; `reason` says why (shown to admins). */
export class BackupFailedError extends DomainError {
  readonly code = "BACKUP_FAILED";
  constructor(readonly reason: string) {
    super("error-backup-failed", { reason });
  }
}

/** Partial files older than this are leftovers of a crashed run, not a run in progress. */
const STALE_PARTIAL_MS = 6 * 3_600_000;

export class BackupService {
  private inFlight: Promise<BackupOutcome> | null = null;
  /** when the last scheduled run failed: the job retries one interval later, not every tick */
  private lastScheduledFailure: Date | null = null;
  private renderer: BackupAlertRenderer | null = null;
  private lastFailure: BackupFailure | null = null;

  constructor(
    private readonly ctx: DomainContext,
    private readonly settings: BackupSettings,
    private readonly notifications: NotificationService,
    private readonly logger?: SyncLogger,
  ) {}

  useAlertRenderer(renderer: BackupAlertRenderer): void {
    this.renderer = renderer;
  }

  get kind(): BackupKind {
    return this.ctx.provider === "postgres" ? "postgres" : "sqlite";
  }

  /** The name backups of this database carry: the SQLite file's or the PostgreSQL database's. */
  get name(): string {
    if (this.kind === "sqlite") {
      return path.basename(sqlitePath(this.settings.url)).replace(/\.(db|sqlite3?)$/i, "") || "db";
    }
    const db = decodeURIComponent(new URL(this.settings.url).pathname.slice(1));
    return db.replace(/[^A-Za-z0-9_.-]/g, "_") || "postgres";
  }

  /** Complete backups of this database, newest first. */
  backups(): BackupFile[] {
    return listBackups(this.settings.dir, this.name).filter((b) => b.kind === this.kind);
  }

  /** For admins: the last `limit` backups with size and age, and the settings. */
  list(admin: Actor, limit = 10): BackupListing {
    assertAdmin(admin);
    const now = this.ctx.clock.now().getTime();
    const all = this.backups();
    return {
      provider: this.ctx.provider,
      dir: this.settings.dir,
      intervalMs: this.settings.intervalMs,
      retention: this.settings.retention,
      backups: all.slice(0, limit).map((b) => ({
        file: path.basename(b.file),
        kind: b.kind,
        bytes: b.bytes,
        takenAt: b.takenAt,
        ageMs: Math.max(0, now - b.takenAt.getTime()),
      })),
      total: all.length,
      running: this.inFlight !== null,
    };
  }

  /** The facts an operator checks: the newest backup, how many are kept, the last failure. */
  health(): BackupHealth {
    const all = this.backups();
    const newest = all[0];
    return {
      intervalMs: this.settings.intervalMs,
      last: newest ? { takenAt: newest.takenAt, bytes: newest.bytes } : null,
      total: all.length,
      lastFailure: this.lastFailure,
    };
  }

  /** An admin's "back up now". */
  async runNow(admin: Actor): Promise<BackupOutcome> {
    assertAdmin(admin);
    return this.run("admin");
  }

  /** The job's tick: a backup when the newest one is at least one interval old (or none exists). */
  async runIfDue(): Promise<BackupOutcome | null> {
    const newest = this.backups()[0];
    const now = this.ctx.clock.now().getTime();
    // a minute's slack: a tick that lands a little early does not skip a whole interval
    const due = (since: Date | undefined | null) =>
      !since || now - since.getTime() >= this.settings.intervalMs - 60_000;
    if (!due(newest?.takenAt) || !due(this.lastScheduledFailure)) return null;
    try {
      const outcome = await this.run("schedule");
      this.lastScheduledFailure = null;
      return outcome;
    } catch (e) {
      this.lastScheduledFailure = new Date(now);
      throw e;
    }
  }

  /** Takes a backup now (joins the run in progress, if any). Throws BackupFailedError. */
  run(trigger: BackupTrigger): Promise<BackupOutcome> {
    this.inFlight ??= this.execute(trigger).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async execute(trigger: BackupTrigger): Promise<BackupOutcome> {
    const takenAt = this.ctx.clock.now();
    const started = performance.now();
    const target = path.join(this.settings.dir, backupFileName(this.name, this.kind, takenAt));
    try {
      fs.mkdirSync(this.settings.dir, { recursive: true });
      removeStalePartials(this.settings.dir, takenAt, STALE_PARTIAL_MS);
      const { bytes, sha256, restarts } =
        this.kind === "sqlite"
          ? await backupSqlite(
              path.resolve(sqlitePath(this.settings.url)),
              target,
              this.settings.sqlitePagesPerStep,
            )
          : { ...(await this.dumpPostgres(target)), restarts: 0 };
      const ms = Math.round(performance.now() - started);
      const pruned = this.prune();
      this.lastFailure = null;
      this.logger?.info(
        { backup: target, bytes, ms, trigger, pruned: pruned.length },
        "backup taken",
      );
      return { file: target, bytes, takenAt, ms, sha256, pruned, restarts };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger?.error({ err: e, trigger, backup: target }, "backup failed");
      this.lastFailure = { at: takenAt, trigger, reason };
      await this.notifyFailure({ at: takenAt, trigger, reason });
      throw new BackupFailedError(reason);
    }
  }

  private async dumpPostgres(target: string): Promise<{ bytes: number; sha256: string }> {
    const partial = target + PARTIAL_SUFFIX;
    try {
      await pgDump(this.settings.url, partial);
      await pgArchiveTables(partial);
      fs.renameSync(partial, target);
      const sha256 = await writeChecksum(target);
      return { bytes: fs.statSync(target).size, sha256 };
    } finally {
      fs.rmSync(partial, { force: true });
    }
  }

  /** Deletes what the tiers do not keep; called only right after a good backup. */
  private prune(): string[] {
    const { drop } = applyRetention(this.backups(), this.settings.retention);
    for (const b of drop) deleteBackup(b.file);
    if (drop.length) {
      this.logger?.info({ pruned: drop.map((b) => path.basename(b.file)) }, "old backups pruned");
    }
    return drop.map((b) => b.file);
  }

  private async notifyFailure(failure: BackupFailure): Promise<void> {
    if (!this.renderer) return;
    try {
      const admins = await this.ctx.db.user.findMany({
        where: { isAdmin: true, isActive: true },
        orderBy: { id: "asc" },
      });
      for (const admin of admins) {
        const { title, message, format } = this.renderer.render(failure, admin);
        await this.notifications.enqueue(this.ctx.db, {
          userId: admin.id,
          type: "SYSTEM_ERROR",
          severity: "CRITICAL",
          title,
          message,
          format,
          dedupeKey: `backup-failed:${stamp(failure.at)}`,
        });
      }
    } catch (e) {
      // the database itself may be what failed: the log still has it
      this.logger?.error({ err: e }, "could not notify the admins of a failed backup");
    }
  }
}
