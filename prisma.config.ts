import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { isPostgresUrl, resolveDatabaseUrl } from "./src/db/url.ts";

// DATABASE_URL picks the provider: file:... is SQLite (the embedded default), postgres(ql)://...
// is PostgreSQL. Each provider has its own schema file (the PostgreSQL one is generated from
// prisma/schema.prisma) and its own migrations folder, because the lock file pins the provider.
const url = resolveDatabaseUrl(process.env.DATABASE_URL);
const pg = isPostgresUrl(url);

// No native schema-engine download: the CLI spawns this Node stand-in, which runs
// @prisma/schema-engine-wasm on the driver adapters. It is spawned directly: keep it executable.
const shim = path.join(import.meta.dirname, "scripts/db/schema-engine.mjs");
try {
  fs.accessSync(shim, fs.constants.X_OK);
} catch {
  fs.chmodSync(shim, 0o755);
}
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= shim;

export default defineConfig({
  schema: pg ? "prisma/schema.postgres.prisma" : "prisma/schema.prisma",
  migrations: { path: pg ? "prisma/migrations-postgres" : "prisma/migrations" },
  datasource: { url },
});
