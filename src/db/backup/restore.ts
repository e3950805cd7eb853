// Restoring a backup: refuse while a bot runs on the target database, verify the backup first
// (checksum, then gunzip + integrity_check for SQLite or pg_restore --list for PostgreSQL), keep
// the current database aside, put the backup in place, and report the row count of every table.
import fs from "node:fs";
import path from "node:path";
import { redactUrl } from "../../lib/redact-url.ts";
import { liveLeases } from "../runtime-lease.ts";
import { BackupVerificationError, parseBackupName, stamp, verifyChecksum } from "./backup-files.ts";
import {
  pgArchiveTables,
  pgDump,
  pgOtherSessions,
  pgRestore,
  pgTableCounts,
  pgUserTables,
} from "./pg-tools.ts";
import { checkIntegrity, gunzipFile, sqliteTableCounts } from "./sqlite-backup.ts";

export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

export interface RestoreResult {
  target: string;
  /** where the previous database (and its WAL) went; [] when there was none */
  keptAside: string[];
  counts: Record<string, number>;
}

export function backupKindOf(file: string): "sqlite" | "postgres" {
  const parsed = parseBackupName(file);
  if (parsed) return parsed.kind;
  if (file.endsWith(".db.gz")) return "sqlite";
  if (file.endsWith(".pgdump")) return "postgres";
  throw new BackupVerificationError(
    `${file} is not a TradeDesk backup (expected a .db.gz or .pgdump file)`,
  );
}

/** Refuses when a live process holds a lease on the SQLite database `target`. */
export function assertNoBotRunning(target: string): void {
  const leases = liveLeases(target);
  if (leases.length === 0) return;
  const who = leases
    .map((l) => `pid ${l.pid} on ${l.host || "?"} since ${l.startedAt} (${l.file})`)
    .join("; ");
  throw new RestoreRefusedError(
    `a bot is running on ${target}: ${who}. Stop it first (if that process is gone, delete the file named).`,
  );
}

export async function restoreSqlite(
  backup: string,
  target: string,
  now: Date = new Date(),
): Promise<RestoreResult> {
  if (backupKindOf(backup) !== "sqlite") {
    throw new RestoreRefusedError(`${backup} is a PostgreSQL backup; the target is SQLite`);
  }
  const dest = path.resolve(target);
  assertNoBotRunning(dest);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  await verifyChecksum(backup);
  const staged = `${dest}.restore-${stamp(now)}.partial`;
  try {
    await gunzipFile(backup, staged);
    checkIntegrity(staged);
    // the check and the move happen with no await between them
    assertNoBotRunning(dest);
    const keptAside: string[] = [];
    const aside = `${dest}.before-restore-${stamp(now)}`;
    // the WAL holds committed transactions not yet in the main file: it moves with it, under the
    // name SQLite looks for beside the moved file
    for (const suffix of ["", "-wal", "-shm"]) {
      if (fs.existsSync(dest + suffix)) {
        fs.renameSync(dest + suffix, aside + suffix);
        keptAside.push(aside + suffix);
      }
    }
    fs.renameSync(staged, dest);
    return { target: dest, keptAside, counts: sqliteTableCounts(dest) };
  } finally {
    fs.rmSync(staged, { force: true });
  }
}

export async function restorePostgres(
  backup: string,
  url: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<RestoreResult> {
  if (backupKindOf(backup) !== "postgres") {
    throw new RestoreRefusedError(`${backup} is a SQLite backup; the target is PostgreSQL`);
  }
  const target = redactUrl(url);
  const sessions = await pgOtherSessions(url);
  if (sessions.length) {
    throw new RestoreRefusedError(
      `${sessions.length} other session(s) are connected to ${target} (${sessions.slice(0, 5).join(", ")}): stop the bot first`,
    );
  }
  await verifyChecksum(backup);
  await pgArchiveTables(backup);
  const existing = await pgUserTables(url);
  if (existing.length && !options.force) {
    throw new RestoreRefusedError(
      `${target} is not empty (${existing.length} tables); restore into an empty database, or pass --force to replace what the backup contains`,
    );
  }
  const keptAside: string[] = [];
  if (existing.length) {
    // what --force replaces is dumped first, beside the backup being restored
    const name = decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";
    const aside = path.join(
      path.dirname(path.resolve(backup)),
      `${name}.before-restore-${stamp(options.now ?? new Date())}.pgdump`,
    );
    await pgDump(url, aside);
    keptAside.push(aside);
  }
  await pgRestore(url, backup, existing.length > 0);
  return { target, keptAside, counts: await pgTableCounts(url) };
}
