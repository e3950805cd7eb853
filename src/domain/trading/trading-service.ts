// Placing and canceling orders: the orchestration every front (bot, future web/API) uses.
//
// place(): preview (ownership, trading rules, broker support, estimate, paper cash) → pre-trade
// check → store as NEW → send to the broker → record the broker id or rejection → ingest the
// account's fills at once, so a market order comes back filled with its position and cash
// updated. If the broker cannot be reached the order stays NEW without a broker id and the
// order-sync job submits it later under the same clientOrderId (placement is idempotent on it).
//
// cancel(): ownership and open check → cancel at the broker → ingest fills (it may have filled
// meanwhile) → record whatever the broker reports.
import { BrokerOrderNotFoundError } from "../../brokers/gateway-errors.ts";
import { takerPrice } from "../../brokers/pricing.ts";
import type { BrokerCapabilities, BrokerGateway, GatewayOrder } from "../../brokers/types.ts";
import type { Tx } from "../../db/client.ts";
import type { OrderSide } from "../../db/generated/sqlite/enums.ts";
import { lockRow } from "../../db/locks.ts";
import { type Decimal, ONE, bracketByStep, fromDb } from "../../lib/decimal.ts";
import type { MarketData } from "../../market/types.ts";
import type { DomainContext } from "../context.ts";
import { checkBound } from "../bounds.ts";
import { DomainError, type ErrorParams, RiskBlockedError, ValidationError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import { checkNotional } from "../instruments/trading-rules.ts";
import type { OrderService } from "../orders/order-service.ts";
import type {
  NormalizedOrder,
  OrderLinks,
  OrderRequest,
  OrderView,
} from "../orders/order-types.ts";
import { assertEntryAllowed } from "../portfolios/entry-pause.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { type Actor, SYSTEM } from "../users/actor.ts";
import {
  type AccountSynchronizer,
  type GatewaySource,
  SILENT_LOGGER,
  type SyncLogger,
} from "./account-sync.ts";
import { BRACKET_ENTRY_PREFIX } from "../orders/bracket-types.ts";
import { newClientOrderId } from "../orders/order-normalizer.ts";
import { type ResolvedBracket, resolveBracket } from "./bracket-plan.ts";
import { toPlaceOrderRequest } from "./gateway-request.ts";
import { type AmendChange, type AmendResult, amendOrder } from "./order-amend.ts";
import { type OrderEstimate, estimateExecution } from "./order-estimate.ts";
import { type CashAvailability, paperCashAvailability } from "./paper-cash.ts";
import { ALLOW_ALL, type PreTradeCheck, type PreTradeDecision } from "./pre-trade-check.ts";
import { assertCoveredSell } from "./short-guard.ts";

export interface OrderPreview {
  order: NormalizedOrder;
  portfolio: PortfolioView;
  estimate: OrderEstimate;
  /** paper buys: the cash the order may use (already checked to cover estimate.total) */
  cash: CashAvailability | null;
  /** the strategy (and its version) the order is tagged with, for the card to name */
  strategy: { name: string; version: number } | null;
  /** the take-profit / stop-loss to place once the order fills, with their expected PnL */
  bracket: ResolvedBracket | null;
}

export interface PreviewOptions {
  /**
   * open orders whose cash reserve and committed sell quantity are left out: the order an amend
   * is about to cancel, so its replacement is judged as if it were gone
   */
  excludeOrderIds?: readonly number[];
  /** a bracket leg's OCO group: its siblings commit nothing against it (short guard) */
  ocoGroup?: string | null;
}

export interface FillView {
  tradeId: number;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  feeCurrency: string | null;
  execTime: Date;
}

export interface PlaceResult {
  order: OrderView;
  /** the order's fills so far (a market order's are all here) */
  fills: FillView[];
  preview: OrderPreview;
  risk: PreTradeDecision;
  /**
   * false when the broker could not be reached: the order is stored as NEW and the order-sync job
   * submits it (submitError says why it was not sent now)
   */
  submitted: boolean;
  submitError: { key: string; params: ErrorParams } | null;
}

export interface PlaceOptions {
  /** a quantity the user accepted below the requested one (a risk rule's reduction) */
  acceptedQuantity?: Decimal;
  links?: OrderLinks;
}

/** An order checked and stored as NEW, not yet sent to its broker. */
export interface StagedOrder {
  created: OrderView;
  preview: OrderPreview;
  risk: PreTradeDecision;
}

export interface CancelResult {
  order: OrderView;
  fills: FillView[];
  /** false when the order filled (or ended otherwise) before the cancel reached the broker */
  canceled: boolean;
}

export interface CashQuantity {
  symbol: string;
  side: OrderSide;
  quantity: Decimal;
  /** estimated execution price (the quote with slippage) */
  price: Decimal;
  notional: Decimal;
  fee: Decimal;
  /** buys: notional + fee, never more than the amount */
  total: Decimal;
  currency: string;
}

export interface TradingServiceDeps {
  ctx: DomainContext;
  orders: OrderService;
  portfolios: PortfolioService;
  instruments: InstrumentService;
  market: Pick<MarketData, "quote">;
  gateways: GatewaySource;
  sync: AccountSynchronizer;
  preTrade?: PreTradeCheck;
  logger?: SyncLogger;
}

const money = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

export class TradingService {
  private readonly preTrade: PreTradeCheck;
  private readonly logger: SyncLogger;

  constructor(private readonly deps: TradingServiceDeps) {
    this.preTrade = deps.preTrade ?? ALLOW_ALL;
    this.logger = deps.logger ?? SILENT_LOGGER;
  }

  /**
   * The normalized order with its expected cost. Throws ValidationError (field named) for bad
   * input, "error-insufficient-(free-)cash" for a paper buy its portfolio's free cash cannot pay,
   * GatewayError when the account's broker is not usable here, NotFoundError for another user's portfolio.
   */
  async preview(
    actor: Actor,
    request: OrderRequest,
    options: PreviewOptions = {},
  ): Promise<OrderPreview> {
    const { orders, portfolios, instruments, market } = this.deps;
    const order = await orders.prepare(actor, request);
    const portfolio = await portfolios.getPortfolio(actor, order.portfolioId);
    const gateway = await this.deps.gateways.forAccount(portfolio.accountId);
    assertSupported(gateway, order);
    const instrument = await instruments.get(order.instrumentId);
    if (order.side === "SELL" && !gateway.capabilities.shortSelling) {
      // before the card: a spot account cannot sell what it does not hold
      await assertCoveredSell(this.deps.ctx.db, {
        ...coveredSell(order, instrument),
        excludeOrderIds: options.excludeOrderIds,
        ocoGroup: options.ocoGroup,
      });
    }
    // a paused portfolio takes exits only (/pause): refused before the card, like a short
    await assertEntryAllowed(this.deps.ctx.db, portfolio, order);
    const [quote, cost] = await Promise.all([
      market.quote(order.symbol),
      gateway.costModel(order.symbol),
    ]);
    const estimate = estimateExecution(
      order,
      quote,
      cost,
      instrument.rules.tickSize,
      instrument.currency,
    );
    let cash: CashAvailability | null = null;
    if (portfolio.isPaper && order.side === "BUY") {
      // the portfolio's own free cash: its balance less what its open buys reserve
      cash = await paperCashAvailability({
        db: this.deps.ctx.db,
        portfolioId: portfolio.id,
        currency: instrument.currency,
        cost: (symbol) =>
          symbol === order.symbol ? Promise.resolve(cost) : gateway.costModel(symbol),
        quote: (symbol) => market.quote(symbol),
        excludeOrderIds: options.excludeOrderIds,
      });
      if (estimate.total.gt(cash.available)) {
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
    }
    const strategy = order.strategyId
      ? await this.deps.ctx.db.strategy.findUnique({
          where: { id: order.strategyId },
          select: { name: true, version: true },
        })
      : null;
    const bracket = resolveBracket(
      request.bracket,
      order,
      estimate,
      cost,
      instrument.rules.tickSize,
    );
    return { order, portfolio, estimate, cash, strategy, bracket };
  }

  /**
   * Checks and stores an order as NEW without sending it (preview, pre-trade risk, the spot
   * short guard under the account lock). place() sends it at once; a native OCO pair
   * (trading/native-oco.ts) stores both legs first and sends them as one request.
   */
  async stage(
    actor: Actor,
    request: OrderRequest,
    options: PlaceOptions = {},
  ): Promise<StagedOrder> {
    const { orders } = this.deps;
    if (request.bracket && !request.clientOrderId) {
      // the bracket job finds bracketed entries by this prefix
      request = {
        ...request,
        clientOrderId: `${BRACKET_ENTRY_PREFIX}${newClientOrderId().slice(3)}`,
      };
    }
    const previewOptions: PreviewOptions = { ocoGroup: options.links?.ocoGroup ?? null };
    let preview = await this.preview(actor, request, previewOptions);
    const risk = await this.preTrade.evaluate(actor, preview.order, {
      portfolio: preview.portfolio,
      estimate: preview.estimate,
      cash: preview.cash,
      now: this.deps.ctx.clock.now(),
    });
    if (risk.outcome === "BLOCK") {
      const first = risk.findings[0];
      throw new RiskBlockedError(first?.key ?? "error-risk-blocked", first?.params ?? {});
    }
    if (risk.outcome === "REDUCE") {
      const reduced = risk.quantity;
      if (!reduced || !reduced.gt(0) || !reduced.lt(preview.order.quantity)) {
        throw new RangeError(
          "PreTradeCheck REDUCE needs a quantity between 0 and the requested one",
        );
      }
      preview = await this.preview(
        actor,
        { ...request, quantity: reduced, clientOrderId: preview.order.clientOrderId },
        previewOptions,
      );
    }
    const accepted = options.acceptedQuantity;
    if (accepted && accepted.gt(0) && accepted.lt(preview.order.quantity)) {
      preview = await this.preview(
        actor,
        { ...request, quantity: accepted, clientOrderId: preview.order.clientOrderId },
        previewOptions,
      );
    }

    const accountId = preview.portfolio.accountId;
    const spot = !(await this.deps.gateways.forAccount(accountId)).capabilities.shortSelling;
    const finalOrder = preview.order;
    // read before the transaction: nothing may use the root client while it is open (SQLite)
    const covered =
      spot && finalOrder.side === "SELL"
        ? {
            ...coveredSell(finalOrder, await this.deps.instruments.get(finalOrder.instrumentId)),
            ocoGroup: options.links?.ocoGroup ?? null,
          }
        : null;
    const plan = preview.bracket;
    const links: OrderLinks = {
      ...options.links,
      ...(plan
        ? {
            bracket: {
              takeProfit: plan.takeProfit?.toFixed() ?? null,
              stopLoss: plan.stopLoss?.toFixed() ?? null,
            },
          }
        : {}),
    };
    const created = await orders.create(
      actor,
      finalOrder,
      this.deps.ctx.db,
      covered
        ? async (tx: Tx) => {
            // again at placement, with the account locked until the order is stored: of two
            // sells racing for the same holding the second sees the first as committed
            await lockRow(tx, this.deps.ctx.provider, "accounts", accountId);
            await assertCoveredSell(tx, covered);
          }
        : undefined,
      links,
    );
    return { created, preview, risk };
  }

  /**
   * Places an order after the pre-trade risk check. `acceptedQuantity`: the user accepted a reduced
   * size on the order card ("place X instead"); whatever the check says at this later moment, no
   * more than that is placed (less, if the check now reduces further).
   */
  async place(
    actor: Actor,
    request: OrderRequest,
    options: PlaceOptions = {},
  ): Promise<PlaceResult> {
    const { orders, sync } = this.deps;
    const { created, preview, risk } = await this.stage(actor, request, options);
    const accountId = preview.portfolio.accountId;
    let reported: GatewayOrder | null = null;
    let submitError: PlaceResult["submitError"] = null;
    try {
      const gateway = await this.deps.gateways.forAccount(accountId);
      reported = await gateway.placeOrder(toPlaceOrderRequest(created));
    } catch (e) {
      submitError =
        e instanceof DomainError
          ? { key: e.key, params: e.params }
          : { key: "error-broker-unavailable", params: {} };
      this.logger.warn(
        { orderId: created.id, accountId, err: e },
        "broker unreachable: order left NEW for the sync job to submit",
      );
    }
    if (reported) {
      try {
        await sync.settleOrder(SYSTEM, accountId, created.id, reported);
      } catch (e) {
        // the order is at the broker; the sync job finishes the bookkeeping
        this.logger.error({ orderId: created.id, accountId, err: e }, "settling placement failed");
      }
      // a bracketed entry that filled at once gets its exits now, not at the next sync
      await sync.followUp(accountId);
    }
    return {
      order: await orders.get(actor, created.id),
      fills: await this.fillsOf(created.id),
      preview,
      risk,
      submitted: reported !== null,
      submitError,
    };
  }

  /**
   * Cancels the user's open order. NotFoundError for another user's (or no) order, StateError
   * for one already filled, canceled or expired.
   */
  async cancel(actor: Actor, orderId: number): Promise<CancelResult> {
    const { orders, portfolios, sync } = this.deps;
    const order = await orders.requireCancelable(actor, orderId);
    const portfolio = await portfolios.getPortfolio(actor, order.portfolioId);
    const gateway = await this.deps.gateways.forAccount(portfolio.accountId);
    try {
      await sync.cancelAndSettle(actor, portfolio.accountId, orderId, () =>
        gateway.cancelOrder({
          brokerOrderId: order.brokerOrderId,
          clientOrderId: order.clientOrderId,
        }),
      );
    } catch (e) {
      if (!(e instanceof BrokerOrderNotFoundError) || order.brokerOrderId) throw e;
      // it never reached the broker: cancel it here, under the account's sync lock so the sync
      // job cannot be submitting it at the same moment
      const canceled = await sync.exclusive(portfolio.accountId, async () => {
        await orders.requireCancelable(actor, orderId);
        return orders.transition(actor, orderId, {
          status: "CANCELED",
          reason: "canceled-before-submit",
        });
      });
      return { order: canceled, fills: await this.fillsOf(orderId), canceled: true };
    }
    const after = await orders.get(actor, orderId);
    return {
      order: after,
      fills: await this.fillsOf(orderId),
      canceled: after.status === "CANCELED",
    };
  }

  /**
   * What the pre-trade check would decide for a previewed order, with nothing recorded; ALLOW
   * when the check has no dry run (it still runs, for real, when the order is placed).
   */
  async assessRisk(actor: Actor, preview: OrderPreview): Promise<PreTradeDecision> {
    if (!this.preTrade.assess) return { outcome: "ALLOW", findings: [] };
    return this.preTrade.assess(actor, preview.order, {
      portfolio: preview.portfolio,
      estimate: preview.estimate,
      cash: preview.cash,
      now: this.deps.ctx.clock.now(),
    });
  }

  /** Cancel-replace of an open order's price and/or quantity: see order-amend.ts. */
  async amend(actor: Actor, orderId: number, change: AmendChange): Promise<AmendResult> {
    return amendOrder(this, this.deps.orders, actor, orderId, change);
  }

  /**
   * The current trigger level of each open trailing stop among `orders` (by order id), as the
   * broker tracks it: it moves with the market, so it is asked for when shown, not stored. An
   * order the broker cannot answer for right now is left out (shown without its level).
   */
  async trailingTriggers(
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
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const gateway = await this.deps.gateways.forAccount(portfolio.accountId);
    for (const o of trailing) {
      const reported = await gateway
        .fetchOrder({ brokerOrderId: o.brokerOrderId, clientOrderId: o.clientOrderId })
        .catch(() => null);
      if (reported?.stopPrice) out.set(o.id, reported.stopPrice);
    }
    return out;
  }

  /**
   * The largest quantity on the lot grid that `amount` (quote currency) buys at the current
   * quote, fee and slippage included (for a sell: whose proceeds before fees stay within it).
   * ValidationError on field "amount" when that is below the instrument's minimums.
   */
  async quantityForCash(
    actor: Actor,
    portfolioId: number,
    symbol: string,
    amount: Decimal,
    side: OrderSide = "BUY",
  ): Promise<CashQuantity> {
    if (!amount.isFinite() || !amount.gt(0))
      throw new ValidationError("amount", "error-must-be-positive", { value: amount.toFixed() });
    checkBound("amount", amount, "amount");
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const instrument = await this.deps.instruments.resolve(symbol);
    const gateway = await this.deps.gateways.forAccount(portfolio.accountId);
    const [quote, cost] = await Promise.all([
      this.deps.market.quote(instrument.symbol),
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

  private async fillsOf(orderId: number): Promise<FillView[]> {
    const rows = await this.deps.ctx.db.trade.findMany({
      where: { orderId },
      orderBy: { id: "asc" },
    });
    return rows.map((t) => ({
      tradeId: t.id,
      quantity: fromDb(t.quantity),
      price: fromDb(t.price),
      fee: fromDb(t.fee),
      feeCurrency: t.feeCurrency,
      execTime: t.execTime,
    }));
  }
}

function coveredSell(
  order: NormalizedOrder,
  instrument: { baseAsset: string | null; rules: { lotSize: Decimal; minQty: Decimal } },
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
