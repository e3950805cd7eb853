// AlertService on real SQLite and PostgreSQL with the offline market and a stepping ManualClock:
// one-shot and repeating alerts (cooldown), crossing vs "is" semantics, paused alerts, the RSI
// value against Wilder's formula, position and risk alerts, the notification written with the
// alert's new state, ownership, and bad input refused with the field named and nothing saved.
import { describe, expect, it } from "vitest";
import type { AlertRunResult } from "../../../src/domain/alerts/alert-service.ts";
import { NotFoundError, ValidationError } from "../../../src/domain/errors.ts";
import { SYSTEM, type Actor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, paperPortfolio } from "../../support/fixtures.ts";
import { wilderRsi } from "../indicators/wilder-rsi.ts";
import { type AlertWorld, SEED, alertWorld, plainNotifier, trader } from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

const STEP_MS = 20_000;

function fieldOf(e: unknown): string {
  if (e instanceof ValidationError) return e.field;
  throw e;
}

describe.each(PROVIDERS)("AlertService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let aw: AlertWorld;
  let alice: Actor;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    aw = alertWorld(world);
    alice = await trader(world, aw.chats, "Alice");
  });

  /** Steps the clock `steps` times by STEP_MS from `start`, evaluating at each step. */
  async function run(start: Date, steps: number): Promise<Map<number, number[]>> {
    const fired = new Map<number, number[]>();
    for (let k = 1; k <= steps; k++) {
      world.clock.set(start.getTime() + k * STEP_MS);
      const summary = await aw.alerts.evaluateAll(world.clock.now(), plainNotifier);
      expect(summary.errors).toEqual([]);
      for (const r of summary.results.filter((x: AlertRunResult) => x.fired)) {
        fired.set(r.alertId, [...(fired.get(r.alertId) ?? []), k]);
      }
    }
    return fired;
  }

  async function pricesAhead(symbol: string, start: Date, steps: number): Promise<Decimal[]> {
    const out: Decimal[] = [];
    for (let k = 0; k <= steps; k++) {
      out.push(await aw.priceAt(symbol, new Date(start.getTime() + k * STEP_MS)));
    }
    return out;
  }

  const outbox = (alertUid: string) =>
    tdb.db.prisma.notificationOutbox.findMany({
      where: { dedupeKey: { startsWith: `alert:${alertUid}:` } },
      orderBy: { id: "asc" },
    });

  it("fires a one-shot price alert exactly once, when the price crosses the level", async () => {
    const start = new Date("2026-03-10T13:00:00Z");
    world.clock.set(start);
    const steps = 180;
    const prices = await pricesAhead("BTCUSDT", start, steps);
    const max = prices.reduce((a, b) => (b.gt(a) ? b : a));
    expect(max.gt(prices[0]!)).toBe(true);
    const level = prices[0]!.plus(max.minus(prices[0]!).div(2)).toDecimalPlaces(2);
    const expected = prices.findIndex((p, k) => k > 0 && p.gte(level));

    const { alert, observation } = await aw.alerts.createFromText(
      alice,
      `BTCUSDT above ${level.toFixed()} once`,
    );
    expect(observation.side).toBe("out");
    expect(alert.name).toBe(`BTCUSDT above ${level.toFixed()}`);
    const fired = await run(start, steps);
    expect(fired.get(alert.id)).toEqual([expected]);

    const after = await aw.alerts.get(alice, alert.id);
    expect(after.isActive).toBe(false);
    expect(after.triggerCount).toBe(1);
    expect(after.lastTriggeredAt?.getTime()).toBe(start.getTime() + expected * STEP_MS);
    const rows = await outbox(alert.uid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: "ALERT_TRIGGERED",
      severity: "WARNING",
      userId: alice.id,
      title: `Alert: BTCUSDT above ${level.toFixed()}`,
      format: "text",
    });
    expect(JSON.parse(rows[0]!.message)).toEqual({
      price: prices[expected]!.toFixed(),
      level: level.toFixed(),
    });
  });

  it("fires a repeating alert again only after its cooldown", async () => {
    const start = new Date("2026-03-11T08:00:00Z");
    world.clock.set(start);
    const steps = 360; // two hours
    const cooldownSteps = 45; // 15 minutes
    // a level the price crosses often: the median of the path
    let chosen: { symbol: string; level: Decimal; expected: number[]; crossings: number } | null =
      null;
    for (const symbol of ["ETHUSDT", "SOLUSDT", "BTCUSDT", "XRPUSDT", "DOGEUSDT"]) {
      const prices = await pricesAhead(symbol, start, steps);
      const sorted = [...prices].sort((a, b) => a.comparedTo(b));
      const level = sorted[Math.floor(sorted.length / 2)]!;
      // the documented rule: fire on out → in, unless within the cooldown of the last firing
      const expected: number[] = [];
      let crossings = 0;
      for (let k = 1; k <= steps; k++) {
        if (prices[k - 1]!.lt(level) && prices[k]!.gte(level)) {
          crossings++;
          const last = expected.at(-1);
          if (last === undefined || k - last >= cooldownSteps) expected.push(k);
        }
      }
      if (expected.length >= 2 && crossings > expected.length) {
        chosen = { symbol, level, expected, crossings };
        break;
      }
    }
    expect(chosen).not.toBeNull();
    const { symbol, level, expected } = chosen!;
    const { alert } = await aw.alerts.createFromText(
      alice,
      `${symbol} above ${level.toFixed()} every 15m`,
    );
    const fired = await run(start, steps);
    expect(fired.get(alert.id)).toEqual(expected);
    const gaps = expected.slice(1).map((k, i) => k - expected[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(cooldownSteps);
    expect((await aw.alerts.get(alice, alert.id)).isActive).toBe(true);
    expect(await outbox(alert.uid)).toHaveLength(expected.length);
  });

  it("does not fire for a level already crossed at creation, unless asked “is above”", async () => {
    const start = new Date("2026-03-12T10:00:00Z");
    world.clock.set(start);
    const p0 = await aw.priceAt("ETHUSDT", start);
    const low = p0.mul("0.8").toDecimalPlaces(2).toFixed();
    const crossing = await aw.alerts.createFromText(alice, `ETHUSDT above ${low}`);
    const holding = await aw.alerts.createFromText(alice, `ETHUSDT is above ${low} once`);
    expect(crossing.observation.side).toBe("in");
    const fired = await run(start, 30);
    expect(fired.get(crossing.alert.id)).toBeUndefined();
    expect(fired.get(holding.alert.id)).toEqual([1]);
    expect(crossing.alert.name).toBe(`ETHUSDT above ${low}`);
    expect(holding.alert.name).toBe(`ETHUSDT is above ${low}`);
  });

  it("never fires a paused alert, and takes a fresh baseline on resume", async () => {
    const start = new Date("2026-03-12T14:00:00Z");
    world.clock.set(start);
    const p0 = await aw.priceAt("SOLUSDT", start);
    const low = p0.mul("0.5").toDecimalPlaces(2).toFixed();
    const { alert } = await aw.alerts.createFromText(alice, `SOLUSDT is above ${low} every 1m`);
    await aw.alerts.pause(alice, alert.id);
    const fired = await run(start, 20);
    expect(fired.get(alert.id)).toBeUndefined();
    const paused = await aw.alerts.get(alice, alert.id);
    expect(paused).toMatchObject({ isActive: false, triggerCount: 0 });
    expect(await outbox(alert.uid)).toHaveLength(0);

    await aw.alerts.resume(alice, alert.id);
    const after = await run(world.clock.now(), 1);
    expect(after.get(alert.id)).toEqual([1]);
  });

  it("computes the RSI an alert compares as Wilder's formula does over the same candles", async () => {
    const start = new Date("2026-03-13T09:41:07Z");
    world.clock.set(start);
    const { alert, observation } = await aw.alerts.createFromText(
      alice,
      "ETHUSDT rsi14 1h is above 1 once",
    );
    const { OfflineMarketData } =
      await import("../../../src/market/offline/offline-market-data.ts");
    const { ManualClock } = await import("../../../src/lib/clock.ts");
    const independent = new OfflineMarketData({ seed: SEED, clock: new ManualClock(start) });
    const closes = (await independent.candles("ETHUSDT", "1h", { limit: 500 })).map((c) =>
      c.close.toNumber(),
    );
    const expected = wilderRsi(closes, 14).toFixed(2);
    expect(Number(observation.values.value).toFixed(2)).toBe(expected);
    expect(observation.values.indicator).toBe("RSI(14)");

    const summary = await aw.alerts.evaluateAll(start, plainNotifier);
    const result = summary.results.find((r) => r.alertId === alert.id);
    expect(result?.fired).toBe(true);
    expect(Number(result?.values.value).toFixed(2)).toBe(expected);
  });

  it("watches a position's unrealized PnL and drawdown", async () => {
    const start = new Date("2026-03-13T15:00:00Z");
    world.clock.set(start);
    const bob = await trader(world, aw.chats, "Bob");
    const portfolio = await paperPortfolio(world, bob, { name: "Swing" });
    const last = await aw.priceAt("BTCUSDT", start);
    const entry = last.mul("1.1").toDecimalPlaces(2);
    await world.services.trades.ingestFill(SYSTEM, {
      portfolioId: portfolio.id,
      symbol: "BTCUSDT",
      side: "BUY",
      quantity: new Decimal("0.5"),
      price: entry,
      fee: new Decimal("0"),
      execTime: start,
      brokerTradeId: "alert-pos-1",
    });
    const pnl = await aw.alerts.createFromText(
      bob,
      "position BTCUSDT is pnl -5% once critical in Swing",
    );
    const amount = await aw.alerts.createFromText(bob, "position BTCUSDT pnl -100000");
    const drawdown = await aw.alerts.createFromText(bob, "position BTCUSDT is drawdown 5% once");
    expect(pnl.alert.portfolioId).toBe(portfolio.id);
    expect(amount.observation.side).toBe("out");

    const summary = await aw.alerts.evaluateAll(start, plainNotifier);
    const byId = new Map(summary.results.map((r) => [r.alertId, r]));
    const expectedPct = last.minus(entry).div(entry).mul(100).toDecimalPlaces(2).toFixed();
    expect(byId.get(pnl.alert.id)).toMatchObject({ fired: true });
    expect(byId.get(pnl.alert.id)?.values.unrealizedPct).toBe(expectedPct);
    expect(byId.get(pnl.alert.id)?.values.unrealized).toBe(
      last.minus(entry).mul("0.5").toDecimalPlaces(2).toFixed(),
    );
    expect(byId.get(amount.alert.id)?.fired).toBe(false);
    // peak = the better of entry and last = entry: (entry − last) / entry
    expect(byId.get(drawdown.alert.id)?.values.drawdownPct).toBe(
      entry.minus(last).div(entry).mul(100).toDecimalPlaces(2).toFixed(),
    );
    expect(byId.get(drawdown.alert.id)?.fired).toBe(true);
    const [row] = await outbox(pnl.alert.uid);
    expect(row?.severity).toBe("CRITICAL");

    await expect(aw.alerts.createFromText(bob, "position ETHUSDT pnl -5%")).rejects.toMatchObject({
      field: "symbol",
      key: "error-alert-no-position",
    });
  });

  it("evaluates risk alerts only with a risk usage source", async () => {
    const start = new Date("2026-03-14T10:00:00Z");
    world.clock.set(start);
    const carol = await trader(world, aw.chats, "Carol");
    const portfolio = await paperPortfolio(world, carol);
    const usage = new Decimal("85");
    const withRisk = alertWorld(world, {
      usage: async (userId, portfolioId) =>
        userId === carol.id && portfolioId === portfolio.id
          ? [
              { policyId: 7, rule: "dailyLossLimitPct", usedPct: usage },
              { policyId: 7, rule: "maxOrdersPerDay", usedPct: new Decimal("20") },
            ]
          : [],
    });
    const { alert } = await withRisk.alerts.createFromText(carol, "risk is 80% once");
    const ruled = await withRisk.alerts.createFromText(
      carol,
      "risk is 80% rule maxOrdersPerDay once",
    );
    const withoutSource = await aw.alerts.evaluateAll(start, plainNotifier);
    expect(withoutSource.skipped).toBeGreaterThanOrEqual(2);
    expect(withoutSource.results.find((r) => r.alertId === alert.id)).toBeUndefined();

    const summary = await withRisk.alerts.evaluateAll(start, plainNotifier);
    const result = summary.results.find((r) => r.alertId === alert.id);
    expect(result).toMatchObject({
      fired: true,
      values: { usedPct: "85", rule: "dailyLossLimitPct", policyId: "7", percent: "80" },
    });
    expect(summary.results.find((r) => r.alertId === ruled.alert.id)?.fired).toBe(false);
  });

  it("lets only the owner see and change an alert, and pages the list", async () => {
    const dave = await trader(world, aw.chats, "Dave");
    const erin = await trader(world, aw.chats, "Erin");
    const created = [];
    for (let i = 0; i < 10; i++) {
      created.push((await aw.alerts.createFromText(dave, `BTCUSDT above ${100000 + i}`)).alert);
    }
    const first = await aw.alerts.list(dave, { offset: 0, limit: 8 });
    const second = await aw.alerts.list(dave, { offset: 8, limit: 8 });
    expect(first.total).toBe(10);
    expect(first.items.map((a) => a.id)).toEqual(created.slice(0, 8).map((a) => a.id));
    expect(second.items.map((a) => a.id)).toEqual(created.slice(8).map((a) => a.id));
    expect((await aw.alerts.list(erin)).total).toBe(0);

    const target = created[0]!.id;
    for (const op of [
      () => aw.alerts.get(erin, target),
      () => aw.alerts.pause(erin, target),
      () => aw.alerts.resume(erin, target),
      () => aw.alerts.delete(erin, target),
    ]) {
      await expect(op()).rejects.toBeInstanceOf(NotFoundError);
    }
    expect((await aw.alerts.get(dave, target)).isActive).toBe(true);
    await aw.alerts.delete(dave, target);
    expect((await aw.alerts.list(dave)).total).toBe(9);
  });

  it("refuses bad input naming the field, and saves nothing", async () => {
    const frank = await trader(world, aw.chats, "Frank");
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => aw.alerts.createFromText(frank, "BTCUSD above 70000"), "symbol"],
      [() => aw.alerts.createFromText(frank, "BTCUSDT above -1"), "alertLevel"],
      [() => aw.alerts.createFromText(frank, "ETHUSDT rsi14 1h below 150"), "alertLevel"],
      [() => aw.alerts.createFromText(frank, "ETHUSDT rsi14 2h below 30"), "alertSyntax"],
      [() => aw.alerts.createFromText(frank, "ETHUSDT wma14 1h below 30"), "alertSyntax"],
      [
        () => aw.alerts.createFromText(frank, "ETHUSDT above 10 every 5d severity loud"),
        "alertSyntax",
      ],
      [
        () =>
          aw.alerts.create(frank, {
            condition: {
              kind: "INDICATOR_LEVEL",
              symbol: "ETHUSDT",
              interval: "2h",
              indicator: { kind: "RSI" },
              direction: "below",
              level: 30,
            },
          }),
        "candleInterval",
      ],
      [
        () =>
          aw.alerts.create(frank, {
            condition: {
              kind: "INDICATOR_LEVEL",
              symbol: "ETHUSDT",
              interval: "1h",
              indicator: { kind: "STOCH" },
              direction: "below",
              level: 30,
            },
          }),
        "indicator",
      ],
      [
        () =>
          aw.alerts.create(frank, {
            condition: { kind: "PRICE_LEVEL", symbol: "ETHUSDT", direction: "above", level: "10" },
            options: { severity: "LOUD" },
          }),
        "alertSeverity",
      ],
      [
        () =>
          aw.alerts.create(frank, {
            condition: { kind: "PRICE_LEVEL", symbol: "ETHUSDT", direction: "above", level: "10" },
            options: { cooldownMs: 1000 },
          }),
        "alertCooldown",
      ],
      [() => aw.alerts.create(frank, { condition: { kind: "SOMETHING" } }), "alertKind"],
      [() => aw.alerts.create(frank, { condition: "BTCUSDT above 1" }), "alertKind"],
      [
        () =>
          aw.alerts.create(frank, {
            condition: { kind: "PRICE_LEVEL", symbol: "ETHUSDT", direction: "above", level: "10" },
            name: "x".repeat(41),
          }),
        "name",
      ],
    ];
    for (const [attempt, field] of cases) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(fieldOf(error), String(attempt)).toBe(field);
    }
    expect(await tdb.db.prisma.alert.count({ where: { userId: frank.id } })).toBe(0);
  });

  it("skips the alerts of a deactivated user", async () => {
    const start = new Date("2026-03-15T10:00:00Z");
    world.clock.set(start);
    const gina = await trader(world, aw.chats, "Gina");
    const p0 = await aw.priceAt("BTCUSDT", start);
    const { alert } = await aw.alerts.createFromText(
      gina,
      `BTCUSDT is above ${p0.div(2).toFixed(2)}`,
    );
    const admin = await world.services.users.registerFromTelegram({
      telegramUserId: "1",
      firstName: "Admin",
    });
    await world.services.users.deactivate(world.services.users.actorOf(admin), gina.id);
    const summary = await aw.alerts.evaluateAll(start, plainNotifier);
    expect(summary.results.find((r) => r.alertId === alert.id)).toBeUndefined();
  });
});
