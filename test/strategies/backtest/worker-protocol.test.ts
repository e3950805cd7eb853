// A backtest's candles on their way to the worker thread (worker-protocol.ts): packed as integers
// when every value fits, as text otherwise, and unpacked into the very Decimals they were — the
// same digits, exponent and sign, the open still shared with the previous close. Packing lets
// the bot's event loop turn while it reads a long history.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/lib/decimal.ts";
import type { Candle } from "../../../src/market/types.ts";
import { packCandles, unpackCandles } from "../../../src/strategies/backtest/worker-protocol.ts";

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1);

function candlesOf(rows: [string, string, string, string, string][]): Candle[] {
  let previous: Candle | null = null;
  return rows.map(([open, high, low, close, volume], i) => {
    const o = previous && previous.close.eq(open) ? previous.close : new Decimal(open);
    const candle: Candle = {
      openTime: new Date(START + i * MINUTE),
      closeTime: new Date(START + (i + 1) * MINUTE - 1),
      open: o,
      high: new Decimal(high),
      low: new Decimal(low),
      close: new Decimal(close),
      volume: new Decimal(volume),
    };
    previous = candle;
    return candle;
  });
}

const form = (x: Decimal) => ({ s: x.s, e: x.e, d: x.d });
const forms = (c: Candle) => ({
  openTime: c.openTime.getTime(),
  closeTime: c.closeTime.getTime(),
  open: form(c.open),
  high: form(c.high),
  low: form(c.low),
  close: form(c.close),
  volume: form(c.volume),
});

async function roundTrip(candles: Candle[]) {
  const packed = await packCandles(candles, "1m");
  // what postMessage hands the worker: a structured clone
  const back = unpackCandles(structuredClone(packed));
  expect(back.map(forms)).toEqual(candles.map(forms));
  for (let i = 1; i < back.length; i++)
    if (candles[i]!.open === candles[i - 1]!.close) expect(back[i]!.open).toBe(back[i - 1]!.close);
  return packed;
}

describe("packed candles", () => {
  it("travel as integers at the fewest places that hold them, and come back the same", async () => {
    const packed = await roundTrip(
      candlesOf([
        ["60000", "60010.5", "59990.25", "60001.2", "1.5"],
        ["60001.2", "60002", "60000", "60001", "0"],
        ["60001", "60001", "59000.125", "59500", "12000"],
        ["59500.000", "59600", "59400", "59550.1", "0.00001"],
      ]),
    );
    expect("scaled" in packed && [packed.priceScale, packed.volumeScale]).toEqual([3, 5]);
    expect("scaled" in packed && packed.scaled[1]).toBe(60_010_500);
  });

  it("travel as text when a value has more digits than a double holds exactly", async () => {
    const packed = await roundTrip(
      candlesOf([
        ["1", "2", "0.5", "1.5", "10"],
        ["1.5", "1.5", "1.5", "1.12345678901234567", "10"],
      ]),
    );
    expect("values" in packed).toBe(true);
  });

  it("travel as text when one scale for all prices would make an integer too large", async () => {
    // each fits alone; 9e12 at 8 places does not
    const packed = await roundTrip(
      candlesOf([
        ["9000000000000", "9000000000000", "9000000000000", "9000000000000", "1"],
        ["0.00000001", "0.00000001", "0.00000001", "0.00000001", "1"],
      ]),
    );
    expect("values" in packed).toBe(true);
  });

  it("come back the same over a long random series", async () => {
    let cents = 6_000_000;
    const rows: [string, string, string, string, string][] = [];
    let close = "60000.00";
    for (let i = 0; i < 3000; i++) {
      const open = close;
      cents += ((i * 7919) % 2001) - 1000;
      close = (cents / 100).toFixed(2);
      rows.push([
        open,
        (cents / 100 + 5).toFixed(2),
        (cents / 100 - 5).toFixed(2),
        close,
        String(i % 17),
      ]);
    }
    const packed = await roundTrip(candlesOf(rows));
    expect("scaled" in packed).toBe(true);
  });

  it("let the event loop turn while a long history is packed", async () => {
    const rows: [string, string, string, string, string][] = [];
    for (let i = 0; i < 100_000; i++) rows.push(["1.5", "2", "1", "1.5", "3"]);
    const candles = candlesOf(rows);
    let turned = false;
    setImmediate(() => (turned = true));
    const packing = packCandles(candles, "1m");
    expect(turned).toBe(false);
    await packing;
    // the callback ran before packing was done, not after it
    expect(turned).toBe(true);
    let turnedDuring = false;
    const again = packCandles(candles, "1m").then(() => turnedDuring);
    setImmediate(() => (turnedDuring = true));
    expect(await again).toBe(true);
  });
});
