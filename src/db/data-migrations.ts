// One-time data migrations that run in code right after `prisma migrate deploy` (src/app.ts), for
// what SQL cannot do exactly on both databases (sums of SQLite's TEXT decimals). A SQL migration
// queues one by inserting its name into data_migrations; this runs each queued one in a
// transaction that also stamps doneAt, so it runs once, and a crash midway leaves it queued to run
// again from the start. On PostgreSQL the row is locked, so two instances starting together do
// not both run it.
import { repairCashChains } from "../domain/cash/cash-chains.ts";
import type { Database, Provider, Tx } from "./client.ts";
import { Prisma } from "./client.ts";

type DataMigration = (tx: Tx, provider: Provider) => Promise<unknown>;

export const DATA_MIGRATIONS: Readonly<Record<string, DataMigration>> = {
  // 20261204185538_cash_per_portfolio: running balances chain per (portfolio, currency)
  "cash-per-portfolio-chains": (tx, provider) => repairCashChains(tx, provider),
};

/** Runs the queued data migrations; returns the names of those it ran. */
export async function runDataMigrations(database: Database): Promise<string[]> {
  const { prisma, provider } = database;
  const queued = await prisma.$queryRaw<{ name: string }[]>`
    SELECT name FROM data_migrations WHERE "doneAt" IS NULL ORDER BY name`;
  const ran: string[] = [];
  for (const { name } of queued) {
    const migrate = DATA_MIGRATIONS[name];
    if (!migrate)
      throw new Error(`unknown data migration "${name}": is this build older than the database?`);
    const done = await prisma.$transaction(
      async (tx) => {
        const lock = provider === "postgres" ? Prisma.sql`FOR UPDATE` : Prisma.empty;
        const rows = await tx.$queryRaw<{ pending: number | bigint | boolean }[]>`
          SELECT CASE WHEN "doneAt" IS NULL THEN 1 ELSE 0 END AS pending
          FROM data_migrations WHERE name = ${name} ${lock}`;
        if (!rows[0] || Number(rows[0].pending) !== 1) return false;
        await migrate(tx, provider);
        await tx.$executeRaw`UPDATE data_migrations SET "doneAt" = ${new Date()} WHERE name = ${name}`;
        return true;
      },
      // a one-time pass over the whole ledger: give it time
      { maxWait: 60_000, timeout: 30 * 60_000 },
    );
    if (done) ran.push(name);
  }
  return ran;
}
