// PostgreSQL connections dropped under load: traders buy through the bot while every connection
// to the test's database (the app's pool, its leadership and poller locks) is terminated again
// and again with pg_terminate_backend — what a server restart does to a client, without
// restarting the server other test runs share. A command that meets a dropped connection gets
// the short apology, nothing committed is lost, and once the drops stop the bot works again
// without a restart: commands, the jobs (their leader lock taken again) and the outbox.
import { afterAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../support/app-harness.ts";
import { approvedTrader } from "../../support/e2e-trader.ts";
import { adminQuery } from "../../support/postgres.ts";
import { recordOutcome } from "../support/figures.ts";
import { type Outcome, buyThroughBot, expectNothingLost, orderIds } from "./fault-support.ts";

const ROUNDS = Number(process.env.PG_FAULT_ROUNDS ?? 4);

let h: Harness | null = null;
afterAll(async () => {
  await h?.stop();
});

describe("PostgreSQL faults", () => {
  it("connections dropped while traders buy: apologies at most, nothing lost, then it works", async () => {
    // a failed check counts one failure (the orders it then finds missing are in its message)
    recordOutcome({
      category: "crash: PostgreSQL connections dropped under load",
      db: "postgres",
      attempts: 1,
      unit: "scenarios",
    });
    h = await startHarness({ provider: "postgres", env: { LEADER_RETRY_SECONDS: "1" } });
    const app = h;
    const name = new URL(app.db.url).pathname.slice(1);
    const traders = await Promise.all(
      [700401, 700402, 700403].map((id, i) =>
        approvedTrader(app, { telegramId: id, firstName: `P${i}` }),
      ),
    );
    let dropping = true;
    let dropped = 0;
    const dropper = (async () => {
      while (dropping) {
        const rows = await adminQuery<{ ok: boolean }>(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        dropped += rows.filter((r) => r.ok).length;
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 250));
      }
    })();
    const during = (
      await Promise.all(
        traders.map(async (t) => {
          const outcomes: Outcome[] = [];
          for (let i = 0; i < ROUNDS; i++) outcomes.push(await buyThroughBot(app, t));
          return outcomes;
        }),
      )
    ).flat();
    dropping = false;
    await dropper;
    expect(dropped).toBeGreaterThan(0);

    // back to normal by itself: every trader's next buy fills, and its notice is delivered
    const after = await Promise.all(traders.map((t) => buyThroughBot(app, t)));
    expect(after.map((o) => o.kind)).toEqual(["filled", "filled", "filled"]);
    // orders saved but not sent when their connection dropped are sent by the sync job
    await expectNothingLost(app, orderIds([...during, ...after]));
    // the jobs' leader lock, lost with its connection, is taken again
    await app.twin.waitFor(() => (app.app.leadership.isLeader() ? true : undefined), {
      timeoutMs: 15_000,
      description: "the jobs' leadership taken again",
    });
    const count = (kind: Outcome["kind"]) => during.filter((o) => o.kind === kind).length;
    console.log(
      `postgres fault (${dropped} connections dropped during ${during.length} buys): ` +
        `${count("filled")} filled, ${count("deferred")} sent later by the sync job, ` +
        `${count("apology")} apologies, 0 lost; then 3 of 3 filled`,
    );
  }, 180_000);
});
