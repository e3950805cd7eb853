// One preview pass per order: ownership, trading rules, broker support, the spot short guard, the
// entry pause, the quote and cost model, paper cash, the strategy's name and the bracket plan.
// What was read is kept as the preview's basis, so a smaller quantity (a risk rule's reduction, the
// size the user accepted on the card) is priced again from it without reading anything twice.
import type { BrokerCapabilities, BrokerGateway, CostModel } from "../../brokers/types.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { Quote } from "../../market/types.ts";
import { ValidationError } from "../errors.ts";
import type { InstrumentView } from "../instruments/instrument-service.ts";
import { normalizeOrder } from "../orders/order-normalizer.ts";
import type { PreparedOrder } from "../orders/order-service.ts";
import type { NormalizedOrder, OrderRequest } from "../orders/order-types.ts";
import { assertEntryAllowed } from "../portfolios/entry-pause.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { Actor } from "../users/actor.ts";
import { resolveBracket } from "./bracket-plan.ts";
import { estimateExecution } from "./order-estimate.ts";
import { type CashAvailability, paperCashAvailability } from "./paper-cash.ts";
import { assertCoveredSell } from "./short-guard.ts";
import type { OrderPreview, PreviewOptions, TradingServiceDeps } from "./trading-types.ts";

/** What a preview read: enough to price the same order at another quantity. */
export interface PreviewBasis {
  request: OrderRequest;
  prepared: PreparedOrder;
  portfolio: PortfolioView;
  gateway: BrokerGateway;
  quote: Quote;
  cost: CostModel;
  /** paper buys: the portfolio's free cash */
  cash: CashAvailability | null;
  strategy: { name: string; version: number } | null;
}

type PreviewDeps = Pick<
  TradingServiceDeps,
  "ctx" | "orders" | "portfolios" | "market" | "gateways"
>;

const money = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

/**
 * The normalized order with its expected cost, and the basis it was priced on. Throws
 * ValidationError (field named) for bad input, "error-insufficient-(free-)cash" for a paper buy its
 * portfolio's free cash cannot pay, GatewayError when the account's broker is not usable here,
 * NotFoundError for another user's portfolio.
 */
export async function loadPreview(
  deps: PreviewDeps,
  actor: Actor,
  request: OrderRequest,
  options: PreviewOptions = {},
): Promise<{ preview: OrderPreview; basis: PreviewBasis }> {
  const { orders, portfolios, market, ctx } = deps;
  const { known } = options;
  // a portfolio the caller read this cycle: only what may have changed since is read again
  const livePortfolio =
    known && known.portfolio.id === request.portfolioId
      ? await portfolios.refreshLive(actor, known.portfolio)
      : undefined;
  const prepared = await orders.prepareWithBasis(actor, request, {
    livePortfolio,
    ownedStrategyId: known?.strategy?.id,
  });
  // the portfolio prepareWithBasis checked (the actor's, live), not read a second time
  const { order, instrument, portfolio } = prepared;
  const gateway = await deps.gateways.forAccount(portfolio.accountId);
  assertSupported(gateway, order);
  if (order.side === "SELL" && !gateway.capabilities.shortSelling) {
    // before the card: a spot account cannot sell what it does not hold
    await assertCoveredSell(ctx.db, {
      ...coveredSell(order, instrument),
      excludeOrderIds: options.excludeOrderIds,
      ocoGroup: options.ocoGroup,
    });
  }
  // a paused portfolio takes exits only (/pause): refused before the card, like a short
  await assertEntryAllowed(ctx.db, portfolio, order);
  const [quote, cost] = await Promise.all([
    market.quote(order.symbol),
    gateway.costModel(order.symbol),
  ]);
  // the portfolio's own free cash: its balance less what its open buys reserve
  const cash =
    portfolio.isPaper && order.side === "BUY"
      ? await paperCashAvailability({
          db: ctx.db,
          portfolioId: portfolio.id,
          currency: instrument.currency,
          cost: (symbol) =>
            symbol === order.symbol ? Promise.resolve(cost) : gateway.costModel(symbol),
          quote: (symbol) => market.quote(symbol),
          excludeOrderIds: options.excludeOrderIds,
        })
      : null;
  const strategy = !order.strategyId
    ? null
    : known?.strategy?.id === order.strategyId
      ? { name: known.strategy.name, version: known.strategy.version }
      : await ctx.db.strategy.findUnique({
          where: { id: order.strategyId },
          select: { name: true, version: true },
        });
  const basis: PreviewBasis = {
    request,
    prepared,
    portfolio,
    gateway,
    quote,
    cost,
    cash,
    strategy,
  };
  return { preview: priceOrder(basis, order), basis };
}

