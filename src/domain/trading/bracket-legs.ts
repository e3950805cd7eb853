// The pieces of a bracket's exits (trading/brackets.ts): leg client order ids, an entry's OCO
// groups as their stored legs say, a leg's order, and how much an entry delivered to close.
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb } from "../../lib/decimal.ts";
import { ValidationError } from "../errors.ts";
import { BRACKET_LEG_PREFIX, type BracketRole } from "../orders/bracket-types.ts";
import type { OrderLinks, OrderRequest, OrderView } from "../orders/order-types.ts";

const ROLE_CODE: Record<BracketRole, string> = { "take-profit": "tp", "stop-loss": "sl" };

/**
 * The fixed client order id of a group's leg (a replacement adds a suffix to it); venues read the
 * OCO group from it (brokers/oco.ts).
 */
export function legClientOrderId(entryId: number, group: string, role: BracketRole): string {
  return `${BRACKET_LEG_PREFIX}${entryId}-${group.split("-").at(-1)}-${ROLE_CODE[role]}`;
}

/** An OCO group of an entry as its stored legs say. */
export interface GroupState {
  quantity: Decimal;
  roles: Set<BracketRole>;
  legs: OrderView[];
  /** the venue's list id of a native pair */
  nativeList: string | null;
}

export function groupsOf(legs: readonly OrderView[]): Map<string, GroupState> {
  const groups = new Map<string, GroupState>();
  for (const leg of legs) {
    const g = groups.get(leg.leg!.group) ?? {
      quantity: leg.leg!.groupQuantity,
      roles: new Set<BracketRole>(),
      legs: [],
      nativeList: leg.leg!.nativeList,
    };
    g.roles.add(leg.leg!.role);
    g.legs.push(leg);
    groups.set(leg.leg!.group, g);
  }
  return groups;
}

/** A leg's order and links: a LIMIT at the take-profit or a STOP at the stop-loss. */
export function legOrder(
  entry: OrderView,
  group: string,
  groupQuantity: Decimal,
  role: BracketRole,
  quantity: Decimal,
  extra: OrderLinks,
): { request: OrderRequest; links: OrderLinks } {
  const plan = entry.bracketPlan!;
  return {
    request: {
      portfolioId: entry.portfolioId,
      symbol: entry.symbol,
      side: entry.side === "BUY" ? "SELL" : "BUY",
      type: role === "take-profit" ? "LIMIT" : "STOP",
      quantity,
      price: role === "take-profit" ? plan.takeProfit : null,
      stopPrice: role === "stop-loss" ? plan.stopLoss : null,
      timeInForce: "GTC",
      strategyId: entry.strategyId,
      clientOrderId: legClientOrderId(entry.id, group, role),
    },
    links: {
      ...extra,
      parentOrderId: entry.id,
      bracketRole: role,
      ocoGroup: group,
      ocoQuantity: groupQuantity.toFixed(),
      exitReason: role,
    },
  };
}

/** The stop-loss is already behind the market (so it is sent as a market order). */
export function stopPassed(e: unknown): boolean {
  return (
    e instanceof ValidationError &&
    (e.key === "error-sell-stop-above-market" || e.key === "error-buy-stop-below-market")
  );
}

export function filledIn(legs: readonly OrderView[], group: string): Decimal {
  return legs
    .filter((l) => l.leg?.group === group)
    .reduce((sum, l) => sum.plus(l.filledQuantity), ZERO);
}

export function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * What an entry's fills put in the account, to be closed by its exits, on the lot grid: the
 * filled quantity, less a buy's commissions taken in the coin bought (Binance's default: buy 0.01
 * BTC, receive 0.00999). Exits for the filled quantity would sell more than is held and be
 * refused; the dust under one lot step cannot be sold by any order.
 */
export async function deliveredQuantity(
  db: DbOrTx,
  entry: OrderView,
  instrument: { baseAsset: string | null; lotSize: Decimal },
): Promise<Decimal> {
  if (entry.side !== "BUY" || !instrument.baseAsset) return entry.filledQuantity;
  const trades = await db.trade.findMany({
    where: { orderId: entry.id, feeCurrency: instrument.baseAsset },
    select: { fee: true },
  });
  if (!trades.length) return entry.filledQuantity;
  const fees = trades.reduce((sum, t) => sum.plus(fromDb(t.fee)), ZERO);
  const net = entry.filledQuantity.minus(fees);
  const lot = instrument.lotSize;
  return lot.gt(0) ? net.div(lot).floor().mul(lot) : net;
}
