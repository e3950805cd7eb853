// The quick order syntax for experienced users, parsed into a draft the same confirmation card
// shows as the step-by-step conversation:
//   /buy BTCUSDT 0.01
//   /sell AAPL 10 limit 190.5
//   /buy ETHUSDT 2 stop 3100 limit 3105 ioc
//   /sell BTCUSDT 0.5 trailing 1.5%
//   /buy BTCUSDT $250                     (a cash amount, converted to a quantity on the lot)
//   /buy SOLUSDT 3 limit 140 day in Swing strategy MeanRev
//   /buy BTCUSDT 0.1 tp 70000 sl 60000    (a take-profit and stop-loss placed once it fills)
//   /buy BTCUSDT 0.1 limit 65000 tp 5% sl 2%   (levels as a percent from the entry price)
// Words are case-insensitive; "in NAME" names the portfolio, "strategy NAME" the strategy.
import type { OrderSide, OrderType, TimeInForce } from "../../../domain/types.ts";
import { type Decimal, parseDecimal, parseNumberInput } from "../../../lib/decimal.ts";

export interface OrderDraft {
  side: OrderSide;
  symbol: string;
  quantity: string | null;
  /** spend this much quote currency instead of giving a quantity */
  cashAmount: string | null;
  type: OrderType;
  price: string | null;
  stopPrice: string | null;
  trailAmount: string | null;
  trailPercent: string | null;
  timeInForce: TimeInForce;
  portfolio: string | null;
  strategy: string | null;
  /** bracket levels: a price ("70000") or a percent from the entry ("5%"); absent in old drafts */
  takeProfit?: string | null;
  stopLoss?: string | null;
}

/** A market GTC draft with nothing chosen yet but the side. */
export function blankDraft(side: OrderDraft["side"]): OrderDraft {
  return {
    side,
    symbol: "",
    quantity: null,
    cashAmount: null,
    type: "MARKET",
    price: null,
    stopPrice: null,
    trailAmount: null,
    trailPercent: null,
    timeInForce: "GTC",
    portfolio: null,
    strategy: null,
    takeProfit: null,
    stopLoss: null,
  };
}

export type ParseResult =
  { ok: true; draft: OrderDraft } | { ok: false; key: string; params: Record<string, string> };

const TIFS: Record<string, TimeInForce> = { gtc: "GTC", ioc: "IOC", fok: "FOK", day: "DAY" };

function fail(key: string, params: Record<string, string> = {}): ParseResult {
  return { ok: false, key, params };
}

function number(text: string | undefined): Decimal | null {
  return text === undefined ? null : parseDecimal(text);
}

/** A number that did not parse: "1,000" is explained as ambiguous, anything else with `key`. */
function badNumber(key: string, value: string, params: Record<string, string> = {}): ParseResult {
  const parsed = parseNumberInput(value.replace(/^\$/, "").replace(/%$/, ""));
  return !parsed.ok && parsed.problem === "ambiguous"
    ? fail("order-syntax-ambiguous", { value })
    : fail(key, { ...params, value });
}

export function parseOrderCommand(side: OrderSide, args: string): ParseResult {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  // the symbol alone: say what is missing, with that very symbol in the examples
  if (tokens.length === 1)
    return fail("order-syntax-quantity-missing", {
      symbol: tokens[0]!.toUpperCase().slice(0, 20),
      command: side === "BUY" ? "buy" : "sell",
    });
  if (tokens.length < 2) return fail("order-syntax-usage");
  const draft: OrderDraft = { ...blankDraft(side), symbol: tokens[0]!.toUpperCase() };
  const size = tokens[1]!;
  // "$250" or "250 USDT": a cash amount to spend; otherwise a quantity
  const currencyNext = /^(usd|usdt|usdc|eur)$/i.test(tokens[2] ?? "");
  let i = currencyNext ? 3 : 2;
  if (size.startsWith("$") || currencyNext) {
    const amount = number(size.replace(/^\$/, ""));
    if (!amount) return badNumber("order-syntax-bad-number", size);
    draft.cashAmount = amount.toFixed();
  } else {
    const qty = number(size);
    if (!qty) return badNumber("order-syntax-bad-quantity", size);
    draft.quantity = qty.toFixed();
  }
  let hasLimit = false;
  let hasStop = false;
  let hasTrail = false;
  while (i < tokens.length) {
    const word = tokens[i]!.toLowerCase();
    const next = tokens[i + 1];
    if (word === "market" || word === "mkt") {
      i++;
    } else if (word === "limit" || word === "lmt" || word === "@") {
      const p = number(next);
      if (!p) return badNumber("order-syntax-needs-number", next ?? "", { word });
      draft.price = p.toFixed();
      hasLimit = true;
      i += 2;
    } else if (word === "stop" || word === "stp") {
      const p = number(next);
      if (!p) return badNumber("order-syntax-needs-number", next ?? "", { word });
      draft.stopPrice = p.toFixed();
      hasStop = true;
      i += 2;
    } else if (word === "trailing" || word === "trail") {
      if (!next) return fail("order-syntax-needs-number", { word, value: "" });
      const pct = next.endsWith("%");
      const v = number(pct ? next.slice(0, -1) : next);
      if (!v) return badNumber("order-syntax-needs-number", next, { word });
      if (pct) draft.trailPercent = v.toFixed();
      else draft.trailAmount = v.toFixed();
      hasTrail = true;
      i += 2;
    } else if (word === "tp" || word === "sl") {
      const level = parseLevel(next);
      if (!level) return badNumber("order-syntax-needs-number", next ?? "", { word });
      if (word === "tp") draft.takeProfit = level;
      else draft.stopLoss = level;
      i += 2;
    } else if (TIFS[word]) {
      draft.timeInForce = TIFS[word]!;
      i++;
    } else if (word === "in" || word === "portfolio") {
      const rest = takeName(tokens, i + 1);
      if (!rest.name) return fail("order-syntax-needs-name", { word });
      draft.portfolio = rest.name;
      i = rest.next;
    } else if (word === "strategy") {
      const rest = takeName(tokens, i + 1);
      if (!rest.name) return fail("order-syntax-needs-name", { word });
      draft.strategy = rest.name;
      i = rest.next;
    } else {
      return fail("order-syntax-unknown-word", { word: tokens[i]! });
    }
  }
  if (hasTrail && (hasLimit || hasStop)) return fail("order-syntax-trailing-alone");
  draft.type = hasTrail
    ? "TRAILING"
    : hasStop && hasLimit
      ? "STOP_LIMIT"
      : hasStop
        ? "STOP"
        : hasLimit
          ? "LIMIT"
          : "MARKET";
  return { ok: true, draft };
}

/** A bracket level: "70000" or "5%" (normalized), or null when it is no positive number. */
export function parseLevel(text: string | undefined): string | null {
  if (!text) return null;
  const pct = text.endsWith("%");
  const value = number(pct ? text.slice(0, -1) : text);
  if (!value || !value.gt(0)) return null;
  return pct ? `${value.toFixed()}%` : value.toFixed();
}

/** A name runs until the next keyword ("strategy", "in") or the end; quotes may wrap it. */
function takeName(tokens: string[], start: number): { name: string | null; next: number } {
  const words: string[] = [];
  let i = start;
  while (i < tokens.length && !["strategy", "in", "portfolio"].includes(tokens[i]!.toLowerCase()))
    words.push(tokens[i++]!);
  const name = words
    .join(" ")
    .replace(/^["'«](.*)["'»]$/, "$1")
    .trim();
  return { name: name || null, next: i };
}
