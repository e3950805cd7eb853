// B9 at a small size, so the benchmark cannot rot unnoticed: the app seeds users with running
// ma-cross instances, one cycle evaluates every instance's symbols on the new close without an
// error, /running is answered idle and while the cycle runs, and the result has the printed
// shape. The timings mean nothing here.
import { describe, expect, it } from "vitest";
import {
  b9Result,
  measureB9,
  normalizeSql,
  topStatements,
} from "../../../scripts/bench/b9-strategy-cycle.ts";
import { renderResult } from "../../../scripts/bench/index.ts";

describe("B9 strategy cycle bench (smoke size)", () => {
  it("evaluates every running instance on the new close and times /running around it", async () => {
    const f = await measureB9({ users: 2, instancesPerUser: 3, cycles: 1, idleCommands: 10 });
    // 2 users × 3 instances × 2 symbols, one new 1h close
    expect(f.evaluated).toBe(12);
    expect(f.errors).toBe(0);
    expect(f.cycles).toHaveLength(1);
    expect(f.cyclesWithCommands).toHaveLength(1);
    expect(f.cycleSeconds).toBeGreaterThan(0);
    expect(f.idle.count).toBe(10);
    expect(f.during.count).toBeGreaterThanOrEqual(1);
    expect(f.idle.p99).toBeGreaterThanOrEqual(f.idle.p50);
    expect(f.budgetMs).toBeCloseTo(2 * f.idle.p99 + 5, 9);
    // the cycle's statements are counted, the most repeated first
    expect(f.statements).toHaveLength(1);
    expect(f.statements[0]).toBeGreaterThan(0);
    expect(f.topStatements.length).toBeGreaterThan(0);
    const counts = f.topStatements.map((t) => t.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(f.statements[0]!);
    const result = b9Result(f);
    expect(result.summary).toMatch(/goal < 1 s: (met|missed)/);
    expect(result.summary).toMatch(/SQL statements per cycle: \d+/);
    const json = JSON.parse(renderResult(result, 1).split("\n").at(-1)!.slice(6)) as object;
    expect(json).toMatchObject({ id: "B9", sizes: { users: 2, instancesPerUser: 3 } });
  }, 120_000);

  it("counts statements that differ only by columns, parameters or list length as one", () => {
    expect(normalizeSql("SELECT a FROM t WHERE id IN (?,?,?) AND b = ?")).toBe(
      "SELECT … FROM t WHERE id IN (…) AND b = ?",
    );
    expect(
      normalizeSql("SELECT `main`.`t`.`a`\n  FROM `main`.`t` WHERE id IN ($1, $2) AND b = $3"),
    ).toBe("SELECT … FROM t WHERE id IN (…) AND b = ?");
    expect(topStatements(["SELECT 2", "SELECT 1 IN (?)", "SELECT 1 IN (?,?)"])).toEqual([
      { sql: "SELECT 1 IN (…)", count: 2 },
      { sql: "SELECT 2", count: 1 },
    ]);
  });
});
