// Placing and canceling orders: the orchestration every front (bot, future web/API) uses.
//
// quote(): what an order card shows — one preview pass (order-preview.ts) and one risk assessment,
// nothing recorded but a BLOCK (the attempt ends at the card).
//
// place(): preview (ownership, trading rules, broker support, estimate, paper cash) → pre-trade
// check → store as NEW → send to the broker → record the broker id or rejection → ingest the
// account's fills at once, so a market order comes back filled with its position and cash
// updated. If the broker cannot be reached the order stays NEW without a broker id and the
// order-sync job submits it later under the same clientOrderId (placement is idempotent on it).
//
// cancel(): ownership and open check → cancel at the broker → ingest fills (it may have filled
// meanwhile) → record whatever the broker reports.
import type { GatewayOrder } from "../../brokers/types.ts";
import type { Tx } from "../../db/client.ts";
import type { OrderSide } from "../../db/generated/sqlite/enums.ts";
import { lockRow } from "../../db/locks.ts";
import type { Decimal } from "../../lib/decimal.ts";
import { DomainError, RiskBlockedError } from "../errors.ts";
import { BRACKET_ENTRY_PREFIX } from "../orders/bracket-types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import { newClientOrderId } from "../orders/order-normalizer.ts";
import type { OrderLinks, OrderRequest, OrderView } from "../orders/order-types.ts";
import { type Actor, SYSTEM } from "../users/actor.ts";
import { SILENT_LOGGER, type SyncLogger } from "./account-sync.ts";
import { toPlaceOrderRequest } from "./gateway-request.ts";
import { type AmendChange, type AmendResult, amendOrder } from "./order-amend.ts";
import { coveredSell, loadPreview, resizePreview } from "./order-preview.ts";
import { cancelOrder, fillsOf } from "./order-cancel.ts";
import { quantityForCash, trailingTriggers } from "./order-quotes.ts";
import {
  ALLOW_ALL,
  type PreTradeCheck,
  type PreTradeContext,
  type PreTradeDecision,
} from "./pre-trade-check.ts";
import { assertCoveredSell } from "./short-guard.ts";
import type {
  CancelResult,
  CashQuantity,
  OrderPreview,
  OrderQuote,
  PlaceOptions,
  PlaceResult,
  PreviewOptions,
  StagedOrder,
  TradingServiceDeps,
} from "./trading-types.ts";

// the shapes live in trading-types.ts; they are named here too, where callers have always found them
export type {
  CancelResult,
  CashQuantity,
  FillView,
  KnownBasis,
  OrderPreview,
  OrderQuote,
  PlaceOptions,
  PlaceResult,
  PreviewOptions,
  StagedOrder,
  TradingServiceDeps,
} from "./trading-types.ts";

/** `D`: the decision type of the pre-trade check (RiskService's carries every rule's numbers). */
export class TradingService<D extends PreTradeDecision = PreTradeDecision> {
  private readonly preTrade: PreTradeCheck<D>;
  private readonly logger: SyncLogger;

  constructor(private readonly deps: TradingServiceDeps<D>) {
    // without a check D is the plain decision, which ALLOW_ALL returns
    this.preTrade = deps.preTrade ?? (ALLOW_ALL as PreTradeCheck<D>);
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
    return (await loadPreview(this.deps, actor, request, options)).preview;
  }

