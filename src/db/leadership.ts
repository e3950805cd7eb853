// Process-wide leadership among instances sharing one database: exactly one instance runs the
// jobs (and exactly one long-polls Telegram), the others wait and take over when it is gone.
//
// - PostgreSQL: `pg_try_advisory_lock` on a dedicated connection held for the life of the process.
//   The server releases the lock when that session ends (process killed, connection cut), so a
//   dead leader never blocks the others; a leader that loses its connection stops leading at once.
// - SQLite: an exclusive transaction held open on a small lock database next to the data file
//   (`<file>.<name>.lock`). SQLite's locks are the operating system's file locks, which the kernel
//   drops when the holding process dies — no heartbeat or lease clock that could be wrong, and two
//   connections in one process contend the same way (SQLite tracks locks per file, not per
//   connection).
import fs from "node:fs";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl, sqlitePath } from "./url.ts";

export interface LeaderLock {
  /** what and where, for logs */
  readonly description: string;
  /** Tries once, without waiting. True when this process holds the lock (again or already). */
  tryAcquire(): Promise<boolean>;
  /** Whether the lock is held now; turns false when the holding session is lost. */
  held(): boolean;
  /** Called when a held lock is lost without release() (the database connection ended). */
  onLost(listener: () => void): void;
  release(): Promise<void>;
}

/** Lock names in use; each is a separate lock. */
export type LockName = "jobs" | "poller";

// Two-key form of the advisory lock: a constant namespace for TradeDesk and one key per name, so
// other applications on the same server are unlikely to collide.
const ADVISORY_NAMESPACE = 0x7d_e5_c0;
const ADVISORY_KEYS: Record<LockName, number> = { jobs: 1, poller: 2 };

export function openLeaderLock(url: string, name: LockName): LeaderLock {
  if (isPostgresUrl(url)) return new PostgresLeaderLock(url, name);
  const file = sqlitePath(url);
  if (file === ":memory:") return new ProcessLeaderLock(name);
  return new SqliteLeaderLock(`${path.resolve(file)}.${name}.lock`);
}

class PostgresLeaderLock implements LeaderLock {
  readonly description: string;
  private client: pg.Client | null = null;
  private holding = false;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly url: string,
    private readonly name: LockName,
  ) {
    this.description = `PostgreSQL advisory lock (${ADVISORY_NAMESPACE}, ${ADVISORY_KEYS[name]}) "${name}"`;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.holding) return true;
    if (!this.client) {
      const client = new pg.Client({
        connectionString: this.url,
        application_name: `tradedesk-${this.name}-lock`,
      });
      client.on("error", () => this.lost(client));
      client.on("end", () => this.lost(client));
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_lock($1, $2) AS ok",
      [ADVISORY_NAMESPACE, ADVISORY_KEYS[this.name]],
    );
    this.holding = rows[0]?.ok === true;
    return this.holding;
  }

  held(): boolean {
    return this.holding;
  }

  onLost(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The session is gone, and the server has released the lock with it. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    const was = this.holding;
    this.holding = false;
    if (was) for (const listener of this.listeners) listener();
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.holding = false;
    // ending the session releases the lock
    if (client) await client.end().catch(() => undefined);
  }
}

class SqliteLeaderLock implements LeaderLock {
  readonly description: string;
  private db: Sqlite.Database | null = null;

  constructor(private readonly file: string) {
    this.description = `lock file ${file}`;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.db) return true;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const db = new Sqlite(this.file, { timeout: 0 });
    try {
      // The lock is the exclusive lock of this transaction (rollback journal, so the file's own
      // lock, not a WAL index in shared memory); nothing is ever committed to the file.
      db.exec("CREATE TABLE IF NOT EXISTS leader (pid INTEGER)");
      db.exec("BEGIN EXCLUSIVE");
      this.db = db;
      return true;
    } catch (e) {
      db.close();
      if (isBusy(e)) return false;
      throw e;
    }
  }

  held(): boolean {
    return this.db !== null;
  }

  onLost(): void {
    // a file lock is lost only with the process
  }

  async release(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (!db) return;
    if (db.inTransaction) db.exec("ROLLBACK");
    db.close();
  }
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/** An in-memory database exists in one process only: the lock is a flag within it. */
class ProcessLeaderLock implements LeaderLock {
  private static readonly taken = new Set<string>();
  readonly description: string;
  private holding = false;
  constructor(private readonly name: LockName) {
    this.description = `in-process lock "${name}"`;
  }
  async tryAcquire(): Promise<boolean> {
    if (this.holding) return true;
    if (ProcessLeaderLock.taken.has(this.name)) return false;
    ProcessLeaderLock.taken.add(this.name);
    this.holding = true;
    return true;
  }
  held(): boolean {
    return this.holding;
  }
  onLost(): void {}
  async release(): Promise<void> {
    if (this.holding) ProcessLeaderLock.taken.delete(this.name);
    this.holding = false;
  }
}

export interface LeadershipOptions {
  /** how often a follower tries to take over (ms) */
  retryMs?: number;
  onChange?: (leader: boolean) => void;
  onError?: (err: unknown) => void;
}

/**
 * Keeps trying to hold a lock: the holder is the leader; followers retry every `retryMs` and take
 * over when the leader's session ends.
 */
export class Leadership {
  private timer: NodeJS.Timeout | null = null;
  private leader = false;
  private stopped = false;
  private attempt: Promise<void> | null = null;
  private readonly retryMs: number;

  constructor(
    readonly lock: LeaderLock,
    private readonly options: LeadershipOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 5_000;
    lock.onLost(() => this.set(false));
  }

  isLeader(): boolean {
    return this.leader && this.lock.held();
  }

  /** First attempt now (awaited), then every retryMs while following. */
  async start(): Promise<boolean> {
    this.stopped = false;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.retryMs);
    this.timer.unref();
    return this.leader;
  }

  private tick(): Promise<void> {
    if (this.stopped || this.attempt) return this.attempt ?? Promise.resolve();
    this.attempt = (async () => {
      try {
        this.set(await this.lock.tryAcquire());
      } catch (err) {
        this.set(false);
        this.options.onError?.(err);
      } finally {
        this.attempt = null;
      }
    })();
    return this.attempt;
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.options.onChange?.(leader);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.attempt;
    await this.lock.release();
    this.set(false);
  }
}
