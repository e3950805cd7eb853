// ScheduleService on SQLite and PostgreSQL: creation with presets and custom expressions in the
// user's zone, validation explained with examples, destinations, ownership (another user's
// portfolio, chat or schedule is refused), screeners only with a runner, and pause/resume/delete.
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  NotFoundError,
  StateError,
  ValidationError,
} from "../../../src/domain/errors.ts";
import { ChatService } from "../../../src/domain/notifications/chat-service.ts";
import type { ScreenerRunner } from "../../../src/domain/reports/screener-runner.ts";
import { ScheduleService } from "../../../src/domain/schedules/schedule-service.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, paperPortfolio } from "../../support/fixtures.ts";
import { linkGroup, userWithPrivateChat } from "../notifications/support.ts";
import { useTestWorld } from "../../support/test-world.ts";

const screenerRunner: ScreenerRunner = {
  runForSchedule: async (_userId, screenerId) => ({
    screenerId,
    screenerName: "Breakouts",
    at: new Date(),
    scanned: 10,
    columns: ["RSI 14"],
    rows: [{ symbol: "BTCUSDT", values: ["71.2"] }],
  }),
};

describe.each(PROVIDERS)("ScheduleService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let chats: ChatService;
  let schedules: ScheduleService;
  let withScreeners: ScheduleService;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    chats = new ChatService(world.services.ctx);
    schedules = new ScheduleService(world.services.ctx, world.services.portfolios);
    withScreeners = new ScheduleService(
      world.services.ctx,
      world.services.portfolios,
      screenerRunner,
    );
  });

  async function trader(name: string, zone = "Europe/Berlin") {
    const person = await userWithPrivateChat(world, chats, name);
    await world.services.users.updateSettings(person.actor, { timeZone: zone });
    const actor = { ...person.actor, timeZone: zone };
    const portfolio = await paperPortfolio(world, actor, { name: `${name} main` });
    return { ...person, actor, portfolio };
  }

  it("creates a preset schedule in the user's zone, to their private chat, due at the next 09:00 there", async () => {
    world.clock.set("2026-03-27T10:00:00Z"); // Friday 11:00 in Berlin
    const alice = await trader("Alice");
    const s = await schedules.create(alice.actor, {
      name: "Morning summary",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: alice.portfolio.id },
      when: { preset: "weekdays" },
    });
    expect(s).toMatchObject({
      name: "Morning summary",
      cron: "0 9 * * 1-5",
      preset: "weekdays",
      timeZone: "Europe/Berlin",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: alice.portfolio.id, period: "month" },
      targetName: alice.portfolio.name,
      chatId: null,
      destination: { id: alice.privateChatId, type: "PRIVATE", isActive: true },
      isActive: true,
      lastDueAt: null,
    });
    // Monday 30 March, 09:00 CEST (the clocks went forward on the 29th)
    expect(s.nextRunAt?.toISOString()).toBe("2026-03-30T07:00:00.000Z");
    const audit = await tdb.db.prisma.auditLog.count({
      where: { entityType: "SCHEDULE", entityId: s.id, action: "CREATE" },
    });
    expect(audit).toBe(1);
  });

  it("previews a custom expression with its next five runs in the zone", () => {
    const p = schedules.preview(
      { cron: "0 18 * * 5" },
      "America/New_York",
      5,
      new Date("2026-03-01T00:00:00Z"),
    );
    expect(p.cron).toBe("0 18 * * 5");
    expect(p.preset).toBeNull();
    expect(p.runs.map((r) => r.toISOString())).toEqual([
      "2026-03-06T23:00:00.000Z", // 18:00 EST
      "2026-03-13T22:00:00.000Z", // 18:00 EDT
      "2026-03-20T22:00:00.000Z",
      "2026-03-27T22:00:00.000Z",
      "2026-04-03T22:00:00.000Z",
    ]);
  });

  it("refuses bad input with explanations, changing nothing", async () => {
    const bob = await trader("Bob");
    const base = {
      name: "Bad",
      target: {
        kind: "PNL_REPORT" as const,
        portfolioId: bob.portfolio.id,
        period: "week" as const,
      },
    };
    await expect(
      schedules.create(bob.actor, { ...base, when: { cron: "0 25 * * *" } }),
    ).rejects.toMatchObject({
      key: "error-schedule-cron-invalid",
      params: { example: "0 9 * * 1-5" },
    });
    await expect(
      schedules.create(bob.actor, { ...base, when: { cron: "0 0 31 2 *" } }),
    ).rejects.toMatchObject({
      key: "error-schedule-cron-never",
    });
    await expect(
      schedules.create(bob.actor, { ...base, when: { preset: "weekdays" }, timeZone: "Moon/Base" }),
    ).rejects.toMatchObject({
      key: "error-schedule-time-zone-invalid",
      params: { example: "Europe/Berlin" },
    });
    await expect(
      schedules.create(bob.actor, {
        ...base,
        when: { preset: "weekdays" },
        target: { kind: "PNL_REPORT", portfolioId: bob.portfolio.id, period: "fortnight" as never },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      schedules.create(bob.actor, { ...base, name: "  ", when: { preset: "weekdays" } }),
    ).rejects.toMatchObject({ key: "error-name-empty" });
    expect(await tdb.db.prisma.schedule.count({ where: { userId: bob.actor.id } })).toBe(0);
  });

  it("refuses another user's portfolio, chat and schedule", async () => {
    const carol = await trader("Carol");
    const dave = await trader("Dave");
    const carolsGroup = await linkGroup(chats, carol, "Carol desk");
    const when = { preset: "hourly" as const };
    await expect(
      schedules.create(dave.actor, {
        name: "Spy",
        target: { kind: "PORTFOLIO_SUMMARY", portfolioId: carol.portfolio.id },
        when,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      schedules.create(dave.actor, {
        name: "Spy",
        target: { kind: "PORTFOLIO_SUMMARY", portfolioId: dave.portfolio.id },
        when,
        chatId: carolsGroup,
      }),
    ).rejects.toMatchObject({ key: "error-schedule-chat-unavailable", field: "scheduleChat" });

    const carols = await schedules.create(carol.actor, {
      name: "Desk hourly",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: carol.portfolio.id },
      when,
      chatId: carolsGroup,
    });
    expect(carols.destination).toMatchObject({
      id: carolsGroup,
      type: "SUPERGROUP",
      title: "Carol desk",
    });
    for (const act of [
      () => schedules.get(dave.actor, carols.id),
      () => schedules.pause(dave.actor, carols.id),
      () => schedules.resume(dave.actor, carols.id),
      () => schedules.remove(dave.actor, carols.id),
    ]) {
      await expect(act()).rejects.toMatchObject({ key: "error-schedule-not-found" });
    }
    expect((await schedules.list(dave.actor)).total).toBe(0);
    expect((await schedules.get(carol.actor, carols.id)).isActive).toBe(true);
  });

  it("refuses an inactive chat as destination", async () => {
    const erin = await trader("Erin");
    const group = await linkGroup(chats, erin, "Old group");
    const row = await tdb.db.prisma.telegramChat.findUniqueOrThrow({ where: { id: group } });
    await chats.markInactive(row.chatId, "kicked");
    await expect(
      schedules.create(erin.actor, {
        name: "To a dead chat",
        target: { kind: "PORTFOLIO_SUMMARY", portfolioId: erin.portfolio.id },
        when: { preset: "evenings" },
        chatId: group,
      }),
    ).rejects.toMatchObject({ key: "error-schedule-chat-unavailable" });
    expect((await schedules.destinations(erin.actor)).map((d) => d.isPrivate)).toEqual([true]);
  });

  it("keeps names unique per user regardless of case", async () => {
    const frank = await trader("Frank");
    const input = {
      name: "Daily",
      target: { kind: "PORTFOLIO_SUMMARY" as const, portfolioId: frank.portfolio.id },
      when: { preset: "evenings" as const },
    };
    await schedules.create(frank.actor, input);
    await expect(schedules.create(frank.actor, { ...input, name: "daily" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    // another user may use the same name
    const gina = await trader("Gina");
    await schedules.create(gina.actor, {
      ...input,
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: gina.portfolio.id },
    });
  });

  it("refuses screener schedules without a screener runner, and someone else's screener with one", async () => {
    const hank = await trader("Hank");
    const ivy = await trader("Ivy");
    const screener = await tdb.db.prisma.screener.create({
      data: { uid: `scr-${provider}-1`, userId: hank.actor.id, name: "Breakouts", config: {} },
    });
    const input = {
      name: "Scan",
      target: { kind: "SCREENER" as const, screenerId: screener.id },
      when: { preset: "hourly" as const },
    };
    await expect(schedules.create(hank.actor, input)).rejects.toBeInstanceOf(StateError);
    expect(schedules.screenersAvailable).toBe(false);
    await expect(withScreeners.create(ivy.actor, input)).rejects.toMatchObject({
      key: "error-schedule-screener-unknown",
    });
    const s = await withScreeners.create(hank.actor, input);
    expect(s).toMatchObject({
      target: { kind: "SCREENER", screenerId: screener.id },
      targetName: "Breakouts",
    });
    expect(await withScreeners.screenerChoices(hank.actor)).toEqual([
      { id: screener.id, name: "Breakouts" },
    ]);
    expect(await withScreeners.screenerChoices(ivy.actor)).toEqual([]);
  });

  it("pauses (no next run), resumes from now without catching up, deletes, and pages the list", async () => {
    world.clock.set("2026-05-04T06:00:00Z"); // Monday 08:00 in Berlin
    const jack = await trader("Jack");
    const created = [];
    for (let i = 1; i <= 7; i++) {
      created.push(
        await schedules.create(jack.actor, {
          name: `S${i}`,
          target: { kind: "PORTFOLIO_SUMMARY", portfolioId: jack.portfolio.id },
          when: { cron: `${i * 5} 9 * * *` },
        }),
      );
    }
    const first = created[0]!;
    const paused = await schedules.pause(jack.actor, first.id);
    expect(paused).toMatchObject({ isActive: false, nextRunAt: null });

    world.clock.set("2026-05-06T12:00:00Z"); // two 09:05s went by while paused
    const resumed = await schedules.resume(jack.actor, first.id);
    expect(resumed.isActive).toBe(true);
    expect(resumed.nextRunAt?.toISOString()).toBe("2026-05-07T07:05:00.000Z");

    const page1 = await schedules.list(jack.actor, { page: 1, pageSize: 5 });
    const page2 = await schedules.list(jack.actor, { page: 2, pageSize: 5 });
    const beyond = await schedules.list(jack.actor, { page: 9, pageSize: 5 });
    expect(page1).toMatchObject({ total: 7, page: 1 });
    expect(page1.schedules.map((s) => s.name)).toEqual(["S1", "S2", "S3", "S4", "S5"]);
    expect(page2.schedules.map((s) => s.name)).toEqual(["S6", "S7"]);
    expect(beyond.page).toBe(2);

    await schedules.remove(jack.actor, created[6]!.id);
    expect((await schedules.list(jack.actor)).total).toBe(6);
    await expect(schedules.get(jack.actor, created[6]!.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
