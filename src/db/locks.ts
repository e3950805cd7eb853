// Row locks for read-modify-write sequences inside a transaction. PostgreSQL takes a real row
// lock (SELECT ... FOR UPDATE) so concurrent writers queue; SQLite needs none, because the
// connection runs one transaction at a time (src/db/sqlite-adapter.ts) and other processes are
// kept out by SQLite's own write lock.
import type { Provider, Tx } from "./client.ts";

const LOCKABLE = new Set(["accounts", "portfolios", "orders", "users", "paper_orders"]);

export async function lockRow(
  tx: Tx,
  provider: Provider,
  table: string,
  id: number,
): Promise<void> {
  if (provider !== "postgres") return;
  if (!LOCKABLE.has(table)) throw new Error(`lockRow: ${table} is not lockable`);
  await tx.$queryRawUnsafe(`SELECT id FROM "${table}" WHERE id = $1 FOR UPDATE`, id);
}
