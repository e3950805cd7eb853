// The two views of the database an attack is checked against: the whole of it (every table's rows
// and checksum, test/support/db-snapshot.ts) minus the attacker's own session rows — his drafts
// and conversation steps, his scratch space, which /cancel empties again — and the victim's rows
// alone, row by row.
import { createHash } from "node:crypto";
import { type Harness } from "../../support/app-harness.ts";
import { type TableFingerprint, fingerprint } from "../../support/db-snapshot.ts";
import { idsOwnedBy } from "./two-traders.ts";

export async function wholeDatabase(
  h: Harness,
  attackerChatId: number,
): Promise<Record<string, TableFingerprint>> {
  const all = await fingerprint(h.db.db);
  const own = [String(attackerChatId), `conv:${attackerChatId}`];
  const sessions = await h.db.db.prisma.session.findMany({ orderBy: { key: "asc" } });
  const others = sessions.filter((s) => !own.some((k) => s.key === k || s.key.startsWith(`${k}:`)));
  all.session = {
    rows: others.length,
    checksum: createHash("sha256").update(JSON.stringify(others)).digest("hex").slice(0, 16),
  };
  return all;
}

/** Every row the victim owns (and how many), hashed per table. */
export async function victimRows(h: Harness, userId: number): Promise<Record<string, string>> {
  const ids = await idsOwnedBy(h, userId);
  const out: Record<string, string> = {};
  const prisma = h.db.db.prisma as unknown as Record<
    string,
    { findMany(args: unknown): Promise<unknown[]> }
  >;
  for (const [table, list] of Object.entries(ids)) {
    const rows = await prisma[table]!.findMany({
      where: { id: { in: list } },
      orderBy: { id: "asc" },
    });
    out[table] = createHash("sha256")
      .update(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)))
      .digest("hex")
      .slice(0, 16);
  }
  return out;
}

/** The database once the bot is done: the same fingerprint twice in a row, 100 ms apart. */
export async function settled<T>(h: Harness, read: () => Promise<T>): Promise<T> {
  await h.twin.waitForIdle({ quietMs: 100 });
  let last = JSON.stringify(await read());
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await read();
    if (JSON.stringify(now) === last) return now;
    last = JSON.stringify(now);
  }
}
