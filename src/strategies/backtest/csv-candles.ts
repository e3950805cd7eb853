// Candles from a CSV file: a header `time,open,high,low,close,volume`, then one candle a line
// with its open time in ISO 8601 UTC ("2026-01-01T00:00:00Z") and plain decimal numbers. The
// interval is given (the strategy's timeframe); every time must sit on its grid, ascending.
import { parseDecimal } from "../../lib/decimal.ts";
import { type Candle, type Interval, alignDown, intervalMs } from "../../market/types.ts";

export class CsvCandleError extends Error {}

const HEADER = ["time", "open", "high", "low", "close", "volume"];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]00:?00)$/;

export function parseCandleCsv(text: string, interval: Interval): Candle[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines.shift() ?? "").split(",").map((h) => h.trim().toLowerCase());
  if (header.join(",") !== HEADER.join(","))
    throw new CsvCandleError(`the first line must be ${HEADER.join(",")}`);
  const step = intervalMs(interval);
  const candles: Candle[] = [];
  lines.forEach((line, i) => {
    const at = `line ${i + 2}`;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== 6)
      throw new CsvCandleError(`${at}: expected 6 fields, got ${cells.length}`);
    const [time, ...numbers] = cells as [string, ...string[]];
    const ms = ISO_UTC.test(time) ? Date.parse(time) : NaN;
    if (!Number.isFinite(ms)) throw new CsvCandleError(`${at}: "${time}" is not an ISO UTC time`);
    if (alignDown(ms, interval) !== ms)
      throw new CsvCandleError(`${at}: ${time} is not the start of a ${interval} candle`);
    const [open, high, low, close, volume] = numbers.map((n) => {
      const v = /^-?\d+(\.\d+)?$/.test(n) ? parseDecimal(n) : null;
      if (v === null || v.isNeg()) throw new CsvCandleError(`${at}: "${n}" is not a number`);
      return v;
    }) as [Candle["open"], Candle["open"], Candle["open"], Candle["open"], Candle["open"]];
    if (
      !open.gt(0) ||
      !close.gt(0) ||
      high.lt(low) ||
      high.lt(open) ||
      high.lt(close) ||
      low.gt(open) ||
      low.gt(close)
    )
      throw new CsvCandleError(`${at}: high/low do not contain open and close`);
    const previous = candles.at(-1);
    if (previous && previous.openTime.getTime() >= ms)
      throw new CsvCandleError(`${at}: times must be ascending`);
    candles.push({
      openTime: new Date(ms),
      closeTime: new Date(ms + step - 1),
      open,
      high,
      low,
      close,
      volume,
    });
  });
  return candles;
}