  /**
   * Everything the order card shows, in one pass: the preview and what the pre-trade check would
   * decide. Nothing is recorded, except a BLOCK: that attempt ends at the card, so its breach is
   * logged and notified here (a WARN or REDUCE is recorded when the order is placed).
   */
  async quote(actor: Actor, request: OrderRequest): Promise<OrderQuote<D>> {
    const { preview, basis } = await loadPreview(this.deps, actor, request);
    const context = this.riskContext(preview);
    const assessed = await this.assess(actor, preview, context);
    const risk =
      assessed.outcome === "BLOCK" && this.preTrade.log
        ? await this.preTrade.log(actor, preview.order, context, assessed)
        : assessed;
    return { preview, instrument: basis.prepared.instrument, risk };
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
  ): Promise<StagedOrder<D>> {
    const { orders } = this.deps;
    if (request.bracket && !request.clientOrderId) {
      // the bracket job finds bracketed entries by this prefix
      request = {
        ...request,
        clientOrderId: `${BRACKET_ENTRY_PREFIX}${newClientOrderId().slice(3)}`,
      };
    }
    const first = await loadPreview(this.deps, actor, request, {
      ocoGroup: options.links?.ocoGroup ?? null,
      known: options.known,
    });
    const { basis } = first;
    let preview = first.preview;
    const risk = await this.preTrade.evaluate(actor, preview.order, this.riskContext(preview));
    if (risk.outcome === "BLOCK") {
      const finding = risk.findings[0];
      throw new RiskBlockedError(finding?.key ?? "error-risk-blocked", finding?.params ?? {});
    }
    let quantity = preview.order.quantity;
    if (risk.outcome === "REDUCE") {
      const reduced = risk.quantity;
      if (!reduced || !reduced.gt(0) || !reduced.lt(quantity)) {
        throw new RangeError(
          "PreTradeCheck REDUCE needs a quantity between 0 and the requested one",
        );
      }
      quantity = reduced;
    }
    // no more than the user accepted on the card, whatever the check says now
    const accepted = options.acceptedQuantity;
    if (accepted && accepted.gt(0) && accepted.lt(quantity)) quantity = accepted;
    if (!quantity.eq(preview.order.quantity)) {
      const { clientOrderId } = preview.order;
      preview = resizePreview(basis, actor, clientOrderId, quantity, this.deps.ctx.clock.now());
    }

    const accountId = preview.portfolio.accountId;
    const spot = !basis.gateway.capabilities.shortSelling;
    const finalOrder = preview.order;
    const covered =
      spot && finalOrder.side === "SELL"
        ? {
            ...coveredSell(finalOrder, basis.prepared.instrument),
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
      // the known path read the portfolio live (refreshLive) in this call's preview, just now
      options.known ? preview.portfolio : undefined,
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
  ): Promise<PlaceResult<D>> {
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
      fills: await fillsOf(this.deps.ctx.db, created.id),
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
    return cancelOrder(this.deps, actor, orderId);
  }

  /**
   * What the pre-trade check would decide for a previewed order, with nothing recorded; ALLOW
   * when the check has no dry run (it still runs, for real, when the order is placed).
   */
  async assessRisk(actor: Actor, preview: OrderPreview): Promise<D> {
    return this.assess(actor, preview, this.riskContext(preview));
  }

  /** Cancel-replace of an open order's price and/or quantity: see order-amend.ts. */
  async amend(actor: Actor, orderId: number, change: AmendChange): Promise<AmendResult> {
    return amendOrder(this, this.deps.orders, actor, orderId, change);
  }

  /** The current trigger level of each open trailing stop: see order-quotes.ts. */
  async trailingTriggers(
    actor: Actor,
    portfolioId: number,
    orders: readonly OrderView[],
  ): Promise<Map<number, Decimal>> {
    return trailingTriggers(this.deps, actor, portfolioId, orders);
  }

  /** The quantity a cash amount buys (or a sell's proceeds stay within): see order-quotes.ts. */
  async quantityForCash(
    actor: Actor,
    portfolioId: number,
    symbol: string,
    amount: Decimal,
    side: OrderSide = "BUY",
    /** the actor's portfolio as the caller read it (owner checked): not read again */
    known?: PortfolioView,
  ): Promise<CashQuantity> {
    return quantityForCash(this.deps, actor, portfolioId, symbol, amount, side, known);
  }

  private riskContext(preview: OrderPreview): PreTradeContext {
    const { portfolio, estimate, cash, strategy } = preview;
    return {
      portfolio,
      estimate,
      cash,
      strategyName: strategy?.name ?? null,
      now: this.deps.ctx.clock.now(),
    };
  }

  private async assess(actor: Actor, preview: OrderPreview, context: PreTradeContext): Promise<D> {
    // without a dry run the card says nothing; D is then the plain decision
    if (!this.preTrade.assess) return { outcome: "ALLOW", findings: [] } as PreTradeDecision as D;
    return this.preTrade.assess(actor, preview.order, context);
  }
}
