// Figures asked of the market and the broker at the moment they are shown: the quantity a cash
// amount buys ("buy 100 USDT of BTC") and where open trailing stops would trigger now.
import { takerPrice } from "../../brokers/pricing.ts";
import type { OrderSide } from "../../db/generated/sqlite/enums.ts";
import { type Decimal, ONE, bracketByStep } from "../../lib/decimal.ts";
import { checkBound } from "../bounds.ts";
import { ValidationError } from "../errors.ts";
import { checkNotional } from "../instruments/trading-rules.ts";
import type { OrderView } from "../orders/order-types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import type { CashQuantity, TradingServiceDeps } from "./trading-types.ts";

const money = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

/**
 * The largest quantity on the lot grid that `amount` (quote currency) buys at the current
 * quote, fee and slippage included (for a sell: whose proceeds before fees stay within it).
 * ValidationError on field "amount" when that is below the instrument's minimums.
 */
export async function quantityForCash(
  deps: Pick<TradingServiceDeps, "portfolios" | "instruments" | "gateways" | "market">,
  actor: Actor,
  portfolioId: number,
  symbol: string,
  amount: Decimal,
  side: OrderSide = "BUY",
  /**
   * the actor's portfolio as the caller read it, owner checked (the strategy runtime's cycle):
   * only its account is used here, which never changes, so it is not read again
   */
  known?: PortfolioView,
): Promise<CashQuantity> {
  if (!amount.isFinite() || !amount.gt(0))
    throw new ValidationError("amount", "error-must-be-positive", { value: amount.toFixed() });
  checkBound("amount", amount, "amount");
  let portfolio: PortfolioView;
  if (known?.id === portfolioId) {
    // what getPortfolio checks of the actor, in memory
    assertApproved(actor);
    portfolio = known;
  } else {
    portfolio = await deps.portfolios.getPortfolio(actor, portfolioId);
  }
  const instrument = await deps.instruments.resolve(symbol);
  const gateway = await deps.gateways.forAccount(portfolio.accountId);
  const [quote, cost] = await Promise.all([
    deps.market.quote(instrument.symbol),
    gateway.costModel(instrument.symbol),
  ]);
  const { rules } = instrument;
  const price = takerPrice(side, quote, cost.slippageRate, rules.tickSize);
  const perUnit = side === "BUY" ? price.mul(ONE.plus(cost.takerFeeRate)) : price;
  const quantity = bracketByStep(amount.div(perUnit), rules.lotSize).down;
  if (quantity.isZero() || quantity.lt(rules.minQty)) {
    throw new ValidationError(
      "amount",
      "error-amount-below-min-quantity",
      {
        amount: money(amount),
        min: rules.minQty.toFixed(),
        minAmount: money(rules.minQty.mul(perUnit)),
        symbol: instrument.symbol,
        currency: instrument.currency,
      },
      [money(rules.minQty.mul(perUnit))],
    );
  }
  checkNotional(rules, quantity, price, "amount");
  const notional = quantity.mul(price);
  const fee = notional.mul(cost.takerFeeRate);
  return {
    symbol: instrument.symbol,
    side,
    quantity,
    price,
    notional,
    fee,
    total: side === "BUY" ? notional.plus(fee) : notional.minus(fee),
    currency: instrument.currency,
  };
}

/**
 * The current trigger level of each open trailing stop among `orders` (by order id), as the
 * broker tracks it: it moves with the market, so it is asked for when shown, not stored. An
 * order the broker cannot answer for right now is left out (shown without its level).
 */
export async function trailingTriggers(
  deps: Pick<TradingServiceDeps, "portfolios" | "gateways">,
  actor: Actor,
  portfolioId: number,
  orders: readonly OrderView[],
): Promise<Map<number, Decimal>> {
  const trailing = orders.filter(
    (o) =>
      o.type === "TRAILING" &&
      o.portfolioId === portfolioId &&
      (o.status === "NEW" || o.status === "PARTIALLY_FILLED"),
  );
  const out = new Map<number, Decimal>();
  if (!trailing.length) return out;
  const portfolio = await deps.portfolios.getPortfolio(actor, portfolioId);
  const gateway = await deps.gateways.forAccount(portfolio.accountId);
  for (const o of trailing) {
    const reported = await gateway
      .fetchOrder({ brokerOrderId: o.brokerOrderId, clientOrderId: o.clientOrderId })
      .catch(() => null);
    if (reported?.stopPrice) out.set(o.id, reported.stopPrice);
  }
  return out;
}