/**
 * The same order at a smaller quantity, validated again (lot grid, minimums, paper cash) against
 * what the first pass read. Smaller than a sell that passed the short guard and the entry pause,
 * it passes them too (the short guard runs again, under the account lock, when it is stored).
 */
export function resizePreview(
  basis: PreviewBasis,
  actor: Actor,
  clientOrderId: string,
  quantity: Decimal,
  now: Date,
): OrderPreview {
  const { instrument, marketPrice } = basis.prepared;
  const order = normalizeOrder(
    { ...basis.request, quantity, clientOrderId },
    { instrument, marketPrice, now, timeZone: actor.timeZone },
  );
  return priceOrder(basis, order);
}

/** The estimate, the paper-cash check and the bracket plan of one normalized order. */
function priceOrder(basis: PreviewBasis, order: NormalizedOrder): OrderPreview {
  const { portfolio, quote, cost, cash, strategy } = basis;
  const { instrument } = basis.prepared;
  const estimate = estimateExecution(
    order,
    quote,
    cost,
    instrument.rules.tickSize,
    instrument.currency,
  );
  if (cash && estimate.total.gt(cash.available)) {
    if (instrument.currency !== portfolio.baseCurrency && cash.balance.isZero()) {
      // "0 USD available" says nothing to someone buying AAPL from a USDT account
      throw new ValidationError("symbol", "error-no-cash-in-currency", {
        symbol: instrument.symbol,
        currency: instrument.currency,
        portfolio: portfolio.name,
        base: portfolio.baseCurrency,
      });
    }
    throw cash.reservingOrders > 0
      ? new ValidationError("quantity", "error-insufficient-free-cash", {
          portfolio: portfolio.name,
          available: money(cash.available),
          balance: money(cash.balance),
          reserved: money(cash.reserved),
          orders: cash.reservingOrders,
          required: money(estimate.total),
          currency: instrument.currency,
        })
      : new ValidationError("quantity", "error-insufficient-cash", {
          available: money(cash.available),
          required: money(estimate.total),
          currency: instrument.currency,
        });
  }
  const bracket = resolveBracket(
    basis.request.bracket,
    order,
    estimate,
    cost,
    instrument.rules.tickSize,
  );
  return { order, portfolio, estimate, cash, strategy, bracket };
}

/** The short guard's view of a sell. */
export function coveredSell(
  order: NormalizedOrder,
  instrument: Pick<InstrumentView, "baseAsset" | "rules">,
) {
  return {
    portfolioId: order.portfolioId,
    instrumentId: order.instrumentId,
    strategyId: order.strategyId,
    quantity: order.quantity,
    symbol: order.symbol,
    asset: instrument.baseAsset ?? order.symbol,
    lotSize: instrument.rules.lotSize,
    minQty: instrument.rules.minQty,
  };
}

function assertSupported(gateway: BrokerGateway, order: NormalizedOrder): void {
  const caps: BrokerCapabilities = gateway.capabilities;
  if (!caps.orderTypes.includes(order.type)) {
    throw new ValidationError("type", "error-order-type-unsupported", {
      type: order.type,
      broker: gateway.brokerCode,
      supported: caps.orderTypes.join(", "),
    });
  }
  if (!caps.timeInForce.includes(order.timeInForce)) {
    throw new ValidationError("timeInForce", "error-tif-unsupported", {
      tif: order.timeInForce,
      broker: gateway.brokerCode,
      supported: caps.timeInForce.join(", "),
    });
  }
}
