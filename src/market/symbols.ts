// Symbol text as users type it, and "did you mean ...?" suggestions for a mistyped symbol.
import { ValidationError } from "../lib/errors.ts";

/**
 * Canonical spelling of a typed symbol: trimmed, upper-cased, and the pair separators people
 * copy from exchanges ("btc/usdt", "BTC-USDT") removed. Dots stay: they are part of share class
 * tickers such as "BRK.B".
 */
export function normalizeSymbol(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s/_-]+/g, "");
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), so "APPL" is one
 * edit from "AAPL" and "BTCUDST" one from "BTCUSDT".
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  let curr = new Array<number>(cols).fill(0);
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, prevPrev[j - 2]! + 1);
      }
      curr[j] = best;
    }
    [prevPrev, prev, curr] = [prev, curr, prevPrev];
  }
  return prev[b.length]!;
}

interface Scored {
  symbol: string;
  rank: number;
}

/**
 * Rank of `symbol` as a correction of the normalized input `q`, lower is better, or null when it
 * is not a plausible correction. Completions come first ("BTCUSD" → BTCUSDT, "ETH" → ETHUSDT,
 * shorter completions first), then symbols the input contains or that contain it, then symbols a
 * few edits away (one edit allowed per three characters, at least one).
 */
function rankCandidate(q: string, symbol: string): number | null {
  if (symbol === q) return 0;
  if (symbol.startsWith(q)) return 1 + (symbol.length - q.length) / 100;
  if (q.length >= 2 && symbol.length >= 2 && (symbol.includes(q) || q.includes(symbol))) {
    return 2 + Math.abs(symbol.length - q.length) / 100;
  }
  const allowed = Math.max(1, Math.ceil(q.length / 3));
  const distance = editDistance(q, symbol);
  return distance <= allowed ? 2 + distance : null;
}

/**
 * Up to `n` known symbols close to a mistyped `input`, best first: completions, substrings, then
 * near misses by edit distance. Ties go to the alphabetically first symbol so the answer is stable.
 */
export function suggestSymbols(input: string, symbols: Iterable<string>, n = 3): string[] {
  const q = normalizeSymbol(input);
  if (!q || n <= 0) return [];
  const scored: Scored[] = [];
  for (const symbol of new Set(symbols)) {
    const rank = rankCandidate(q, normalizeSymbol(symbol));
    if (rank !== null) scored.push({ symbol, rank });
  }
  scored.sort(
    (x, y) => x.rank - y.rank || (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0),
  );
  return scored.slice(0, n).map((s) => s.symbol);
}

/** A symbol the market data source does not know; `suggestions` holds the closest known ones. */
export class UnknownSymbolError extends ValidationError {
  constructor(
    readonly symbol: string,
    suggestions: string[],
  ) {
    super(
      "symbol",
      "error-unknown-symbol",
      { symbol, suggestions: suggestions.join(", ") },
      suggestions,
    );
  }
}
