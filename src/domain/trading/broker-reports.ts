// What the broker says about orders, recorded in the domain: orders that never reached the broker
// submitted (or adopted, or rejected once too old), terminal statuses the broker reports applied
// to open orders, and one order's report (broker id, cancel, expiry, rejection) applied only
// once the domain holds every fill the broker reports for it.
import type { BrokerGateway, GatewayOrder } from "../../brokers/types.ts";
import type { OrderStatus } from "../../db/generated/sqlite/enums.ts";
import { StateError } from "../errors.ts";
import { orderInclude, toOrderView } from "../orders/order-mapper.ts";
import { OPEN_STATUSES, isOpen } from "../orders/order-status.ts";
import { type AnyActor, SYSTEM } from "../users/actor.ts";
import { toPlaceOrderRequest } from "./gateway-request.ts";
import { submitPendingPairs } from "./native-oco.ts";
import { type SyncEnv, describe } from "./sync-types.ts";

const TERMINAL_REPORTS: readonly OrderStatus[] = ["CANCELED", "EXPIRED", "REJECTED"];

/**
 * Orders stored as NEW that never got a broker id (the broker was unreachable during place()):
 * adopted if the broker has them after all, submitted while still recent, rejected after that.
 */
export async function submitPending(
  env: SyncEnv,
  accountId: number,
  gateway: BrokerGateway,
  errors: string[],
): Promise<{ submitted: number; statusChanges: number }> {
  const now = env.ctx.clock.now().getTime();
  const rows = await env.ctx.db.order.findMany({
    where: {
      portfolio: { accountId },
      status: "NEW",
      brokerOrderId: null,
      placedAt: { lte: new Date(now - env.options.submitGraceMs) },
    },
    include: orderInclude,
    orderBy: { id: "asc" },
  });
  const pending = rows.map(toOrderView);
  // legs of a native OCO pair go out together, never one alone (trading/native-oco.ts)
  const pairs = await submitPendingPairs(
    pending.filter((o) => o.leg?.nativeList),
    gateway,
    {
      now,
      submitWindowMs: env.options.submitWindowMs,
      apply: (orderId, reported) => applyReport(env, SYSTEM, orderId, reported),
      reject: async (orderId, reason) => {
        await env.orders.transition(SYSTEM, orderId, { status: "REJECTED", reason });
      },
      onError: (order, e) => {
        errors.push(`submit OCO pair of order ${order.id}: ${describe(e)}`);
        env.logger.error({ accountId, orderId: order.id, err: e }, "submitting OCO pair failed");
      },
    },
  );
  let submitted = pairs.submitted;
  let statusChanges = pairs.statusChanges;
  for (const order of pending.filter((o) => !o.leg?.nativeList)) {
    try {
      let reported = await gateway.fetchOrder({ clientOrderId: order.clientOrderId });
      if (!reported) {
        if (now - order.placedAt.getTime() > env.options.submitWindowMs) {
          await env.orders.transition(SYSTEM, order.id, {
            status: "REJECTED",
            reason: "submit-timeout",
          });
          statusChanges++;
          continue;
        }
        reported = await gateway.placeOrder(toPlaceOrderRequest(order));
        submitted++;
        // canceled here while it was being submitted: take it off the broker's book too
        const latest = await env.orders.get(SYSTEM, order.id);
        if (!isOpen(latest.status) && isOpen(reported.status)) {
          await gateway.cancelOrder({ brokerOrderId: reported.brokerOrderId });
        }
      }
      if (await applyReport(env, SYSTEM, order.id, reported)) statusChanges++;
    } catch (e) {
      errors.push(`submit order ${order.id}: ${describe(e)}`);
      env.logger.error({ accountId, orderId: order.id, err: e }, "submitting order failed");
    }
  }
  return { submitted, statusChanges };
}

/** Applies the broker's terminal statuses to the account's open orders. */
export async function reconcileStatuses(
  env: SyncEnv,
  accountId: number,
  gateway: BrokerGateway,
  venueOpen: readonly GatewayOrder[] | null = null,
): Promise<number> {
  const open = await env.ctx.db.order.findMany({
    where: {
      portfolio: { accountId },
      status: { in: [...OPEN_STATUSES] },
      brokerOrderId: { not: null },
    },
    select: {
      id: true,
      brokerOrderId: true,
      clientOrderId: true,
      instrument: { select: { symbol: true } },
    },
    orderBy: { id: "asc" },
  });
  if (!open.length) return 0;
  const stillOpen = new Set(
    (venueOpen ?? (await gateway.fetchOpenOrders())).map((o) => o.brokerOrderId),
  );
  let changes = 0;
  for (const order of open) {
    if (stillOpen.has(order.brokerOrderId as string)) continue;
    const reported = await gateway.fetchOrder({
      brokerOrderId: order.brokerOrderId,
      clientOrderId: order.clientOrderId,
      symbol: order.instrument.symbol,
    });
    if (!reported) {
      env.logger.warn({ accountId, orderId: order.id }, "open order unknown at the broker");
      continue;
    }
    if (await applyReport(env, SYSTEM, order.id, reported)) changes++;
  }
  return changes;
}

/**
 * Records the broker's view of one order: its broker id when the domain lacks it, and a
 * canceled/expired/rejected status once every reported fill is ingested. True when the status
 * changed.
 */
export async function applyReport(
  env: SyncEnv,
  actor: AnyActor,
  orderId: number,
  reported: GatewayOrder,
): Promise<boolean> {
  const { orders } = env;
  // the order may move under us (a fill ingested by another process): read, then retry once
  for (let attempt = 0; ; attempt++) {
    const order = await orders.get(SYSTEM, orderId);
    // a closed order (filled by the fills just ingested) still gets its broker id recorded
    const brokerOrderId = order.brokerOrderId ? undefined : reported.brokerOrderId;
    const terminal =
      isOpen(order.status) &&
      TERMINAL_REPORTS.includes(reported.status) &&
      reported.filledQuantity.eq(order.filledQuantity);
    if (!terminal && !brokerOrderId) return false;
    try {
      await orders.transition(terminal ? actor : SYSTEM, orderId, {
        status: terminal ? reported.status : order.status,
        brokerOrderId,
        reason: terminal ? (reported.rejectReason ?? null) : null,
      });
      return terminal;
    } catch (e) {
      if (!(e instanceof StateError) || attempt >= 1) throw e;
    }
  }
}
