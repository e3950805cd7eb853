// B2 at a tiny size, so the benchmark cannot rot unnoticed: the production bot builds, seeds its
// positions by fills, answers every /positions update in full (not "slow down", not an error),
// and the result has the shape the harness prints. The figures themselves mean nothing here.
import { describe, expect, it } from "vitest";
import {
  GOAL_FACTOR,
  GOAL_SLACK_MS,
  b2Result,
  measureB2,
} from "../../../scripts/bench/b2-positions-latency.ts";
import { renderResult } from "../../../scripts/bench/index.ts";

describe("B2 /positions latency bench (smoke size)", () => {
  it("measures the app and the bare bot and prints the goal against the baseline", async () => {
    const m = await measureB2({ updates: 20, warmup: 3, positions: 3, users: 2 });
    expect(m).toMatchObject({ updates: 20, warmup: 3, positions: 3, users: 2 });
    for (const l of [m.app, m.crowd, m.bare]) {
      expect(l.p50).toBeGreaterThan(0);
      expect(l.p99).toBeGreaterThanOrEqual(l.p50);
      expect(l.max).toBeGreaterThanOrEqual(l.p99);
      expect(l.mean).toBeGreaterThan(0);
    }
    expect(m.budgetMs).toBeCloseTo(GOAL_FACTOR * m.bare.p99 + GOAL_SLACK_MS, 9);
    expect(m.passed).toBe(m.app.p99 <= m.budgetMs && m.crowd.p99 <= m.budgetMs);
    expect(m.p99Ratio).toBeCloseTo(m.app.p99 / m.bare.p99, 9);
    // the SQL of one update is captured and listed: one instance keeps the user, their session
    // and their portfolio between updates (nothing wrote them), so only the positions are read
    expect(m.statements.list.length).toBe(m.statements.max);
    expect(m.statements.list).toEqual([expect.stringMatching(/FROM positions\b/)]);

    const result = b2Result(m);
    expect(result.id).toBe("B2");
    expect(result.table?.columns).toEqual(["bot", "p50 ms", "p99 ms", "mean ms", "max ms"]);
    expect(result.table?.rows.map((r) => r[0])).toEqual([
      "TradeDesk /positions",
      "… 2 users in turn",
      "bare grammY reply",
      "app / bare",
    ]);
    expect(result.summary).toMatch(/Goal p99 ≤ 2 × .* \+ 5 ms = .*: (met|missed)/);
    expect(result.summary).toMatch(/Flood limit raised for the run/);
    expect(result.summary).toMatch(/SQL per \/positions update: 1 statement \(/);
    const out = renderResult(result, 1);
    const json = JSON.parse(out.split("\n").at(-1)!.slice("BENCH ".length)) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      id: "B2",
      sizes: { updates: 20, warmup: 3, positions: 3, users: 2 },
    });
    expect(json).toHaveProperty("crowd.p99");
    expect(json).toHaveProperty("app.p99");
    expect(json).toHaveProperty("bare.p99");
  });
});
