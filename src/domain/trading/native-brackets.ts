// Bracket exits on a venue with its own OCO (BrokerCapabilities.nativeOco): each group goes out
// as one native pair (trading/native-oco.ts), stored first and then sent whole. Used by the
// bracket bookkeeping (trading/brackets.ts), which decides when; this decides how.
import type { BrokerGateway } from "../../brokers/types.ts";
import type { Decimal } from "../../lib/decimal.ts";
import { ConflictError } from "../errors.ts";
import type { BracketRole } from "../orders/bracket-types.ts";
import type { OrderService } from "../orders/order-service.ts";
import type { OrderLinks, OrderView } from "../orders/order-types.ts";
import { isOpen } from "../orders/order-status.ts";
import { type Actor, SYSTEM } from "../users/actor.ts";
import type { AccountSynchronizer } from "./account-sync.ts";
import {
  type GroupState,
  describe,
  filledIn,
  legClientOrderId,
  legOrder,
  stopPassed,
} from "./bracket-legs.ts";
import type { BracketRunResult } from "./brackets.ts";
import { sendPair } from "./native-oco.ts";
import type { TradingService } from "./trading-service.ts";

export interface NativeBracketDeps {
  trading: TradingService;
  orders: OrderService;
  sync: AccountSynchronizer;
  gateways: { forAccount(accountId: number): Promise<BrokerGateway> };
  /** an entry's legs as stored now */
  legsOf(entryId: number): Promise<OrderView[]>;
}

export class NativeBrackets {
  constructor(private readonly deps: NativeBracketDeps) {}

  /**
   * A native pair whose partner was never stored (the process stopped between the two): the
   * partner is stored now and the sync job sends both together. A leg already at the venue or
   * ended is left as it is: a pair is only ever sent whole.
   */
  async completeNativeGroup(
    actor: Actor,
    entry: OrderView,
    group: string,
    g: GroupState,
    missing: readonly BracketRole[],
    result: BracketRunResult,
  ): Promise<void> {
    const lone = g.legs[0];
    if (!missing.length || g.legs.length !== 1 || !lone) return;
    if (lone.status !== "NEW" || lone.brokerOrderId) return;
    for (const role of missing) {
      const leg = legOrder(entry, group, g.quantity, role, lone.quantity, {
        ocoList: g.nativeList!,
      });
      try {
        await this.deps.trading.stage(actor, leg.request, { links: leg.links });
        result.placed++;
      } catch (e) {
        if (!(e instanceof ConflictError))
          result.errors.push(`${role} of entry ${entry.id}: ${describe(e)}`);
      }
    }
  }

  /**
   * Native pairs whose take-profit filled in part (so the venue canceled the stop-loss): the
   * take-profit's remainder is canceled (marked first, so a crash in between is finished by the
   * next run) and a new pair replaces the group for what is left. True when anything changed.
   */
  async repairPartialTakeProfits(
    accountId: number,
    actor: Actor,
    entry: OrderView,
    groups: ReadonlyMap<string, GroupState>,
    result: BracketRunResult,
  ): Promise<boolean> {
    const replaced = new Set([...groups.values()].flatMap((g) => g.legs[0]?.leg?.replaces ?? []));
    let changed = false;
    for (const [group, g] of groups) {
      if (!g.nativeList || replaced.has(group)) continue;
      const tp = g.legs.find((l) => l.leg?.role === "take-profit");
      const sl = g.legs.find((l) => l.leg?.role === "stop-loss");
      if (!tp || !sl || isOpen(sl.status) || !sl.filledQuantity.isZero()) continue;
      if (!tp.filledQuantity.gt(0)) continue;
      const left = g.quantity.minus(filledIn(g.legs, group));
      if (!left.gt(0)) continue;
      if (isOpen(tp.status)) {
        await this.deps.orders.transition(SYSTEM, tp.id, {
          status: tp.status,
          meta: { ocoRepair: true },
        });
        const canceled = await this.deps.trading.cancel(actor, tp.id);
        result.canceled++;
        changed = true;
        // it may have filled meanwhile: the next run sees what is left
        if (!canceled.canceled) continue;
      } else if (!tp.leg?.repair) {
        continue; // canceled by the user: their exits are theirs to set again
      }
      const after = g.quantity.minus(filledIn(await this.deps.legsOf(entry.id), group));
      if (!after.gt(0)) continue;
      await this.placeNativePair(
        accountId,
        actor,
        entry,
        `${entry.id}-${groups.size + 1}`,
        after,
        { ocoReplaces: group },
        result,
      );
      changed = true;
    }
    return changed;
  }

  /** Stores both legs of a new group, then sends them as one native pair. */
  async placeNativePair(
    accountId: number,
    actor: Actor,
    entry: OrderView,
    group: string,
    quantity: Decimal,
    extra: OrderLinks,
    result: BracketRunResult,
  ): Promise<void> {
    const list = legClientOrderId(entry.id, group, "take-profit").replace(/-tp$/, "");
    const native = { ...extra, ocoList: list };
    const sl = legOrder(entry, group, quantity, "stop-loss", quantity, native);
    const tp = legOrder(entry, group, quantity, "take-profit", quantity, native);
    const { trading } = this.deps;
    let stop: OrderView;
    try {
      stop = (await trading.stage(actor, sl.request, { links: sl.links })).created;
    } catch (e) {
      if (e instanceof ConflictError) return; // stored by an earlier run
      if (!stopPassed(e)) {
        result.errors.push(`stop-loss of entry ${entry.id}: ${describe(e)}`);
        return;
      }
      // the market is already through the stop-loss: close now, a take-profit is moot
      const close = legOrder(entry, group, quantity, "stop-loss", quantity, extra);
      await trading.place(
        actor,
        { ...close.request, type: "MARKET", stopPrice: null },
        {
          links: close.links,
        },
      );
      result.placed++;
      return;
    }
    let take: OrderView;
    try {
      take = (await trading.stage(actor, tp.request, { links: tp.links })).created;
    } catch (e) {
      // never half a pair at the venue: the stored stop-loss goes too
      await this.deps.orders.transition(SYSTEM, stop.id, {
        status: "REJECTED",
        reason: "oco-incomplete",
      });
      result.errors.push(`take-profit of entry ${entry.id}: ${describe(e)}`);
      return;
    }
    result.placed += 2;
    try {
      const gateway = await this.deps.gateways.forAccount(accountId);
      await sendPair(gateway, take, stop, async (id, reported) => {
        const settled = await this.deps.sync.settleOrder(SYSTEM, accountId, id, reported);
        return settled.statusChanged;
      });
    } catch (e) {
      // stored NEW: the sync job sends the pair again (native-oco.ts submitPendingPairs)
      result.errors.push(`OCO pair ${list}: ${describe(e)}`);
    }
  }
}
