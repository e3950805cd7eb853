// SQLite backups through SQLite's online backup API (better-sqlite3's db.backup()), never a file
// copy: a live WAL database is the main file *plus* the WAL, and copying them one after the other
// while the bot writes gives a torn database. The backup API copies pages under a read lock
// (readers never block the WAL writer, so the bot keeps writing) and yields a consistent snapshot.
//
// A write by another connection between two steps restarts the copy. Steps are bounded so a big
// database does not block this process's event loop for long; if writes keep restarting it, the
// copy finishes in one step (one read snapshot, still not blocking writers in WAL mode).
//
// Each copy is switched out of WAL mode (a single self-contained file), checked with
// PRAGMA integrity_check opened read-only, then gzip-compressed by streaming and checksummed.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import Sqlite from "better-sqlite3";
import { BackupVerificationError, PARTIAL_SUFFIX, writeChecksum } from "./backup-files.ts";

/** Pages per backup step (4 KiB pages: 4 MiB), between which the event loop runs. */
const PAGES_PER_STEP = 1024;
/** Restarts (the source changed mid-copy) tolerated before finishing in one step. */
const MAX_RESTARTS = 3;

export interface SqliteCopyResult {
  pages: number;
  restarts: number;
}

/** Copies the live database `source` into a new file `dest` through the online backup API. */
export async function onlineCopy(
  source: string,
  dest: string,
  /** tests lower it to make a small database take many steps */
  pagesPerStep = PAGES_PER_STEP,
): Promise<SqliteCopyResult> {
  fs.rmSync(dest, { force: true });
  // read-write on purpose: a read-only connection cannot open a WAL database whose -shm file is
  // gone (the bot stopped); this connection only reads
  const db = new Sqlite(source, { fileMustExist: true, timeout: 10_000 });
  try {
    let restarts = 0;
    let lastRemaining = Infinity;
    const result = await db.backup(dest, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > lastRemaining) restarts++;
        lastRemaining = remainingPages;
        return restarts >= MAX_RESTARTS ? totalPages + 1 : pagesPerStep;
      },
    });
    // a single self-contained file: no -wal/-shm needed to open or move it
    const copy = new Sqlite(dest);
    try {
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    return { pages: result.totalPages, restarts };
  } finally {
    db.close();
  }
}

/** Runs PRAGMA integrity_check on `file` opened read-only; throws with SQLite's findings. */
export function checkIntegrity(file: string): void {
  let db: Sqlite.Database;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupVerificationError(`cannot open ${file} as SQLite: ${(e as Error).message}`);
  }
  try {
    const rows = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const findings = rows.map((r) => r.integrity_check);
    if (findings.length !== 1 || findings[0] !== "ok") {
      throw new BackupVerificationError(
        `integrity_check failed for ${file}: ${findings.slice(0, 5).join("; ")}`,
      );
    }
  } catch (e) {
    if (e instanceof BackupVerificationError) throw e;
    throw new BackupVerificationError(
      `integrity_check failed for ${file}: ${(e as Error).message}`,
    );
  } finally {
    db.close();
  }
}

export async function gzipFile(source: string, dest: string): Promise<void> {
  await pipeline(fs.createReadStream(source), createGzip({ level: 6 }), fs.createWriteStream(dest));
}

export async function gunzipFile(source: string, dest: string): Promise<void> {
  try {
    await pipeline(fs.createReadStream(source), createGunzip(), fs.createWriteStream(dest));
  } catch (e) {
    fs.rmSync(dest, { force: true });
    throw new BackupVerificationError(`cannot decompress ${source}: ${(e as Error).message}`);
  }
}

export interface SqliteBackupResult extends SqliteCopyResult {
  file: string;
  bytes: number;
  sha256: string;
}

/**
 * Backs up the SQLite database `source` to `target` (a ".db.gz" path): online copy, integrity
 * check, gzip, checksum. Nothing is left under `target` unless every step succeeded.
 */
export async function backupSqlite(
  source: string,
  target: string,
  pagesPerStep?: number,
): Promise<SqliteBackupResult> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const raw = `${target}.db${PARTIAL_SUFFIX}`;
  const gz = target + PARTIAL_SUFFIX;
  try {
    const copy = await onlineCopy(source, raw, pagesPerStep);
    checkIntegrity(raw);
    await gzipFile(raw, gz);
    fs.renameSync(gz, target);
    const sha256 = await writeChecksum(target);
    return { ...copy, file: target, bytes: fs.statSync(target).size, sha256 };
  } finally {
    for (const f of [raw, `${raw}-journal`, gz]) fs.rmSync(f, { force: true });
  }
}

/** Row counts of every table of a SQLite file, by name. */
export function sqliteTableCounts(file: string): Record<string, number> {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as Array<{ name: string }>;
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const row = db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as {
        n: number;
      };
      counts[name] = row.n;
    }
    return counts;
  } finally {
    db.close();
  }
}
