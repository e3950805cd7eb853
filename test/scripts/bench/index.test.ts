// The benchmark harness: module discovery and selection by id, the module contract check, and
// the printed result (table, summary, PASS/FAIL and one JSON line).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  discoverBenchmarks,
  loadBenchmark,
  renderResult,
  selectBenchmarks,
} from "../../../scripts/bench/index.ts";
import { formatTable } from "../../../scripts/bench/support.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-bench-harness-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("bench harness", () => {
  it("discovers b<digits>-*.ts modules in id order and nothing else", () => {
    for (const name of [
      "b10-late.ts",
      "b2-two.ts",
      "support.ts",
      "b3.ts",
      "b4-x.js",
      "raw-b5-y.ts",
    ]) {
      fs.writeFileSync(path.join(tmp, name), "export default {};\n");
    }
    expect(discoverBenchmarks(tmp).map((b) => [b.id, path.basename(b.file)])).toEqual([
      ["B2", "b2-two.ts"],
      ["B10", "b10-late.ts"],
    ]);
  });

  it("finds the project's benchmarks, each honouring the module contract", async () => {
    const found = discoverBenchmarks();
    expect(found.map((b) => b.id)).toEqual(expect.arrayContaining(["B1", "B4"]));
    for (const entry of found) {
      const bench = await loadBenchmark(entry);
      expect(bench.id).toBe(entry.id);
      expect(typeof bench.title).toBe("string");
    }
  });

  it("selects by id in any spelling and names an unknown one", () => {
    const all = [
      { id: "B1", file: "b1-a.ts" },
      { id: "B4", file: "b4-b.ts" },
      { id: "B6", file: "b6-c.ts" },
    ];
    expect(selectBenchmarks(all, [])).toEqual(all);
    expect(selectBenchmarks(all, ["b4", "1"]).map((b) => b.id)).toEqual(["B1", "B4"]);
    expect(() => selectBenchmarks(all, ["B9"])).toThrow(
      /unknown benchmark B9; available: B1, B4, B6/,
    );
  });

  it("refuses a module that does not export the contract", async () => {
    const file = path.join(tmp, "b7-broken.ts");
    fs.writeFileSync(
      file,
      'export default { id: "B8", title: "wrong id", run: async () => ({}) };\n',
    );
    await expect(loadBenchmark({ id: "B7", file })).rejects.toThrow(
      /must export default \{ id: "B7"/,
    );
  });

  it("prints a table, the summary, PASS/FAIL and one JSON line", () => {
    const out = renderResult(
      {
        id: "B9",
        title: "Example",
        passed: false,
        summary: "ratio 0.31 (goal ≥ 0.40)",
        table: {
          columns: ["database", "fills/s"],
          rows: [
            ["sqlite", 2500],
            ["postgres", 310],
          ],
        },
        extra: { ratio: 0.31 },
      },
      1.25,
    );
    const lines = out.split("\n");
    expect(lines[0]).toBe("B9 — Example");
    expect(out).toContain(
      "database  fills/s\n────────  ───────\nsqlite       2500\npostgres      310",
    );
    expect(out).toContain("ratio 0.31 (goal ≥ 0.40)\nFAIL (1.3 s)");
    const json = lines.at(-1)!;
    expect(json.startsWith("BENCH ")).toBe(true);
    expect(JSON.parse(json.slice(6))).toMatchObject({
      id: "B9",
      passed: false,
      extra: { ratio: 0.31 },
    });
  });

  it("aligns text left and numbers right", () => {
    expect(
      formatTable({
        columns: ["a", "n"],
        rows: [
          ["xx", 1],
          ["y", 100],
        ],
      }),
    ).toBe("a     n\n──  ───\nxx    1\ny   100");
  });
});
