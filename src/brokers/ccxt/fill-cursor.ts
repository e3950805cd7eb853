// Where fill fetching stands on each symbol, stored by the domain as an opaque string
// (sync_cursors.cursor). Binance lists an account's trades per symbol and pages them by trade
// id (fromId), so the cursor holds the last trade id ingested per symbol. A symbol with no trade
// read yet is scanned forward in time windows (Binance answers at most 24 h per startTime query)
// from the moment it became interesting, so the first read neither misses trades nor imports the
// account's whole past.
export type SymbolPosition =
  /** the last trade id read on this symbol: continue with fromId = id + 1 */
  | { id: string }
  /** no trade read yet; every trade before this time (ms) has been looked for */
  | { t: number };

export type FillCursor = Map<string, SymbolPosition>;

/** Binance's longest startTime..endTime window for myTrades, less a millisecond. */
export const SCAN_WINDOW_MS = 24 * 60 * 60 * 1000 - 1;

export function parseCursor(text: string | null): FillCursor {
  const out: FillCursor = new Map();
  if (!text) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // a cursor this gateway did not write (another broker's): start over; ingestion is idempotent
    return out;
  }
  const symbols = (raw as { s?: unknown }).s;
  if (!symbols || typeof symbols !== "object") return out;
  for (const [symbol, pos] of Object.entries(symbols as Record<string, unknown>)) {
    const p = pos as { id?: unknown; t?: unknown };
    if (typeof p.id === "string" && /^\d+$/.test(p.id)) out.set(symbol, { id: p.id });
    else if (typeof p.t === "number" && Number.isFinite(p.t)) out.set(symbol, { t: p.t });
  }
  return out;
}

export function formatCursor(cursor: FillCursor): string {
  const s: Record<string, SymbolPosition> = {};
  for (const symbol of [...cursor.keys()].sort()) s[symbol] = cursor.get(symbol)!;
  return JSON.stringify({ v: 1, s });
}

/** The trade id after `id` (ids exceed 2^31; kept as text, counted as BigInt). */
export function nextId(id: string): string {
  return (BigInt(id) + 1n).toString();
}

/** Orders two trade ids numerically. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
