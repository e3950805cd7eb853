// Bracket exits on Binance go out as the exchange's own OCO pair, against the exchange twin
// through the real ccxt client, on both databases: the pair holds the coins once (two separate
// exits would each need them all), one leg executing cancels the other at the venue, a
// take-profit filling in part gets the rest re-paired so it keeps its stop, a pair whose answer
// was lost is found and never sent twice, and a leg of a native pair is never amended alone.
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
import { orderInclude, toOrderView } from "../../../src/domain/orders/order-mapper.ts";
import type { OrderView } from "../../../src/domain/orders/order-types.ts";
import { Decimal, fromDb } from "../../../src/lib/decimal.ts";
import { PROVIDERS } from "../../support/db.ts";
import { type LiveWorld, createLiveWorld, liveWorldDatabase } from "./live-world.ts";

const d = (s: string) => new Decimal(s);

describe.each(PROVIDERS)("native OCO brackets on a live Binance account, on %s", (provider) => {
  let w: LiveWorld;
  const database = liveWorldDatabase(provider, () => w);

  const last = () => d(w.twin.price("BTCUSDT").last);
  const held = () => {
    const b = w.twin.balances().BTC;
    return b ? { free: d(b.free), locked: d(b.locked) } : { free: d("0"), locked: d("0") };
  };
  const venueSells = () =>
    w.twin.orders().filter((o) => o.side === "SELL") as {
      clientOrderId: string;
      orderListId: number;
      origQty: string;
      status: string;
    }[];
  const legs = async (entryId: number): Promise<OrderView[]> => {
    const rows = await database().db.prisma.order.findMany({
      where: { portfolioId: w.portfolioId },
      include: orderInclude,
      orderBy: { id: "asc" },
    });
    return rows.map(toOrderView).filter((o) => o.leg?.parentOrderId === entryId);
  };
  const byRole = (all: OrderView[]) => ({
    tp: all.find((l) => l.leg!.role === "take-profit"),
    sl: all.find((l) => l.leg!.role === "stop-loss"),
  });
  const position = async () => {
    const row = await database().db.prisma.position.findFirst({
      where: { portfolioId: w.portfolioId, instrument: { symbol: "BTCUSDT" } },
    });
    return row ? fromDb(row.quantity) : d("0");
  };
  /** buys at market with a take-profit and a stop-loss 5 % away */
  const bracketedBuy = async (quantity: string) => {
    const placed = await w.trading.place(w.trader, {
      portfolioId: w.portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: d(quantity),
      bracket: { takeProfit: { percent: d("5") }, stopLoss: { percent: d("5") } },
    });
    expect(placed.order.status).toBe("FILLED");
    return placed.order;
  };
  const sync = async () => expect((await w.orderSync.runOnce()).errors).toEqual([]);

  it("sends the exits as one pair holding the coins once; the take-profit cancels the stop", async () => {
    w = await createLiveWorld(database().db);
    const entry = await bracketedBuy("0.01");
    const { tp, sl } = byRole(await legs(entry.id));
    // the commission came out of the coins bought: the pair closes what the account holds
    const bought = held();
    expect(bought.free.plus(bought.locked).toFixed()).toBe((await position()).toFixed());
    expect(tp!.quantity.toFixed()).toBe(bought.locked.toFixed());
    expect(bought.free.isZero()).toBe(true);
    expect(tp!.leg).toMatchObject({ role: "take-profit", nativeList: `br-${entry.id}-1` });
    expect(sl!.leg).toMatchObject({ role: "stop-loss", nativeList: `br-${entry.id}-1` });
    expect(tp!.brokerOrderId).not.toBeNull();
    expect(sl!.brokerOrderId).not.toBeNull();
    const atVenue = venueSells();
    expect(atVenue).toHaveLength(2);
    expect(atVenue[0]!.orderListId).toBe(atVenue[1]!.orderListId);
    expect(atVenue[0]!.orderListId).toBeGreaterThan(0);

    // a second run places nothing more
    await sync();
    expect(venueSells()).toHaveLength(2);

    w.twin.setPrice("BTCUSDT", tp!.price!.plus(50).toFixed(2));
    await sync();
    const { tp: tpAfter, sl: slAfter } = byRole(await legs(entry.id));
    expect(tpAfter!.status).toBe("FILLED");
    expect(slAfter!.status).toBe("CANCELED");
    expect((await position()).isZero()).toBe(true);
    expect(held().locked.isZero()).toBe(true);
    expect(venueSells().filter((o) => o.status === "NEW")).toEqual([]);
  });

  it("re-pairs what a partly filled take-profit leaves, so the rest keeps its stop", async () => {
    w = await createLiveWorld(database().db);
    const entry = await bracketedBuy("0.01");
    const { tp } = byRole(await legs(entry.id));
    const total = tp!.quantity;
    // the take-profit fills 0.004 and the venue cancels the stop-loss at that instant
    w.twin.setPrice("BTCUSDT", tp!.price!.plus(50).toFixed(2), { maxFillQty: "0.004" });
    w.twin.setPrice("BTCUSDT", last().minus(100).toFixed(2));
    await sync();
    const after = await legs(entry.id);
    const first = after.filter((l) => l.leg!.group === `${entry.id}-1`);
    const second = after.filter((l) => l.leg!.group === `${entry.id}-2`);
    // the venue canceled the stop-loss; the bookkeeping canceled the take-profit's remainder
    expect(first.map((l) => l.status)).toEqual(["CANCELED", "CANCELED"]);
    expect(first.find((l) => l.leg!.role === "take-profit")!.filledQuantity.toFixed()).toBe(
      "0.004",
    );
    // the rest as a new pair, both legs at the venue, holding what is left once
    const rest = total.minus("0.004");
    expect(second.map((l) => l.leg!.role).sort()).toEqual(["stop-loss", "take-profit"]);
    expect(second.every((l) => l.quantity.eq(rest) && l.brokerOrderId !== null)).toBe(true);
    expect(second[0]!.leg!.replaces).toBe(`${entry.id}-1`);
    expect(held().locked.toFixed()).toBe(rest.toFixed());
    expect((await position()).toFixed()).toBe(rest.toFixed());

    // nothing more on the next run: the replaced group counts what it filled
    await sync();
    expect((await legs(entry.id)).length).toBe(after.length);

    // the market falls through the stop: the rest is sold, the take-profit canceled by the venue
    const stop = second.find((l) => l.leg!.role === "stop-loss")!.stopPrice!;
    w.twin.setPrice("BTCUSDT", stop.minus(20).toFixed(2));
    await sync();
    const final = (await legs(entry.id)).filter((l) => l.leg!.group === `${entry.id}-2`);
    expect(final.find((l) => l.leg!.role === "stop-loss")!.status).toBe("FILLED");
    expect(final.find((l) => l.leg!.role === "take-profit")!.status).toBe("CANCELED");
    expect((await position()).isZero()).toBe(true);
  });

  it("a pair whose answer was lost is found at the venue, never sent twice", async () => {
    w = await createLiveWorld(database().db);
    w.twin.fault({ path: "/api/v3/orderList/oco", method: "POST", kind: "accept-then-drop" });
    const entry = await bracketedBuy("0.01");
    // the gateway looked the legs up by their client order ids instead of sending again
    const stored = await legs(entry.id);
    expect(stored.every((l) => l.status === "NEW" && l.brokerOrderId !== null)).toBe(true);
    expect(venueSells()).toHaveLength(2);
    await sync();
    expect(venueSells()).toHaveLength(2);
    expect(w.twin.requestCount("/api/v3/orderList/oco", "POST")).toBe(1);
  });

  it("a pair the venue could not take is stored and sent whole by the next sync", async () => {
    w = await createLiveWorld(database().db);
    // the exchange down for the pair's request and its retries (the entry went through)
    w.twin.fault({ path: "/api/v3/orderList/oco", method: "POST", kind: "5xx", times: 10 });
    const entry = await bracketedBuy("0.01");
    const stored = await legs(entry.id);
    expect(stored.map((l) => l.status)).toEqual(["NEW", "NEW"]);
    expect(stored.every((l) => l.brokerOrderId === null)).toBe(true);
    expect(venueSells()).toEqual([]);
    w.twin.clearFaults();
    await sync();
    const sent = await legs(entry.id);
    expect(sent.every((l) => l.status === "NEW" && l.brokerOrderId !== null)).toBe(true);
    const atVenue = venueSells();
    expect(atVenue).toHaveLength(2);
    expect(atVenue[0]!.orderListId).toBe(atVenue[1]!.orderListId);
    // never one leg alone through the single-order endpoint
    expect(w.twin.orders().filter((o) => o.side === "SELL" && o.orderListId === -1)).toEqual([]);
    await sync();
    expect(venueSells()).toHaveLength(2);
  });

  it("refuses to amend one leg of a native pair", async () => {
    w = await createLiveWorld(database().db);
    const entry = await bracketedBuy("0.01");
    const { tp } = byRole(await legs(entry.id));
    const amend = w.trading.amend(w.trader, tp!.id, { price: tp!.price!.plus(100) });
    await expect(amend).rejects.toBeInstanceOf(ValidationError);
    await expect(amend).rejects.toMatchObject({ key: "error-amend-native-oco" });
    expect(venueSells().filter((o) => o.status === "NEW")).toHaveLength(2);
  });
});
