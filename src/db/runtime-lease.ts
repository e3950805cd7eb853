// "A bot is running on this database": each running app holds a lease file beside its SQLite
// database ("<db>.running-<pid>-<n>", JSON with pid, host and start time), written at start and
// removed at stop. Restore refuses while a lease of a live process exists, so a backup is never
// put under a running bot. A lease of a dead process (a crash, kill -9) is stale and ignored.
// Several leases may coexist: deciding which instance runs jobs is not this file's business.
// PostgreSQL needs no file: restore asks the server which sessions are connected.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isSqliteUrl, sqlitePath } from "./url.ts";

export interface LeaseInfo {
  file: string;
  pid: number;
  host: string;
  startedAt: string;
}

export interface RuntimeLease {
  readonly file: string | null;
  release(): void;
}

let seq = 0;

function leasePrefix(dbFile: string): string {
  return `${path.basename(dbFile)}.running-`;
}

/** Takes a lease on the database of `url` for this process (no-op for PostgreSQL, :memory:). */
export function holdRuntimeLease(url: string, now: Date = new Date()): RuntimeLease {
  if (!isSqliteUrl(url) || sqlitePath(url) === ":memory:") {
    return { file: null, release: () => undefined };
  }
  const db = path.resolve(sqlitePath(url));
  const file = path.join(path.dirname(db), `${leasePrefix(db)}${process.pid}-${++seq}`);
  const info = { pid: process.pid, host: os.hostname(), startedAt: now.toISOString() };
  fs.writeFileSync(file, JSON.stringify(info));
  // a crash leaves the file behind (harmless: its pid is dead); a normal exit removes it
  const onExit = () => fs.rmSync(file, { force: true });
  process.once("exit", onExit);
  return {
    file,
    release() {
      process.off("exit", onExit);
      fs.rmSync(file, { force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Leases on the SQLite database `dbFile` held by live processes. A lease from another host
 * cannot be checked and counts as live (the message names the file to delete if it is not).
 */
export function liveLeases(dbFile: string): LeaseInfo[] {
  const dir = path.dirname(path.resolve(dbFile));
  const prefix = leasePrefix(dbFile);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const live: LeaseInfo[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const file = path.join(dir, entry);
    let info: Partial<LeaseInfo>;
    try {
      info = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LeaseInfo>;
    } catch {
      continue; // being written or not ours
    }
    if (typeof info.pid !== "number") continue;
    const host = info.host ?? "";
    if (host === os.hostname() && !alive(info.pid)) continue;
    live.push({ file, pid: info.pid, host, startedAt: info.startedAt ?? "" });
  }
  return live;
}
