// The instruments table following a live exchange's listing: new symbols added with the exact
// rules, changed rules updated, delisted symbols deactivated (never deleted) and relisted ones
// reactivated; other exchanges' instruments untouched; an empty listing changes nothing.
import { describe, expect, it } from "vitest";
import { InstrumentSync } from "../../../src/domain/instruments/instrument-sync.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import type { InstrumentSpec } from "../../../src/market/types.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld } from "../../support/fixtures.ts";
import { useTestWorld } from "../../support/test-world.ts";

const spec = (symbol: string, rules: Partial<InstrumentSpec> = {}): InstrumentSpec => ({
  symbol,
  exchange: "BINANCE",
  name: `${symbol} pair`,
  assetType: "CRYPTO",
  baseAsset: symbol.replace(/USDT$/, ""),
  currency: "USDT",
  tickSize: "0.01",
  lotSize: "0.001",
  minQty: "0.001",
  minNotional: "5",
  ...rules,
});

describe.each(PROVIDERS)("InstrumentSync on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let sync: InstrumentSync;

  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    sync = new InstrumentSync(world.services.ctx, world.services.instruments);
  });

  const row = (symbol: string) =>
    tdb.db.prisma.instrument.findFirstOrThrow({ where: { symbol, exchange: "BINANCE" } });
  const exact = (v: unknown) => new Decimal(String(v)).toFixed();

  it("adds, updates, deactivates and reactivates by the exchange's listing", async () => {
    const catalogCrypto = await tdb.db.prisma.instrument.count({
      where: { exchange: "BINANCE", isActive: true },
    });
    expect(catalogCrypto).toBeGreaterThan(5);
    const equities = await tdb.db.prisma.instrument.count({ where: { exchange: "NASDAQ" } });

    const first = await sync.apply("BINANCE", [
      spec("BTCUSDT", { lotSize: "0.00001", minQty: "0.00001" }),
      spec("ETHUSDT", { minNotional: "10" }),
      spec("ZZZUSDT", { tickSize: "0.000001" }),
    ]);
    expect(first.created).toBe(1);
    expect(first.deactivated).toBe(catalogCrypto - 2);
    expect(exact((await row("ETHUSDT")).minNotional)).toBe("10");
    expect((await row("ETHUSDT")).name).toBe("Ethereum / TetherUS");
    expect(exact((await row("ZZZUSDT")).tickSize)).toBe("0.000001");
    expect((await row("SOLUSDT")).isActive).toBe(false);
    expect(
      await tdb.db.prisma.instrument.count({ where: { exchange: "NASDAQ", isActive: true } }),
    ).toBe(equities);
    // the service's cache sees the change at once
    await expect(world.services.instruments.resolve("SOLUSDT")).rejects.toThrow();
    expect((await world.services.instruments.resolve("ZZZUSDT")).rules.tickSize.toFixed()).toBe(
      "0.000001",
    );

    const again = await sync.apply("BINANCE", [
      spec("BTCUSDT", { lotSize: "0.00001", minQty: "0.00001" }),
      spec("ETHUSDT", { minNotional: "10" }),
      spec("ZZZUSDT", { tickSize: "0.000001" }),
      spec("SOLUSDT"),
    ]);
    expect(again).toEqual({ created: 0, updated: 1, deactivated: 0, unchanged: 3 });
    expect((await row("SOLUSDT")).isActive).toBe(true);

    expect(await sync.apply("BINANCE", [])).toEqual({
      created: 0,
      updated: 0,
      deactivated: 0,
      unchanged: 0,
    });
    expect((await row("BTCUSDT")).isActive).toBe(true);
  });
});
