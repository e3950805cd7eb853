// npm run db:seed — applies migrations and loads brokers and the built-in instrument list into
// the database DATABASE_URL points at (default: the embedded SQLite file).
import { openDatabase } from "../src/db/client.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { seedReferenceData } from "../src/db/seed.ts";
import { resolveDatabaseUrl } from "../src/db/url.ts";

const url = resolveDatabaseUrl(process.env.DATABASE_URL);
await applyMigrations(url);
const db = openDatabase(url);
try {
  const result = await seedReferenceData(db.prisma);
  console.log(`seeded ${result.brokers} brokers and ${result.instruments} instruments`);
} finally {
  await db.close();
}
