// Backup files on disk: "<name>-<UTC timestamp>.db.gz" (SQLite, gzip) or ".pgdump" (PostgreSQL,
// pg_dump's custom format, compressed by pg_dump itself), each with a "<file>.sha256" beside it
// in sha256sum's format, written last: a backup without its checksum file is incomplete (a crash
// mid-write) and is neither listed, restored nor counted as good. Work in progress is written
// under a ".partial" name and renamed when done.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";

export type BackupKind = "sqlite" | "postgres";

export const EXTENSION: Record<BackupKind, string> = { sqlite: ".db.gz", postgres: ".pgdump" };
export const CHECKSUM_SUFFIX = ".sha256";
export const PARTIAL_SUFFIX = ".partial";

export interface BackupFile {
  file: string;
  name: string;
  kind: BackupKind;
  takenAt: Date;
  bytes: number;
}

/** 2026-12-05T04:00:00.123Z → 20261205T040000123Z (sortable, safe in file names) */
export function stamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, "");
}

const NAME = /^(.+)-(\d{8}T\d{9}Z)(\.db\.gz|\.pgdump)$/;

export function parseBackupName(
  file: string,
): { name: string; takenAt: Date; kind: BackupKind } | null {
  const m = NAME.exec(path.basename(file));
  if (!m) return null;
  const s = m[2]!;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
  const takenAt = new Date(iso);
  if (Number.isNaN(takenAt.getTime())) return null;
  return { name: m[1]!, takenAt, kind: m[3] === ".pgdump" ? "postgres" : "sqlite" };
}

export function backupFileName(name: string, kind: BackupKind, at: Date): string {
  return `${name}-${stamp(at)}${EXTENSION[kind]}`;
}

/** Complete backups (with their checksum file) in `dir`, newest first; [] when no directory. */
export function listBackups(dir: string, name?: string): BackupFile[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (e) {
    // no folder yet, or something else in its place (the next backup run reports that)
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw e;
  }
  const present = new Set(entries);
  const out: BackupFile[] = [];
  for (const entry of entries) {
    const parsed = parseBackupName(entry);
    if (!parsed || (name && parsed.name !== name)) continue;
    if (!present.has(entry + CHECKSUM_SUFFIX)) continue;
    const file = path.join(dir, entry);
    out.push({ file, ...parsed, bytes: fs.statSync(file).size });
  }
  return out.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest("hex");
}

/** Writes "<hex>  <basename>\n" (sha256sum -c reads it) atomically beside `file`. */
export async function writeChecksum(file: string): Promise<string> {
  const hex = await sha256File(file);
  const target = file + CHECKSUM_SUFFIX;
  fs.writeFileSync(target + PARTIAL_SUFFIX, `${hex}  ${path.basename(file)}\n`);
  fs.renameSync(target + PARTIAL_SUFFIX, target);
  return hex;
}

export class BackupVerificationError extends Error {
  override name = "BackupVerificationError";
}

/** Throws unless `<file>.sha256` exists and matches the file's contents. */
export async function verifyChecksum(file: string): Promise<void> {
  let expected: string;
  try {
    expected =
      fs
        .readFileSync(file + CHECKSUM_SUFFIX, "utf8")
        .trim()
        .split(/\s+/)[0] ?? "";
  } catch {
    throw new BackupVerificationError(`no checksum file ${file}${CHECKSUM_SUFFIX}`);
  }
  const actual = await sha256File(file);
  if (!/^[0-9a-f]{64}$/.test(expected) || actual !== expected) {
    throw new BackupVerificationError(
      `checksum mismatch for ${file}: expected ${expected || "(none)"}, got ${actual}`,
    );
  }
}

/** Deletes a backup and its checksum file. */
export function deleteBackup(file: string): void {
  fs.rmSync(file + CHECKSUM_SUFFIX, { force: true });
  fs.rmSync(file, { force: true });
}

/** Removes leftovers of interrupted runs (".partial" files) older than `olderThanMs`. */
export function removeStalePartials(dir: string, now: Date, olderThanMs: number): number {
  let removed = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.endsWith(PARTIAL_SUFFIX)) continue;
    const file = path.join(dir, entry);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && now.getTime() - stat.mtimeMs > olderThanMs) {
      fs.rmSync(file, { force: true, recursive: true });
      removed++;
    }
  }
  return removed;
}
