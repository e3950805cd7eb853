// The pieces of db:copy that need no database: the copy order (self-references and cycles), the
// canonical JSON text and the canonical value forms that make SQLite and PostgreSQL comparable.
import { describe, expect, it } from "vitest";
import type { SourceTable } from "../../src/db/copy/catalog.ts";
import { canonicalJson } from "../../src/db/copy/canonical-json.ts";
import { planCopy } from "../../src/db/copy/plan.ts";
import { canonicalPg, canonicalSqlite, toPgParam } from "../../src/db/copy/values.ts";

function table(
  name: string,
  refs: { column: string; to: string; notNull?: boolean }[] = [],
  primaryKey = ["id"],
): SourceTable {
  return {
    name,
    columns: ["id", ...refs.map((r) => r.column)],
    notNull: new Set(["id", ...refs.filter((r) => r.notNull).map((r) => r.column)]),
    primaryKey,
    foreignKeys: refs.map((r) => ({
      table: name,
      columns: [r.column],
      refTable: r.to,
      refColumns: ["id"],
    })),
  };
}

describe("copy plan", () => {
  it("puts every table after the tables it references, whatever order they come in", () => {
    const plan = planCopy([
      table("trades", [
        { column: "orderId", to: "orders" },
        { column: "portfolioId", to: "portfolios", notNull: true },
      ]),
      table("orders", [{ column: "portfolioId", to: "portfolios", notNull: true }]),
      table("portfolios", [{ column: "userId", to: "users", notNull: true }]),
      table("users", [{ column: "approvedById", to: "users" }]),
    ]);
    expect(plan.tables.map((t) => t.name)).toEqual(["users", "portfolios", "orders", "trades"]);
    expect(plan.deferred.map((fk) => `${fk.table}.${fk.columns[0]}`)).toEqual([
      "users.approvedById",
    ]);
  });

  it("breaks a cycle at a nullable key and refuses one made of NOT NULL keys only", () => {
    const plan = planCopy([
      table("a", [{ column: "bId", to: "b", notNull: true }]),
      table("b", [{ column: "aId", to: "a" }]),
      table("c", [{ column: "aId", to: "a", notNull: true }]),
    ]);
    expect(plan.tables.map((t) => t.name)).toEqual(["b", "a", "c"]);
    expect(plan.deferred.map((fk) => `${fk.table}.${fk.columns[0]}`)).toEqual(["b.aId"]);

    expect(() =>
      planCopy([
        table("a", [{ column: "bId", to: "b", notNull: true }]),
        table("b", [{ column: "aId", to: "a", notNull: true }]),
      ]),
    ).toThrow(/cycle with NOT NULL columns only.*a, b/);
    expect(() => planCopy([table("n", [{ column: "parentId", to: "n", notNull: true }])])).toThrow(
      /references its own table with NOT NULL/,
    );
    // a deferred key is set by primary key afterwards: without one there is no way
    expect(() => planCopy([table("n", [{ column: "parentId", to: "n" }], [])])).toThrow(
      /no primary key/,
    );
  });
});

describe("canonical JSON", () => {
  it("sorts keys, drops whitespace and normalizes numbers exactly", () => {
    expect(canonicalJson('{ "b": [1.50, 2e2, -0.0], "a": {"z": null, "y": true} }')).toBe(
      '{"a":{"y":true,"z":null},"b":[1.5,200,0]}',
    );
    // digits beyond a double's precision are kept, and a change in them is seen
    expect(canonicalJson('{"x": 12345678901234567890.123456789}')).toBe(
      '{"x":12345678901234567890.123456789}',
    );
    expect(canonicalJson('{"x": 12345678901234567890.123456788}')).not.toBe(
      canonicalJson('{"x": 12345678901234567890.123456789}'),
    );
    // PostgreSQL's jsonb text for the same document
    expect(canonicalJson('{"a": "é\\n\\u00e9", "bb": 1.0}')).toBe(
      canonicalJson('{"bb":1,"a":"é\\né"}'),
    );
    expect(() => canonicalJson('{"a": 1,}')).toThrow(SyntaxError);
    expect(() => canonicalJson("[1] 2")).toThrow(SyntaxError);
  });
});

describe("canonical values", () => {
  it("a SQLite value and its PostgreSQL copy have one canonical text", () => {
    const pairs: [Parameters<typeof canonicalSqlite>, Parameters<typeof canonicalPg>][] = [
      [
        ["decimal", "1.5"],
        ["decimal", "1.500000000000000000"],
      ],
      [
        ["decimal", "0"],
        ["decimal", "0.000000000000000000"],
      ],
      [
        ["decimal", "-0.000000000000000001"],
        ["decimal", "-0.000000000000000001"],
      ],
      [
        ["int", 12n],
        ["int", "12"],
      ],
      [
        ["bool", 1n],
        ["bool", "t"],
      ],
      [
        ["bool", 0n],
        ["bool", "f"],
      ],
      [
        ["timestamp", "2026-03-10T12:00:00.123+00:00"],
        ["timestamp", "2026-03-10 12:00:00.123"],
      ],
      [
        ["timestamp", "2026-03-10 12:00:00"],
        ["timestamp", "2026-03-10 12:00:00"],
      ],
      [
        ["timestamp", 1773144000123n],
        ["timestamp", "2026-03-10 12:00:00.123"],
      ],
      [
        ["timestamptz", "2026-03-10T13:00:00.5+01:00"],
        ["timestamptz", "2026-03-10 12:00:00.5+00"],
      ],
      [
        ["json", '{"b":1,"a":[true]}'],
        ["json", '{"a": [true], "b": 1}'],
      ],
      [
        ["bytes", Buffer.from([0, 255, 16])],
        ["bytes", "\\x00ff10"],
      ],
      [
        ["text", "Ünïcode"],
        ["text", "Ünïcode"],
      ],
    ];
    for (const [s, p] of pairs) {
      expect(canonicalSqlite(...s), JSON.stringify(p)).toBe(canonicalPg(...p));
    }
    expect(canonicalSqlite("decimal", null)).toBeNull();
    expect(canonicalPg("decimal", null)).toBeNull();
    // a last-digit difference stays a difference
    expect(canonicalSqlite("decimal", "1.000000000000000001")).not.toBe(
      canonicalPg("decimal", "1.000000000000000000"),
    );
  });

  it("sends PostgreSQL exact text: UTC wall time to the millisecond, decimals digit for digit", () => {
    expect(toPgParam("timestamp", "2026-03-10T13:00:00.007+01:00")).toBe("2026-03-10 12:00:00.007");
    expect(toPgParam("decimal", "123456789012345678.123456789012345678")).toBe(
      "123456789012345678.123456789012345678",
    );
    expect(toPgParam("bool", 0n)).toBe(false);
    expect(toPgParam("int", 9007199254740993n)).toBe("9007199254740993");
    expect(() => toPgParam("decimal", "12,5")).toThrow(/not a decimal/);
    expect(() => toPgParam("timestamp", "yesterday")).toThrow(/not a timestamp/);
    expect(() => toPgParam("json", "{oops}")).toThrow(SyntaxError);
  });
});
