// The schedule runner on SQLite and PostgreSQL, on a fixed clock:
// - 09:00 local stays 09:00 local across daylight-saving changes (Berlin, New York);
// - two runners on separate connections running at once fire each due time exactly once, and a
//   restarted runner fires nothing again;
// - after downtime exactly one missed run is caught up, and the report says so;
// - a report that cannot be built is replaced by an explanation, once; an inactive owner gets
//   nothing.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { ChatService } from "../../src/domain/notifications/chat-service.ts";
import type { Actor } from "../../src/domain/users/actor.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import { type TestWorld, paperPortfolio } from "../support/fixtures.ts";
import { userWithPrivateChat } from "../domain/notifications/support.ts";
import { futureDayStart } from "../domain/reports/support.ts";
import { type RunnerWorld, runnerOn } from "../domain/schedules/runner-support.ts";
import type { ScheduleRunSummary } from "../../src/domain/schedules/schedule-runner.ts";
import { useTestWorld } from "../support/test-world.ts";

const run = promisify(execFile);
const RUNNER_PROCESS = path.resolve("test/domain/schedules/runner-process.ts");

const HOUR = 3_600_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(PROVIDERS)("ScheduleRunner on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let chats: ChatService;
  let main: RunnerWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    chats = new ChatService(world.services.ctx);
    main = runnerOn(tdb.db, world.clock, new Date("2026-01-01T00:00:00Z"));
  });
  // every test starts with no schedules: a runner fires whatever is due in the database
  afterEach(async () => {
    await tdb.db.prisma.schedule.deleteMany({});
  });

  async function owner(name: string, zone: string, cash = "0") {
    const person = await userWithPrivateChat(world, chats, name);
    const user = await world.services.users.updateSettings(person.actor, { timeZone: zone });
    const actor: Actor = toActor(user);
    const portfolio = await paperPortfolio(world, actor, { name: `${name} book`, cash });
    return { ...person, actor, portfolio };
  }

  const rowsOf = (scheduleId: number) =>
    tdb.db.prisma.notificationOutbox.findMany({
      where: { dedupeKey: { startsWith: `schedule:${scheduleId}:` } },
      orderBy: { id: "asc" },
    });
  const dueTimes = async (scheduleId: number) =>
    (await rowsOf(scheduleId)).map((r) => r.dedupeKey.split(":").slice(2).join(":"));

  /** Runs the runner every hour, five seconds past, from `from` to `to` (inclusive). */
  async function tickHourly(runner: RunnerWorld, from: string, to: string): Promise<void> {
    for (let t = Date.parse(from) + 5000; t <= Date.parse(to); t += HOUR) {
      world.clock.set(t);
      await runner.runner.runOnce(new Date(t));
    }
  }

  it("fires 09:00 Berlin and 09:00 New York every day across the spring changes", async () => {
    world.clock.set("2026-03-05T23:00:00Z");
    const berlin = await owner("Berta", "Europe/Berlin");
    const ny = await owner("Nate", "America/New_York");
    const make = (o: typeof berlin) =>
      main.schedules.create(o.actor, {
        name: "Daily",
        target: { kind: "PORTFOLIO_SUMMARY", portfolioId: o.portfolio.id },
        when: { cron: "0 9 * * *" },
      });
    const sb = await make(berlin);
    const sn = await make(ny);
    await tickHourly(main, "2026-03-06T00:00:00Z", "2026-03-10T23:00:00Z"); // US change on the 8th
    await tickHourly(main, "2026-03-27T00:00:00Z", "2026-03-31T23:00:00Z"); // EU change on the 29th

    expect(await dueTimes(sn.id)).toEqual([
      "2026-03-06T14:00:00.000Z", // 09:00 EST
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z", // 09:00 EDT
      "2026-03-09T13:00:00.000Z",
      "2026-03-10T13:00:00.000Z",
      // the downtime 11–26 March: one catch-up run, due on the 26th, fired on the 27th
      "2026-03-26T13:00:00.000Z",
      "2026-03-27T13:00:00.000Z",
      "2026-03-28T13:00:00.000Z",
      "2026-03-29T13:00:00.000Z",
      "2026-03-30T13:00:00.000Z",
      "2026-03-31T13:00:00.000Z",
    ]);
    const berlinDue = await dueTimes(sb.id);
    expect(berlinDue.slice(-6)).toEqual([
      "2026-03-26T08:00:00.000Z", // catch-up
      "2026-03-27T08:00:00.000Z", // 09:00 CET
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z", // 09:00 CEST
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
    ]);
    for (const due of berlinDue) {
      expect(DateTime.fromISO(due, { zone: "Europe/Berlin" }).toFormat("HH:mm")).toBe("09:00");
    }
    // each report goes to its owner's private chat, as a REPORT; only the catch-up says so
    const rows = await rowsOf(sb.id);
    expect(rows.every((r) => r.chatId === berlin.privateChatId && r.type === "REPORT")).toBe(true);
    expect(rows.filter((r) => /Catch-up/.test(r.message)).map((r) => r.dedupeKey)).toEqual([
      `schedule:${sb.id}:2026-03-26T08:00:00.000Z`,
    ]);
  });

  it("fires 09:00 local across the autumn changes", async () => {
    world.clock.set("2026-10-22T23:00:00Z");
    const berlin = await owner("Bernd", "Europe/Berlin");
    const ny = await owner("Nora", "America/New_York");
    const make = (o: typeof berlin) =>
      main.schedules.create(o.actor, {
        name: "Weekdays",
        target: { kind: "PNL_REPORT", portfolioId: o.portfolio.id, period: "week" },
        when: { preset: "weekdays" },
      });
    const sb = await make(berlin);
    const sn = await make(ny);
    await tickHourly(main, "2026-10-23T00:00:00Z", "2026-11-03T23:00:00Z");
    expect(await dueTimes(sb.id)).toEqual([
      "2026-10-23T07:00:00.000Z", // Fri 09:00 CEST
      "2026-10-26T08:00:00.000Z", // Mon 09:00 CET
      "2026-10-27T08:00:00.000Z",
      "2026-10-28T08:00:00.000Z",
      "2026-10-29T08:00:00.000Z",
      "2026-10-30T08:00:00.000Z",
      "2026-11-02T08:00:00.000Z",
      "2026-11-03T08:00:00.000Z",
    ]);
    expect(await dueTimes(sn.id)).toEqual([
      "2026-10-23T13:00:00.000Z", // 09:00 EDT
      "2026-10-26T13:00:00.000Z",
      "2026-10-27T13:00:00.000Z",
      "2026-10-28T13:00:00.000Z",
      "2026-10-29T13:00:00.000Z",
      "2026-10-30T13:00:00.000Z",
      "2026-11-02T14:00:00.000Z", // 09:00 EST (the change was on Sunday 1 November)
      "2026-11-03T14:00:00.000Z",
    ]);
  });

  it("fires each due time once with two runners on separate connections, and not again after a restart", async () => {
    world.clock.set("2026-06-01T07:30:00Z");
    const owners = await Promise.all(
      ["A", "B", "C", "D", "E", "F"].map((n) => owner(`Twin${n}`, "UTC")),
    );
    const ids: number[] = [];
    for (const o of owners) {
      ids.push(
        (
          await main.schedules.create(o.actor, {
            name: "Hourly",
            target: { kind: "PORTFOLIO_SUMMARY", portfolioId: o.portfolio.id, period: "today" },
            when: { preset: "hourly" },
          })
        ).id,
      );
    }
    // a second runner with its own services; on PostgreSQL also its own connection pool (on
    // SQLite a second connection in the same process would block it: better-sqlite3 waits for
    // locks synchronously — the multi-process case is tested separately below)
    const otherDb = provider === "postgres" ? openDatabase(tdb.url, { poolSize: 5 }) : tdb.db;
    const otherClock = new ManualClock(world.clock.now());
    const other = runnerOn(otherDb, otherClock, new Date("2026-01-01T00:00:00Z"));
    try {
      let fired = 0;
      let elsewhere = 0;
      for (const hour of [8, 9, 10]) {
        const now = new Date(Date.UTC(2026, 5, 1, hour, 0, 2));
        world.clock.set(now);
        otherClock.set(now);
        const [a, b] = await Promise.all([main.runner.runOnce(now), other.runner.runOnce(now)]);
        fired += a.fired + b.fired;
        elsewhere += a.claimedElsewhere + b.claimedElsewhere;
        // a restart: a brand-new runner on the same database finds nothing left to do
        const restarted = runnerOn(tdb.db, world.clock, new Date("2026-01-01T00:00:00Z"));
        expect((await restarted.runner.runOnce(new Date(now.getTime() + 30_000))).fired).toBe(0);
      }
      expect(fired).toBe(ids.length * 3);
      expect(elsewhere).toBeLessThanOrEqual(ids.length * 3);
      for (const id of ids) {
        expect(await dueTimes(id)).toEqual([
          "2026-06-01T08:00:00.000Z",
          "2026-06-01T09:00:00.000Z",
          "2026-06-01T10:00:00.000Z",
        ]);
        const row = await tdb.db.prisma.schedule.findUniqueOrThrow({ where: { id } });
        expect(row.lastDueAt?.toISOString()).toBe("2026-06-01T10:00:00.000Z");
        expect(row.nextRunAt?.toISOString()).toBe("2026-06-01T11:00:00.000Z");
      }
    } finally {
      if (otherDb !== tdb.db) await otherDb.close();
    }
  });

  it.runIf(provider === "sqlite")(
    "fires each due time once with two runner processes on the same SQLite file",
    async () => {
      world.clock.set("2026-09-01T07:30:00Z");
      const owners = await Promise.all(["P", "Q", "R", "S"].map((n) => owner(`Proc${n}`, "UTC")));
      const ids: number[] = [];
      for (const o of owners) {
        const s = await main.schedules.create(o.actor, {
          name: "Hourly",
          target: { kind: "PORTFOLIO_SUMMARY", portfolioId: o.portfolio.id, period: "today" },
          when: { preset: "hourly" },
        });
        ids.push(s.id);
      }
      const now = "2026-09-01T08:00:02.000Z";
      const startAt = String(Date.now() + 4000); // both processes are up by then
      const child = () =>
        run(process.execPath, ["--import", "tsx", RUNNER_PROCESS, tdb.url, now, startAt], {
          cwd: process.cwd(),
        }).then(({ stdout }) => JSON.parse(stdout) as ScheduleRunSummary);
      const [a, b] = await Promise.all([child(), child()]);
      expect(a.fired + b.fired).toBe(ids.length);
      expect(a.due + b.due).toBeGreaterThanOrEqual(ids.length);
      for (const id of ids) expect(await dueTimes(id)).toEqual(["2026-09-01T08:00:00.000Z"]);
    },
    60_000,
  );

  it("catches up exactly one missed run after downtime, says so, and attaches the chart", async () => {
    const T0 = futureDayStart(); // after the wall clock: the deposit is in the past
    const at = (h: number, m = 0, s = 0) =>
      new Date(T0.getTime() + h * HOUR + m * 60_000 + s * 1000);
    world.clock.set(at(7, 30));
    const o = await owner("Dora", "UTC", "5000");
    const s = await main.schedules.create(o.actor, {
      name: "Hourly value",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: o.portfolio.id, period: "today" },
      when: { preset: "hourly" },
    });
    const run = (t: Date) => {
      world.clock.set(t);
      return main.runner.runOnce(t);
    };
    expect((await run(at(8, 0, 5))).fired).toBe(1);
    // offline from 08:01 to 12:20: 09:00, 10:00, 11:00 and 12:00 were missed
    const back = await run(at(12, 20));
    expect(back).toMatchObject({ fired: 1, caughtUp: 1, skipped: 3 });
    expect((await run(at(12, 21))).fired).toBe(0);
    const restarted = runnerOn(tdb.db, world.clock, T0);
    expect((await restarted.runner.runOnce(at(12, 40))).fired).toBe(0);
    expect((await run(at(13, 0, 5))).fired).toBe(1);

    const rows = await rowsOf(s.id);
    expect(rows.map((r) => r.dedupeKey.split(":").slice(2).join(":"))).toEqual([
      at(8).toISOString(),
      at(12).toISOString(),
      at(13).toISOString(),
    ]);
    const [first, catchUp, onTime] = rows;
    const dueLocal = DateTime.fromJSDate(at(12), { zone: "UTC" }).toFormat("yyyy-LL-dd HH:mm");
    expect(catchUp!.message).toContain(
      `Catch-up: this report was due at ${dueLocal} while the bot was offline.`,
    );
    expect(catchUp!.message).toContain("3 earlier runs were skipped.");
    expect(first!.message).not.toContain("Catch-up");
    expect(onTime!.message).not.toContain("Catch-up");
    expect(onTime!.title).toBe(`📊 ${o.portfolio.name} — summary`);
    expect(onTime!.message).toContain("Hourly value");
    // the chart: a PNG photo attached to the report
    expect(onTime!.attachmentName).toBe("report.png");
    expect(Buffer.from(onTime!.attachment!).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it("postpones every report while the exchange is unreachable and fires it once it is back", async () => {
    const T0 = futureDayStart();
    const at = (h: number, m = 0, s = 0) =>
      new Date(T0.getTime() + h * HOUR + m * 60_000 + s * 1000);
    let reachable = false;
    const gated = runnerOn(tdb.db, world.clock, T0, {
      name: "ccxt:test",
      reachable: () => Promise.resolve(reachable),
    });
    world.clock.set(at(7, 30));
    const o = await owner("Olga", "UTC", "1000");
    const s = await gated.schedules.create(o.actor, {
      name: "Hourly value",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: o.portfolio.id, period: "today" },
      when: { preset: "hourly" },
    });
    world.clock.set(at(8, 0, 5));
    expect(await gated.runner.runOnce(at(8, 0, 5))).toMatchObject({ fired: 0, marketDown: true });
    expect(await rowsOf(s.id)).toHaveLength(0);
    reachable = true;
    world.clock.set(at(8, 1));
    expect((await gated.runner.runOnce(at(8, 1))).fired).toBe(1);
    expect(await dueTimes(s.id)).toEqual([at(8).toISOString()]);
  });

  it("pauses a schedule whose portfolio vanished (data from before archiving) and tells the owner once", async () => {
    world.clock.set("2026-07-01T08:30:00Z");
    const o = await owner("Gone", "UTC");
    const s = await main.schedules.create(o.actor, {
      name: "Orphan",
      target: { kind: "PNL_REPORT", portfolioId: o.portfolio.id, period: "today" },
      when: { preset: "hourly" },
    });
    // removed the way deletion worked before archiving existed: nothing paused the schedule
    await tdb.db.prisma.portfolio.delete({ where: { id: o.portfolio.id } });
    const now = new Date("2026-07-01T09:00:03Z");
    world.clock.set(now);
    expect(await main.runner.runOnce(now)).toMatchObject({ fired: 0, failed: 0, paused: 1 });
    const later = new Date("2026-07-01T10:00:03Z");
    world.clock.set(later);
    expect(await main.runner.runOnce(later)).toMatchObject({ due: 0, fired: 0, paused: 0 });
    expect(await rowsOf(s.id)).toEqual([]);
    const notices = await tdb.db.prisma.notificationOutbox.findMany({
      where: { userId: o.actor.id, dedupeKey: { startsWith: "portfolio-retired:" } },
    });
    expect(notices.map((n) => [n.title, n.type])).toEqual([
      ["A schedule's portfolio no longer exists", "ACCOUNT"],
    ]);
    expect(notices[0]!.message).toContain("Schedules: Orphan");
    const after = await main.schedules.get(o.actor, s.id);
    expect(after).toMatchObject({ isActive: false, nextRunAt: null, targetName: null });
  });

  it("pauses rather than fires a schedule whose portfolio is archived", async () => {
    world.clock.set("2026-07-02T08:30:00Z");
    const o = await owner("Shelved", "UTC");
    const s = await main.schedules.create(o.actor, {
      name: "Shelved summary",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: o.portfolio.id },
      when: { preset: "hourly" },
    });
    // archived behind the schedule's back (as a second process might have, before pausing it)
    await tdb.db.prisma.portfolio.update({
      where: { id: o.portfolio.id },
      data: { archivedAt: new Date("2026-07-02T08:40:00Z"), archiveKey: o.portfolio.id },
    });
    const now = new Date("2026-07-02T09:00:03Z");
    world.clock.set(now);
    expect(await main.runner.runOnce(now)).toMatchObject({ fired: 0, paused: 1 });
    expect(await rowsOf(s.id)).toEqual([]);
    const [notice] = await tdb.db.prisma.notificationOutbox.findMany({
      where: { userId: o.actor.id, dedupeKey: { startsWith: "portfolio-retired:" } },
    });
    expect(notice?.title).toBe("Portfolio “Shelved book” archived");
    expect((await main.schedules.get(o.actor, s.id)).isActive).toBe(false);
  });

  it("lets due times of a deactivated owner pass without a report", async () => {
    world.clock.set("2026-08-01T08:30:00Z");
    const o = await owner("Quiet", "UTC");
    const s = await main.schedules.create(o.actor, {
      name: "Muted owner",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: o.portfolio.id },
      when: { preset: "hourly" },
    });
    const admin = toActor(await world.services.users.registerFromTelegram({ telegramUserId: "1" }));
    await world.services.users.deactivate(admin, o.actor.id);
    const now = new Date("2026-08-01T09:00:03Z");
    world.clock.set(now);
    expect(await main.runner.runOnce(now)).toMatchObject({ fired: 0, ownerInactive: 1 });
    expect(await rowsOf(s.id)).toEqual([]);
    const row = await tdb.db.prisma.schedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(row.lastDueAt?.toISOString()).toBe("2026-08-01T09:00:00.000Z");
  });
});
