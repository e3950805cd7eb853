// Commissions as the exchange charges them, against the exchange twin through the real ccxt
// client, on both databases: a buy's commission taken from the coin bought (Binance's default),
// a sell's from the quote received, and BNB paying them all ("use BNB to pay for fees"). After
// each, the position holds exactly what the exchange's balance says, its fees are the
// commissions valued in the quote currency, and a recompute from the trades gives the very same
// position.
import { describe, expect, it } from "vitest";
import { Decimal, fromDb, roundForStorage } from "../../../src/lib/decimal.ts";
import { PROVIDERS } from "../../support/db.ts";
import { type LiveWorld, createLiveWorld, liveWorldDatabase } from "./live-world.ts";

const d = (s: string) => new Decimal(s);

describe.each(PROVIDERS)("exchange commissions on live positions, on %s", (provider) => {
  let w: LiveWorld;
  const database = liveWorldDatabase(provider, () => w);

  const db = () => database().db.prisma;
  const position = async (symbol: string) => {
    const row = await db().position.findFirst({
      where: { portfolioId: w.portfolioId, instrument: { symbol } },
    });
    if (!row) throw new Error(`no ${symbol} position`);
    return {
      quantity: fromDb(row.quantity),
      avgPrice: fromDb(row.avgPrice),
      realizedPnl: fromDb(row.realizedPnl),
      fees: fromDb(row.fees),
    };
  };
  /** free + locked of an asset at the venue */
  const held = (asset: string) => {
    const b = w.twin.balances()[asset];
    return b ? d(b.free).plus(b.locked) : d("0");
  };
  const venueTrades = () =>
    w.twin.trades().map((t) => ({
      price: d(String(t.price)),
      qty: d(String(t.qty)),
      commission: d(String(t.commission)),
      commissionAsset: String(t.commissionAsset),
    }));
  const place = (side: "BUY" | "SELL", quantity: string, price?: Decimal) =>
    w.trading.place(w.trader, {
      portfolioId: w.portfolioId,
      symbol: "BTCUSDT",
      side,
      type: price ? "LIMIT" : "MARKET",
      quantity: d(quantity),
      ...(price ? { price: price.toDecimalPlaces(2) } : {}),
    });
  const last = () => d(w.twin.price("BTCUSDT").last);

  it("takes a buy's commission in the coin bought out of the position, as the exchange does", async () => {
    w = await createLiveWorld(database().db);
    expect((await place("BUY", "0.01")).order.status).toBe("FILLED");
    const limit = last().minus(800);
    expect((await place("BUY", "0.02", limit)).order.status).toBe("NEW");
    w.twin.setPrice("BTCUSDT", limit.minus(5).toFixed(2));
    expect((await w.orderSync.runOnce()).errors).toEqual([]);
    expect((await place("SELL", "0.015")).order.status).toBe("FILLED");

    const fills = venueTrades();
    expect(fills.map((f) => f.commissionAsset)).toEqual(["BTC", "BTC", "USDT"]);
    const p = await position("BTCUSDT");
    // what the exchange holds, to the last satoshi, and not what was ordered
    expect(p.quantity.toFixed()).toBe(held("BTC").toFixed());
    expect(p.quantity.eq("0.015")).toBe(false);
    // fees in USDT: the coins taken at their fill's price, and the sell's USDT as charged
    const fees = fills.reduce(
      (sum, f) =>
        sum.plus(
          f.commissionAsset === "BTC" ? roundForStorage(f.commission.mul(f.price)) : f.commission,
        ),
      d("0"),
    );
    expect(p.fees.toFixed()).toBe(fees.toFixed());
    // the trades keep each commission in its own asset
    const stored = await db().trade.findMany({
      where: { portfolioId: w.portfolioId },
      orderBy: { id: "asc" },
    });
    expect(stored.map((t) => [t.feeCurrency, fromDb(t.fee).toFixed()])).toEqual(
      fills.map((f) => [f.commissionAsset, f.commission.toFixed()]),
    );
    // materialized = recomputed from the trades; /pnl's replay ends on the same position
    expect(await w.services.positions.verify(db(), w.portfolioId)).toEqual([]);
    const pnl = await w.services.pnl.periodReport(w.trader, w.portfolioId, "all");
    expect(pnl.rows[0]!.position.quantity.toFixed()).toBe(p.quantity.toFixed());
    expect(pnl.rows[0]!.fees.toFixed()).toBe(p.fees.toFixed());
  });

  it("leaves the quantity whole when BNB pays, and counts the BNB at its price then", async () => {
    w = await createLiveWorld(database().db);
    w.twin.addBalance("main", "BNB", "2");
    w.twin.payFeesInBnb("main", true);
    const bnbPrice = d(w.twin.price("BNBUSDT").last);
    await place("BUY", "0.02");
    await place("SELL", "0.005");

    const fills = venueTrades();
    expect(fills.map((f) => f.commissionAsset)).toEqual(["BNB", "BNB"]);
    const p = await position("BTCUSDT");
    expect(p.quantity.toFixed()).toBe("0.015");
    expect(held("BTC").toFixed()).toBe("0.015");
    // the BNB spent, valued in USDT at BNB's price at the fill (the twin's price did not move)
    const valued = fills.map((f) => roundForStorage(f.commission.mul(bnbPrice)));
    expect(p.fees.toFixed()).toBe(valued.reduce((a, b) => a.plus(b)).toFixed());
    expect(held("BNB").toFixed()).toBe(
      d("2")
        .minus(fills.reduce((s, f) => s.plus(f.commission), d("0")))
        .toFixed(),
    );
    const stored = await db().trade.findMany({
      where: { portfolioId: w.portfolioId },
      orderBy: { id: "asc" },
    });
    expect(stored.map((t) => [t.feeCurrency, (t.meta as { feeValue?: string }).feeValue])).toEqual(
      valued.map((v) => ["BNB", v.toFixed()]),
    );
    expect(await w.services.positions.verify(db(), w.portfolioId)).toEqual([]);
  });
});
