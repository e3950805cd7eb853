// The cash a paper buy may use: the account's ledger balance in the instrument's currency less
// what its open buy orders (every portfolio of the account) would still spend, valued like a new
// order's estimate. Live accounts' cash is the broker's business (it rejects what it cannot fund).
import type { CostModel } from "../../brokers/types.ts";
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb, fromDbOrNull } from "../../lib/decimal.ts";
import type { Quote } from "../../market/types.ts";
import { cashBalance } from "../cash/cash-ledger.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";
import { estimateExecution } from "./order-estimate.ts";

export interface CashAvailability {
  currency: string;
  /** the ledger balance */
  balance: Decimal;
  /** what open buy orders would still spend, fees included */
  reserved: Decimal;
  available: Decimal;
}

export interface PaperCashInputs {
  db: DbOrTx;
  accountId: number;
  currency: string;
  cost: CostModel;
  quote(symbol: string): Promise<Quote>;
}

export async function paperCashAvailability(inputs: PaperCashInputs): Promise<CashAvailability> {
  const { db, accountId, currency } = inputs;
  const [balance, open] = await Promise.all([
    cashBalance(db, accountId, currency),
    db.order.findMany({
      where: {
        portfolio: { accountId },
        side: "BUY",
        status: { in: [...OPEN_STATUSES] },
        instrument: { currency },
      },
      include: { instrument: { select: { symbol: true, tickSize: true } } },
    }),
  ]);
  const quotes = new Map<string, Promise<Quote>>();
  let reserved = ZERO;
  for (const order of open) {
    const remaining = fromDb(order.quantity).minus(fromDb(order.filledQuantity));
    if (!remaining.gt(0)) continue;
    const symbol = order.instrument.symbol;
    if (!quotes.has(symbol)) quotes.set(symbol, inputs.quote(symbol));
    const estimate = estimateExecution(
      {
        side: order.side,
        type: order.type,
        quantity: remaining,
        price: fromDbOrNull(order.price),
        stopPrice: fromDbOrNull(order.stopPrice),
      },
      await (quotes.get(symbol) as Promise<Quote>),
      inputs.cost,
      fromDb(order.instrument.tickSize),
      currency,
    );
    reserved = reserved.plus(estimate.total);
  }
  return { currency, balance, reserved, available: balance.minus(reserved) };
}
