// A paper portfolio's free cash: its own ledger balance in a currency less what its open buy
// orders would still spend, valued like a new order's estimate (a resting limit at its limit
// price plus the fee, a stop at its stop price with slippage, a market or trailing order at the
// current quote: estimateExecution, the same estimate the order card and the pre-trade check
// use). This one function is what buys (pre-trade), withdrawals and transfers may use. Live
// accounts' cash is the broker's business (it rejects what it cannot fund).
import type { CostModel } from "../../brokers/types.ts";
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb, fromDbOrNull, maxDec } from "../../lib/decimal.ts";
import type { Quote } from "../../market/types.ts";
import { cashBalance } from "../cash/cash-ledger.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";
import { estimateExecution } from "./order-estimate.ts";

export interface CashAvailability {
  currency: string;
  /** the portfolio's ledger balance */
  balance: Decimal;
  /** what its open buy orders would still spend, fees included */
  reserved: Decimal;
  /** how many open buy orders reserve cash */
  reservingOrders: number;
  /** balance − reserved, never below zero */
  available: Decimal;
}

export interface PaperCashInputs {
  db: DbOrTx;
  portfolioId: number;
  currency: string;
  /** the broker's fees and slippage for a symbol */
  cost(symbol: string): Promise<CostModel>;
  quote(symbol: string): Promise<Quote>;
  /** open buys not to count as reserving (the order an amend is about to replace) */
  excludeOrderIds?: readonly number[];
  /** the ledger balance in `currency` as the caller just read it (cashBalances): not read again */
  balance?: Decimal;
}

const OPEN_BUY_FIELDS = {
  instrumentId: true,
  side: true,
  type: true,
  quantity: true,
  filledQuantity: true,
  price: true,
  stopPrice: true,
  trailAmount: true,
  trailPercent: true,
} as const;

export async function paperCashAvailability(inputs: PaperCashInputs): Promise<CashAvailability> {
  const { db, portfolioId, currency } = inputs;
  const [balance, open] = await Promise.all([
    inputs.balance ?? cashBalance(db, portfolioId, currency),
    db.order.findMany({
      where: {
        portfolioId,
        side: "BUY",
        status: { in: [...OPEN_STATUSES] },
        instrument: { currency },
        ...(inputs.excludeOrderIds?.length ? { id: { notIn: [...inputs.excludeOrderIds] } } : {}),
      },
      select: OPEN_BUY_FIELDS,
      orderBy: { id: "asc" },
    }),
  ]);
  // the instruments in a second read, only when there are open buys: an include made Prisma send
  // its follow-up query (`WHERE id IN (NULL)`) even for none, which is most of the time (every
  // strategy evaluation and every paper buy asks)
  const instruments = new Map<number, { symbol: string; tickSize: string }>();
  if (open.length) {
    const rows = await db.instrument.findMany({
      where: { id: { in: [...new Set(open.map((o) => o.instrumentId))] } },
      select: { id: true, symbol: true, tickSize: true },
    });
    for (const row of rows) instruments.set(row.id, row);
  }
  const quotes = new Map<string, Promise<Quote>>();
  const costs = new Map<string, Promise<CostModel>>();
  let reserved = ZERO;
  let reservingOrders = 0;
  for (const order of open) {
    const remaining = fromDb(order.quantity).minus(fromDb(order.filledQuantity));
    if (!remaining.gt(0)) continue;
    // an order's instrument cannot go (orders reference it without cascade), as with the include
    const instrument = instruments.get(order.instrumentId)!;
    const symbol = instrument.symbol;
    if (!quotes.has(symbol)) quotes.set(symbol, inputs.quote(symbol));
    if (!costs.has(symbol)) costs.set(symbol, inputs.cost(symbol));
    const estimate = estimateExecution(
      {
        side: order.side,
        type: order.type,
        quantity: remaining,
        price: fromDbOrNull(order.price),
        stopPrice: fromDbOrNull(order.stopPrice),
        trailAmount: fromDbOrNull(order.trailAmount),
        trailPercent: fromDbOrNull(order.trailPercent),
      },
      await (quotes.get(symbol) as Promise<Quote>),
      await (costs.get(symbol) as Promise<CostModel>),
      fromDb(instrument.tickSize),
      currency,
    );
    reserved = reserved.plus(estimate.total);
    reservingOrders++;
  }
  return {
    currency,
    balance,
    reserved,
    reservingOrders,
    // Withdrawals, transfers and buys may only take balance − reserved, so the difference starts
    // out non-negative. It can still dip below zero afterwards without anyone spending reserved
    // cash: orders priced at the market (trailing, market, a limit that became marketable and now
    // pays the taker fee) are re-estimated at today's quote, so their reserve moves with prices.
    // Free cash is then zero — nothing more may be taken — rather than a negative amount.
    available: maxDec(ZERO, balance.minus(reserved)),
  };
}
