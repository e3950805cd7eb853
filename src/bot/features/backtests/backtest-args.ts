// The words of `/backtest STRATEGY SYMBOL [FROM [TO]] [TIMEFRAME]`, read before anything is asked
// of the domain, so a typo is answered at once with what was wrong:
// - a strategy name with spaces goes in quotes ("My cross");
// - dates are days (2026-03-01) or ISO times (2026-03-01T12:00), read in the user's time zone; a
//   day given as TO counts whole (up to the next midnight), a lone FROM runs up to now;
// - the timeframe is one of the market's intervals (1m … 1d) and may stand anywhere after the
//   symbol.
// Whether the strategy, the symbol and the range are acceptable is the domain's question.
import { DateTime } from "luxon";
import { type Interval, parseInterval } from "../../../market/intervals.ts";

export interface BacktestArgs {
  strategy: string;
  symbol: string;
  from?: Date;
  to?: Date;
  timeframe?: Interval;
}

export type BacktestArgsProblem =
  | { problem: "usage" }
  | { problem: "date"; word: string }
  | { problem: "dates"; word: string }
  | { problem: "timeframe"; word: string }
  | { problem: "word"; word: string };

export type ParsedBacktestArgs =
  ({ ok: true } & BacktestArgs) | ({ ok: false } & BacktestArgsProblem);

const QUOTED = /^["«“']([^"»”']+)["»”']\s*(.*)$/s;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_LIKE = /^\d{4}-\d/;
/** "2h", "3d", "1w": meant as a timeframe, just not one we have */
const TIMEFRAME_LIKE = /^\d+\s*[a-zA-Zа-яА-Я]+$/;

/** A day or an ISO time in `zone`; a day as the end of a range means its next midnight. */
function parseDate(word: string, zone: string, end: boolean): Date | null {
  const at = DateTime.fromISO(word, { zone });
  if (!at.isValid) return null;
  return (end && DAY.test(word) ? at.plus({ days: 1 }) : at).toJSDate();
}

export function parseBacktestArgs(text: string, zone: string): ParsedBacktestArgs {
  const trimmed = text.trim();
  const quoted = QUOTED.exec(trimmed);
  const words = trimmed.split(/\s+/).filter(Boolean);
  const [name, rest] = quoted
    ? [quoted[1]!.trim(), quoted[2]!.split(/\s+/).filter(Boolean)]
    : [words[0] ?? "", words.slice(1)];
  const symbol = rest.shift();
  if (!name || !symbol) return { ok: false, problem: "usage" };
  let timeframe: Interval | undefined;
  const dates: string[] = [];
  for (const word of rest) {
    const interval = parseInterval(word);
    if (interval && !timeframe) {
      timeframe = interval;
    } else if (DATE_LIKE.test(word)) {
      if (dates.length === 2) return { ok: false, problem: "dates", word };
      dates.push(word);
    } else if (TIMEFRAME_LIKE.test(word) || interval) {
      return { ok: false, problem: "timeframe", word };
    } else {
      return { ok: false, problem: "word", word };
    }
  }
  const args: BacktestArgs = { strategy: name, symbol };
  if (timeframe) args.timeframe = timeframe;
  const [fromWord, toWord] = dates;
  if (fromWord !== undefined) {
    const from = parseDate(fromWord, zone, false);
    if (!from) return { ok: false, problem: "date", word: fromWord };
    args.from = from;
  }
  if (toWord !== undefined) {
    const to = parseDate(toWord, zone, true);
    if (!to) return { ok: false, problem: "date", word: toWord };
    args.to = to;
  }
  return { ok: true, ...args };
}
