// Looks for secrets where they must never be: every byte of a SQLite database (main file, WAL
// and shared-memory file), or every row of every table of a PostgreSQL database read back as text.
import fs from "node:fs";
import pg from "pg";
import type { TestDatabase } from "./db.ts";

/** Each needle with where it was found ("file.db", "table accounts", ...); empty: nowhere. */
export async function findInDatabase(
  tdb: TestDatabase,
  needles: readonly string[],
): Promise<Array<{ needle: string; where: string }>> {
  const hits: Array<{ needle: string; where: string }> = [];
  if (tdb.provider === "sqlite") {
    const file = tdb.url.replace(/^file:/, "");
    for (const part of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
      if (!fs.existsSync(part)) continue;
      const bytes = fs.readFileSync(part);
      for (const needle of needles) {
        // SQLite keeps text as UTF-8; look for UTF-16 too in case a column ever says otherwise
        if (
          bytes.includes(Buffer.from(needle, "utf8")) ||
          bytes.includes(Buffer.from(needle, "utf16le"))
        )
          hits.push({ needle, where: part });
      }
    }
    return hits;
  }
  const client = new pg.Client({ connectionString: tdb.url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    for (const { table_name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`,
      );
      const text = rows.rows.map((r) => r.row).join("\n");
      for (const needle of needles)
        if (text.includes(needle)) hits.push({ needle, where: `table ${table_name}` });
    }
  } finally {
    await client.end();
  }
  return hits;
}
