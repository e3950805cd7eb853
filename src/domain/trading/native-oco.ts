// Bracket exits as the venue's own OCO pair (BrokerCapabilities.nativeOco: Binance's order
// lists). There two separate exit orders would each need the whole holding: the second is
// refused, or both rest and together sell twice what is held. A native pair holds the balance
// once, and the venue cancels one leg the moment the other starts to execute.
//
// The legs are stored first (both NEW, each naming the pair's list id in its meta), then sent as
// one request. A pair whose answer was lost, or that could not be sent, is sent again by the
// sync job (submitPendingPairs below, from account-sync's submit stage): the gateway looks the
// legs up by their client order ids first, so a retry never makes a second pair.
import type { BrokerGateway, GatewayOrder, PlaceOcoRequest } from "../../brokers/types.ts";
import type { OrderView } from "../orders/order-types.ts";

/** The request for a stored pair: the take-profit LIMIT and the stop-loss STOP(_LIMIT). */
export function ocoRequestOf(tp: OrderView, sl: OrderView): PlaceOcoRequest {
  const list = tp.leg?.nativeList;
  if (!list || sl.leg?.nativeList !== list || !tp.price || !sl.stopPrice)
    throw new RangeError(`orders ${tp.id} and ${sl.id} are not the two legs of one native pair`);
  return {
    listClientOrderId: list,
    symbol: tp.symbol,
    side: tp.side,
    quantity: tp.quantity,
    takeProfit: { clientOrderId: tp.clientOrderId, price: tp.price },
    stopLoss: {
      clientOrderId: sl.clientOrderId,
      stopPrice: sl.stopPrice,
      limitPrice: sl.type === "STOP_LIMIT" ? sl.price : null,
    },
  };
}

/** Records what the venue says of one order (the synchronizer's bookkeeping). */
export type ApplyReport = (orderId: number, reported: GatewayOrder) => Promise<boolean>;

/** Sends a stored pair and records both legs as the venue reports them. Throws when unreachable. */
export async function sendPair(
  gateway: BrokerGateway,
  tp: OrderView,
  sl: OrderView,
  apply: ApplyReport,
): Promise<void> {
  if (!gateway.placeOcoPair) throw new RangeError(`${gateway.brokerCode} has no native OCO`);
  const answer = await gateway.placeOcoPair(ocoRequestOf(tp, sl));
  await apply(tp.id, answer.takeProfit);
  await apply(sl.id, answer.stopLoss);
}

export interface PendingPairsOutcome {
  submitted: number;
  statusChanges: number;
}

/**
 * Native legs stored NEW that never reached the venue (the pair's request failed, or the process
 * stopped between storing and sending): adopted when the venue has them after all, sent again as
 * a pair while still recent, rejected after that. A leg whose partner was never stored (a crash
 * between the two) waits for the bracket bookkeeping to store it, and is rejected when the
 * window passes.
 */
export async function submitPendingPairs(
  pending: readonly OrderView[],
  gateway: BrokerGateway,
  opts: {
    now: number;
    submitWindowMs: number;
    apply: ApplyReport;
    reject: (orderId: number, reason: string) => Promise<void>;
    onError: (order: OrderView, e: unknown) => void;
  },
): Promise<PendingPairsOutcome> {
  const outcome: PendingPairsOutcome = { submitted: 0, statusChanges: 0 };
  const byList = new Map<string, OrderView[]>();
  for (const leg of pending) {
    const list = leg.leg?.nativeList;
    if (list) byList.set(list, [...(byList.get(list) ?? []), leg]);
  }
  for (const legs of byList.values()) {
    const tp = legs.find((l) => l.leg?.role === "take-profit");
    const sl = legs.find((l) => l.leg?.role === "stop-loss");
    const expired = legs.every((l) => opts.now - l.placedAt.getTime() > opts.submitWindowMs);
    try {
      const atVenue = await Promise.all(
        legs.map((l) => gateway.fetchOrder({ clientOrderId: l.clientOrderId, symbol: l.symbol })),
      );
      if (atVenue.every((r) => r !== null)) {
        for (const [i, leg] of legs.entries())
          if (await opts.apply(leg.id, atVenue[i]!)) outcome.statusChanges++;
        continue;
      }
      if (expired) {
        const reason = tp && sl ? "submit-timeout" : "oco-incomplete";
        for (const leg of legs) await opts.reject(leg.id, reason);
        outcome.statusChanges += legs.length;
        continue;
      }
      if (!tp || !sl) continue; // the bracket bookkeeping stores the partner
      await sendPair(gateway, tp, sl, async (id, reported) => {
        outcome.submitted++;
        if (await opts.apply(id, reported)) outcome.statusChanges++;
        return true;
      });
    } catch (e) {
      opts.onError(legs[0]!, e);
    }
  }
  return outcome;
}
