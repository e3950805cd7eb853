// Derives prisma/schema.postgres.prisma from prisma/schema.prisma (SQLite, the source of truth).
// What differs: the datasource provider, the generated client's folder, and exact decimals:
// a field written `String ... // @decimal` (TEXT on SQLite) becomes NUMERIC(38, 18) here.
// `npm run db:schema` writes the file; test/db/schema-sync.test.ts fails when it is stale.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SQLITE_SCHEMA = path.join(root, "prisma/schema.prisma");
export const POSTGRES_SCHEMA = path.join(root, "prisma/schema.postgres.prisma");

const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/db/pg-schema.ts (npm run db:schema).\n" +
  "// Do not edit: change prisma/schema.prisma and run `npm run db:schema`.\n\n";

const DECIMAL_FIELD = /^([ \t]+\w+[ \t]+)String(\?)?([ \t][^\n]*?)?[ \t]*\/\/ @decimal[ \t]*$/gm;

export function toPostgresSchema(source: string): string {
  let out = source.replace(/(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  out = out.replace(/(output\s*=\s*"[^"]*\/)sqlite"/, '$1postgres"');
  if (!out.includes('"postgresql"') || !out.includes('/postgres"')) {
    throw new Error("pg-schema: datasource provider or generator output not found");
  }
  out = out.replace(DECIMAL_FIELD, (_all, head: string, optional = "", rest = "") => {
    const attributes = rest.replace(/@default\("([-0-9.]+)"\)/, "@default($1)").trim();
    return `${head}Decimal${optional} @db.Decimal(38, 18)${attributes ? " " + attributes : ""}`;
  });
  if (/^[ \t]+\w+[ \t]+\S+[^\n]*\/\/ @decimal/m.test(out)) {
    throw new Error("pg-schema: a @decimal field was not converted");
  }
  return HEADER + out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.writeFileSync(POSTGRES_SCHEMA, toPostgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
  console.log(`wrote ${path.relative(root, POSTGRES_SCHEMA)}`);
}
