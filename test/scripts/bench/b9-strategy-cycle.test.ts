// B9 at a small size, so the benchmark cannot rot unnoticed: the app seeds users with running
// ma-cross instances, one cycle evaluates every instance's symbols on the new close without an
// error, /running is answered idle and while the cycle runs, and the result has the printed
// shape. The timings mean nothing here.
import { describe, expect, it } from "vitest";
import { b9Result, measureB9 } from "../../../scripts/bench/b9-strategy-cycle.ts";
import { renderResult } from "../../../scripts/bench/index.ts";

describe("B9 strategy cycle bench (smoke size)", () => {
  it("evaluates every running instance on the new close and times /running around it", async () => {
    const f = await measureB9({ users: 2, instancesPerUser: 3, cycles: 1, idleCommands: 10 });
    // 2 users × 3 instances × 2 symbols, one new 1h close
    expect(f.evaluated).toBe(12);
    expect(f.errors).toBe(0);
    expect(f.cycles).toHaveLength(1);
    expect(f.cycleSeconds).toBeGreaterThan(0);
    expect(f.idle.count).toBe(10);
    expect(f.during.count).toBeGreaterThanOrEqual(1);
    expect(f.idle.p99).toBeGreaterThanOrEqual(f.idle.p50);
    expect(f.budgetMs).toBeCloseTo(2 * f.idle.p99 + 5, 9);
    const result = b9Result(f);
    expect(result.summary).toMatch(/goal < 1 s: (met|missed)/);
    const json = JSON.parse(renderResult(result, 1).split("\n").at(-1)!.slice(6)) as object;
    expect(json).toMatchObject({ id: "B9", sizes: { users: 2, instancesPerUser: 3 } });
  }, 120_000);
});
