// How the strategy runtime turns one candle's intents into orders: each intent's clientOrderId
// derives from (instance, symbol, candle open time, intent id), so an order already placed for it
// (a crash and restart, a concurrent evaluation) is found and never placed twice; the others go
// through TradingService.place, the path every manual order takes. The strategy is told about the
// fills of its orders (onFill). Split from strategy-runtime.ts.
import type { Db } from "../../db/client.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { StrategyDecision, StrategyPosition } from "../../strategies/types.ts";
import { ConflictError, isDomainError } from "../errors.ts";
import type { InstrumentView } from "../instruments/instrument-service.ts";
import type { KnownBasis, TradingService } from "../trading/trading-service.ts";
import { strategyClientOrderId } from "./client-order-id.ts";
import type { CycleCache } from "./cycle-cache.ts";
import type { IntentReport } from "./instance-types.ts";
import { intentOrder, intentSide } from "./intent-orders.ts";
import type { RuntimeRecords } from "./runtime-records.ts";
import type { Evaluation } from "./runtime-rows.ts";

export interface PlacementDeps {
  db: Db;
  trading: TradingService;
  records: RuntimeRecords;
}

/** Where the intents are placed: the symbol's candle, its instrument and the strategy's book. */
export interface PlacementAt {
  symbol: string;
  candleOpenTime: Date;
  instrument: InstrumentView;
  /** the strategy's position; its quantity follows the orders placed here */
  position: StrategyPosition;
  equity: Decimal;
  cache: CycleCache;
}

export interface Placement {
  /** the strategy's state after the fills it was told about */
  state: unknown;
  reports: IntentReport[];
  placed: number;
  successful: number;
}

export async function placeIntents(
  deps: PlacementDeps,
  ev: Evaluation,
  at: PlacementAt,
  decision: StrategyDecision<unknown>,
): Promise<Placement> {
  const { row, runnable } = ev;
  const { symbol, instrument, position, equity } = at;
  // what the runtime read and checked is not read again by the order path: the cycle's view of
  // the portfolio (the owner's, live when read; what may have changed since is read again) and
  // the instance's strategy, handed over only when its owner is the instance's (the actor)
  const known: KnownBasis = {
    portfolio: ev.portfolio,
    ...(row.strategy.userId === ev.actor.id && row.strategy.id === row.strategyId
      ? {
          strategy: { id: row.strategy.id, name: row.strategy.name, version: row.strategy.version },
        }
      : {}),
  };
  let state: unknown = decision.state;
  const reports: IntentReport[] = [];
  let placed = 0;
  let successful = 0;
  for (const intent of decision.intents) {
    const clientOrderId = strategyClientOrderId(row.id, symbol, at.candleOpenTime, intent.id);
    const side = intentSide(intent, position);
    const report: IntentReport = {
      intentId: intent.id,
      action: intent.action,
      reason: intent.reason,
      side,
      outcome: { kind: "nothing" },
    };
    reports.push(report);
    const existing = await deps.db.order.findUnique({
      where: { clientOrderId },
      select: { id: true, side: true },
    });
    if (existing) {
      report.outcome = { kind: "already-placed", orderId: existing.id };
      state = await deps.records.applyFills(runnable, state, intent.id, existing.id, existing.side);
      continue;
    }
    try {
      const request = await intentOrder(deps.trading, intent, {
        actor: ev.actor,
        portfolioId: row.portfolioId,
        symbol: instrument.symbol,
        lotSize: instrument.rules.lotSize,
        position,
        equity,
        strategyId: row.strategyId,
        clientOrderId,
        portfolio: ev.portfolio,
      });
      if (!request) continue;
      // whatever comes of it, the portfolio's balances are read anew after an order
      at.cache.changed(row.portfolioId);
      const res = await deps.trading.place(ev.actor, request, { known });
      placed++;
      if (res.order.status !== "REJECTED") successful++;
      report.outcome = {
        kind: "placed",
        orderId: res.order.id,
        status: res.order.status,
        quantity: res.order.quantity,
        filled: res.order.filledQuantity,
      };
      // later intents of the same candle see the position this order left
      const signed =
        request.side === "BUY" ? res.order.filledQuantity : res.order.filledQuantity.neg();
      position.quantity = position.quantity.plus(signed);
      // the fills place() read last (a market order's are all there)
      state = await deps.records.applyFills(
        runnable,
        state,
        intent.id,
        res.order.id,
        request.side,
        res.fills,
      );
    } catch (e) {
      if (e instanceof ConflictError && e.params.field === "clientOrderId") {
        // placed by a concurrent evaluation of the same candle
        const twin = await deps.db.order.findUnique({ where: { clientOrderId } });
        if (twin) report.outcome = { kind: "already-placed", orderId: twin.id };
        continue;
      }
      if (!isDomainError(e)) throw e;
      report.outcome = { kind: "refused", key: e.key, params: e.params };
    }
  }
  return { state, reports, placed, successful };
}
