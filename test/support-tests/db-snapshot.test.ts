// The database fingerprint the isolation tests rely on must cover every table: a model added to
// the schema and forgotten here would let a change slip past them unseen.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ALL_MODELS } from "../support/db-snapshot.ts";

describe("db-snapshot", () => {
  it("lists every model of the schema", () => {
    const schema = fs.readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
    const models = [...schema.matchAll(/^model (\w+) \{/gm)].map(
      (m) => m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1),
    );
    expect([...ALL_MODELS].sort()).toEqual(models.sort());
  });
});
