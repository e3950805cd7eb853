// The JobScheduler on node-cron, under fake time: every job the app registers runs on the interval
// its table in the README promises (counted over several intervals, so a wrong pattern fails),
// a slow run never overlaps the next one, a failing run does not stop the schedule, and nothing
// runs while another instance leads.
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { INSTRUMENT_SYNC_PATTERN } from "../../src/jobs/instrument-sync.ts";
import { JobScheduler } from "../../src/jobs/scheduler.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

const silent = pino({ level: "silent" });

/** The interval of each job, as the README's table states it. */
const EXPECTED_MS: Record<string, number> = {
  "order-sync": 2_000,
  alerts: 20_000,
  "risk-watch": 60_000,
  "schedule-runner": 60_000,
  "strategy-runner": 10_000,
  backup: 60_000,
  maintenance: 60_000,
  retention: 3_600_000,
  "pnl-checkpoints": 3_600_000,
};

let db: TestDatabase;
let app: App;
beforeAll(async () => {
  db = await createTestDatabase("sqlite");
  app = await createApp(
    loadConfig({
      BOT_TOKEN: "123456:TEST-TOKEN-abcdefgh",
      ADMIN_TELEGRAM_IDS: "1",
      DATABASE_URL: db.url,
      LOG_LEVEL: "silent",
    }),
    { logger: silent, migrate: false, botInfo: undefined },
  );
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe("the app's jobs", () => {
  it("are exactly the documented ones", () => {
    expect(
      app.jobs
        .status()
        .map((j) => j.name)
        .sort(),
    ).toEqual(Object.keys(EXPECTED_MS).sort());
  });

  // instrument-sync is added only with a live market data source (not in this app): its pattern
  // is taken from its module, the interval from the README (hourly retry of a daily refresh)
  const cases: Array<[string, number, () => string]> = [
    ...Object.entries(EXPECTED_MS).map(([name, everyMs]): [string, number, () => string] => [
      name,
      everyMs,
      () => app.jobs.status().find((j) => j.name === name)!.pattern,
    ]),
    ["instrument-sync", 3_600_000, () => INSTRUMENT_SYNC_PATTERN],
  ];

  describe.each(cases)("%s", (name, everyMs, patternOf) => {
    beforeEach(() => {
      vi.useFakeTimers({ now: new Date("2026-03-10T12:00:00.000Z") });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it(`runs every ${everyMs / 1000} s`, async () => {
      const pattern = patternOf();
      const runs: number[] = [];
      const jobs = new JobScheduler(silent);
      jobs.add({ name, pattern, run: async () => void runs.push(Date.now()) });
      jobs.start();
      const intervals = 5;
      await vi.advanceTimersByTimeAsync(everyMs * intervals + 500);
      await jobs.stop();
      // one run per interval, each exactly one interval after the last
      expect(runs).toHaveLength(intervals);
      for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBe(everyMs);
      expect(jobs.status()[0]).toMatchObject({ name, intervalMs: everyMs, runs: intervals });
    });
  });
});

describe("JobScheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-03-10T12:00:00.000Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("never overlaps a slow run with the next one", async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const jobs = new JobScheduler(silent);
    jobs.add({
      name: "slow",
      pattern: "* * * * * *",
      run: async () => {
        active++;
        most = Math.max(most, active);
        runs++;
        await new Promise((r) => setTimeout(r, 2_500));
        active--;
      },
    });
    jobs.start();
    await vi.advanceTimersByTimeAsync(10_500);
    // stop waits for the run in progress, whose sleep is on the fake clock too
    const stopping = jobs.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    await stopping;
    expect(most).toBe(1);
    // a run every second would be 10; a run takes 2.5 s, so the ticks inside it are skipped
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBeLessThanOrEqual(4);
  });

  it("never overlaps runNow with a beat: a beat inside it is skipped, runNow waits for a beat", async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const jobs = new JobScheduler(silent);
    jobs.add({
      name: "slow",
      pattern: "* * * * * *",
      run: async () => {
        active++;
        most = Math.max(most, active);
        runs++;
        await new Promise((r) => setTimeout(r, 1_300));
        active--;
      },
    });
    jobs.start();
    // the beat at 12:00:01 starts a run (until 2.3 s); runNow asked inside it waits for it
    await vi.advanceTimersByTimeAsync(1_200);
    expect(runs).toBe(1);
    let nowDone = false;
    const now = jobs.runNow("slow").then(() => (nowDone = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
    expect(nowDone).toBe(false);
    // runNow's own run starts at 2.3 s (the beat at 2 s was skipped inside the first run)
    await vi.advanceTimersByTimeAsync(600);
    expect(runs).toBe(2);
    // and ends at 3.6 s: the beat at 3 s fell inside it and was skipped
    await vi.advanceTimersByTimeAsync(1_000);
    await now;
    expect(nowDone).toBe(true);
    expect(runs).toBe(2);
    // two runNow at once run one after the other
    const both = Promise.all([jobs.runNow("slow"), jobs.runNow("slow")]);
    await vi.advanceTimersByTimeAsync(6_000);
    await both;
    expect(runs).toBeGreaterThanOrEqual(4);
    const stopping = jobs.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    await stopping;
    expect(most).toBe(1);
  });

  it("keeps running after a failed run and records the failure", async () => {
    let n = 0;
    const jobs = new JobScheduler(silent);
    jobs.add({
      name: "flaky",
      pattern: "* * * * * *",
      run: async () => {
        if (++n === 1) throw new Error("boom");
      },
    });
    jobs.start();
    await vi.advanceTimersByTimeAsync(3_500);
    await jobs.stop();
    const [status] = jobs.status();
    expect(status).toMatchObject({ runs: 3, failures: 1, lastError: null });
  });

  it("runs nothing while another instance leads, and resumes when it leads", async () => {
    let leader = false;
    let runs = 0;
    const jobs = new JobScheduler(silent, { isLeader: () => leader });
    jobs.add({ name: "tick", pattern: "* * * * * *", run: async () => void runs++ });
    jobs.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(runs).toBe(0);
    leader = true;
    await vi.advanceTimersByTimeAsync(3_000);
    await jobs.stop();
    expect(runs).toBe(3);
  });

  it("refuses a bad pattern when the job is added", () => {
    const jobs = new JobScheduler(silent);
    expect(() => jobs.add({ name: "bad", pattern: "61 * * * *", run: async () => {} })).toThrow();
  });
});
