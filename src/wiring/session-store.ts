// The bot's session and conversation storage on the database's session table, in the format of
// @grammyjs/storage-prisma, which it replaces (one row per key, the value as JSON text), so the
// rows already stored read the same. Per update it saves statements (see sessionPrefetch):
// - the update's keys (its session and its stored conversation) are read in one statement;
// - a write that would store what this update read is skipped, unless the row is older than
//   SESSION_REFRESH_MS: retention prunes rows not written for RETAIN_SESSIONS_DAYS (at least a
//   day), so a session in use is still rewritten now and then. Skipping is also safe with several
//   instances on one database: storing unchanged data could only overwrite another instance's
//   newer write.
// - with one instance (DomainContext.writes set), the prefetched rows are kept between updates
//   until the session table is written (src/db/read-cache.ts).
// Outside a prefetch (keys it did not name) it reads and writes like the plain adapter.
import type { StorageAdapter } from "grammy";
import type { Db } from "../db/client.ts";
import { ReadCache } from "../db/read-cache.ts";
import type { WriteTracker } from "../db/write-tracker.ts";
import type { UpdateScopedStorage } from "../bot/middlewares/session-prefetch.ts";

/** An unchanged session is rewritten when its row is older than this (retention's floor: a day). */
export const SESSION_REFRESH_MS = 60 * 60 * 1000;

interface SessionRow {
  key: string;
  value: string;
  updatedAt: Date;
}

/** A row as this update saw it (value null: there was none). */
interface Seen {
  value: string | null;
  updatedAt: Date | null;
  /** the prefetch it belongs to: only that one's release() drops it */
  scope: object;
}

export class SessionStore implements StorageAdapter<unknown>, UpdateScopedStorage {
  private readonly seen = new Map<string, Seen>();
  /** the prefetched rows, kept between updates until the sessions table is written */
  private readonly rows: ReadCache<SessionRow[]>;

  /** @param writes the database's write tracker when this process is its only writer */
  constructor(
    private readonly sessions: Db["session"],
    private readonly now: () => number = Date.now,
    writes?: WriteTracker,
  ) {
    this.rows = new ReadCache(writes ?? null, ["sessions"], now);
  }

  async prefetch(keys: readonly string[]): Promise<() => void> {
    const scope = {};
    const rows = await this.rows.get(keys.join("\n"), () =>
      this.sessions.findMany({
        where: { key: { in: [...keys] } },
        select: { key: true, value: true, updatedAt: true },
      }),
    );
    for (const key of keys) {
      const row = rows.find((r) => r.key === key);
      this.seen.set(key, { value: row?.value ?? null, updatedAt: row?.updatedAt ?? null, scope });
    }
    return () => {
      for (const key of keys) if (this.seen.get(key)?.scope === scope) this.seen.delete(key);
    };
  }

  async read(key: string): Promise<unknown> {
    const seen = this.seen.get(key);
    const value = seen
      ? seen.value
      : ((await this.sessions.findUnique({ where: { key } }))?.value ?? null);
    return value ? (JSON.parse(value) as unknown) : undefined;
  }

  async write(key: string, data: unknown): Promise<void> {
    const value = JSON.stringify(data);
    const seen = this.seen.get(key);
    if (
      seen?.value === value &&
      seen.updatedAt &&
      this.now() - seen.updatedAt.getTime() < SESSION_REFRESH_MS
    ) {
      return;
    }
    await this.sessions.upsert({ where: { key }, create: { key, value }, update: { value } });
    if (seen) this.seen.set(key, { ...seen, value, updatedAt: new Date(this.now()) });
  }

  async delete(key: string): Promise<void> {
    const seen = this.seen.get(key);
    if (seen?.value === null) return;
    await this.sessions.delete({ where: { key } }).catch((err: unknown) => {
      // already gone (another instance, or retention)
      if ((err as { code?: string } | null)?.code !== "P2025") throw err;
    });
    if (seen) this.seen.set(key, { ...seen, value: null, updatedAt: null });
  }
}
