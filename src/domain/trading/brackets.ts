// Bracket exits, emulated as OCO pairs: run after every sync of an account (and after each
// placement), from the state in the database alone, so running it twice changes nothing more.
//
// 1. Exits for what entries filled: a bracketed entry (client order id "bk-…") whose filled
//    quantity is more than its OCO groups cover gets a new group for the difference — a LIMIT at
//    the take-profit and a STOP at the stop-loss, on the other side, each with the quantity, its
//    role and `exitReason` in its meta (the trade statistics read it). Leg ids are fixed
//    ("br-<entry>-<n>-tp|sl"): a second attempt finds the first and places nothing twice. A
//    stop-loss the market has already passed is sent as a market order instead.
// 2. One cancels the other: what any leg of a group filled, the group no longer needs to close.
//    A leg whose open remainder is more than the group's remainder is reduced to it (amend:
//    cancel-replace through the normal path) or canceled when nothing remains.
//
// Canceling an entry leaves nothing pending: exits exist only for what filled.
//
// A venue with its own OCO (BrokerCapabilities.nativeOco, Binance) gets each group as one native
// pair instead (trading/native-oco.ts): the venue holds the balance once and cancels one leg when
// the other executes, so step 2 leaves those groups alone, with one exception. A take-profit that
// fills only in part makes the venue cancel the stop-loss at once, which would leave the rest
// held without a stop. The bookkeeping then cancels the take-profit's remainder and sends a new
// pair for what is left (a group that "replaces" the first): every unit held stays covered by
// both exits.
import type { BrokerGateway } from "../../brokers/types.ts";
import { type Decimal, ZERO, maxDec } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, isDomainError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import {
  BRACKET_ENTRY_PREFIX,
  BRACKET_LEG_PREFIX,
  type BracketRole,
} from "../orders/bracket-types.ts";
import { toOrderView, withInstruments } from "../orders/order-mapper.ts";
import type { OrderService } from "../orders/order-service.ts";
import type { OrderView } from "../orders/order-types.ts";
import { isOpen } from "../orders/order-status.ts";
import { type Actor, toActor } from "../users/actor.ts";
import type { AccountSynchronizer, SyncLogger } from "./account-sync.ts";
import { SILENT_LOGGER } from "./account-sync.ts";
import {
  deliveredQuantity,
  describe,
  filledIn,
  groupsOf,
  legClientOrderId,
  legOrder,
  stopPassed,
} from "./bracket-legs.ts";
import { NativeBrackets } from "./native-brackets.ts";
import type { TradingService } from "./trading-service.ts";

export { legClientOrderId };

export interface BracketRunResult {
  placed: number;
  reduced: number;
  canceled: number;
  errors: string[];
}

export interface BracketServiceDeps {
  ctx: DomainContext;
  trading: TradingService;
  orders: OrderService;
  sync: AccountSynchronizer;
  gateways: { forAccount(accountId: number): Promise<BrokerGateway> };
  instruments: InstrumentService;
  logger?: SyncLogger;
}

export class BracketService {
  private readonly running = new Set<number>();
  private readonly logger: SyncLogger;

  private readonly native: NativeBrackets;

  constructor(private readonly deps: BracketServiceDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
    this.native = new NativeBrackets({ ...deps, legsOf: (entryId) => this.legsOf(entryId) });
  }

  async reconcile(accountId: number): Promise<BracketRunResult> {
    const result: BracketRunResult = { placed: 0, reduced: 0, canceled: 0, errors: [] };
    // the placements below come back here (place() follows up): the outer run covers them
    if (this.running.has(accountId)) return result;
    this.running.add(accountId);
    try {
      await this.placeExits(accountId, result);
      await this.oneCancelsTheOther(accountId, result);
    } finally {
      this.running.delete(accountId);
    }
    if (result.errors.length)
      this.logger.warn({ accountId, errors: result.errors }, "bracket follow-up incomplete");
    return result;
  }

  private async ownerOf(portfolioId: number): Promise<Actor> {
    const portfolio = await this.deps.ctx.db.portfolio.findUniqueOrThrow({
      where: { id: portfolioId },
      select: { user: true },
    });
    return toActor(portfolio.user);
  }

  private async legsOf(entryId: number): Promise<OrderView[]> {
    const db = this.deps.ctx.db;
    const rows = await db.order.findMany({
      where: { clientOrderId: { startsWith: `${BRACKET_LEG_PREFIX}${entryId}-` } },
      orderBy: { id: "asc" },
    });
    return (await withInstruments(db, rows))
      .map(toOrderView)
      .filter((o) => o.leg?.parentOrderId === entryId);
  }

  private async placeExits(accountId: number, result: BracketRunResult): Promise<void> {
    const db = this.deps.ctx.db;
    const rows = await withInstruments(
      db,
      await db.order.findMany({
        where: {
          portfolio: { accountId },
          clientOrderId: { startsWith: BRACKET_ENTRY_PREFIX },
          NOT: { filledQuantity: "0" },
        },
        orderBy: { id: "asc" },
      }),
    );
    const gateway = await this.deps.gateways.forAccount(accountId);
    const native = Boolean(gateway.capabilities.nativeOco && gateway.placeOcoPair);
    for (const entry of rows.map(toOrderView)) {
      const plan = entry.bracketPlan;
      if (!plan || entry.filledQuantity.isZero()) continue;
      try {
        const wanted: BracketRole[] = [
          ...(plan.takeProfit ? (["take-profit"] as const) : []),
          ...(plan.stopLoss ? (["stop-loss"] as const) : []),
        ];
        const actor = await this.ownerOf(entry.portfolioId);
        let legs = await this.legsOf(entry.id);
        let groups = groupsOf(legs);
        for (const [group, g] of groups) {
          const missing = wanted.filter((r) => !g.roles.has(r));
          if (g.nativeList) {
            await this.native.completeNativeGroup(actor, entry, group, g, missing, result);
            continue;
          }
          // a group left incomplete by an earlier run (a refusal, a crash) gets its missing leg
          for (const role of missing) {
            const left = g.quantity.minus(filledIn(legs, group));
            if (left.gt(0))
              await this.placeLeg(actor, entry, group, g.quantity, role, left, result);
          }
        }
        if (native && wanted.length === 2) {
          const repaired = await this.native.repairPartialTakeProfits(
            accountId,
            actor,
            entry,
            groups,
            result,
          );
          if (repaired) {
            legs = await this.legsOf(entry.id);
            groups = groupsOf(legs);
          }
        }
        const replaced = new Set(
          [...groups.values()].flatMap((g) => g.legs[0]?.leg?.replaces ?? []),
        );
        // a replaced group covers what it filled; the group that replaced it covers the rest
        const covered = [...groups.entries()].reduce(
          (sum, [group, g]) => sum.plus(replaced.has(group) ? filledIn(legs, group) : g.quantity),
          ZERO,
        );
        const instrument = await this.deps.instruments.get(entry.instrumentId);
        const delivered = await deliveredQuantity(this.deps.ctx.db, entry, {
          baseAsset: instrument.baseAsset,
          lotSize: instrument.rules.lotSize,
        });
        const uncovered = delivered.minus(covered);
        if (!uncovered.gt(0)) continue;
        const group = `${entry.id}-${groups.size + 1}`;
        if (native && wanted.length === 2) {
          await this.native.placeNativePair(accountId, actor, entry, group, uncovered, {}, result);
          continue;
        }
        for (const role of wanted)
          await this.placeLeg(actor, entry, group, uncovered, role, uncovered, result);
      } catch (e) {
        result.errors.push(`entry ${entry.id}: ${describe(e)}`);
      }
    }
  }

  private async placeLeg(
    actor: Actor,
    entry: OrderView,
    group: string,
    groupQuantity: Decimal,
    role: BracketRole,
    quantity: Decimal,
    result: BracketRunResult,
  ): Promise<void> {
    const { request, links } = legOrder(entry, group, groupQuantity, role, quantity, {});
    try {
      await this.deps.trading.place(actor, request, { links });
      result.placed++;
    } catch (e) {
      if (e instanceof ConflictError) return; // placed by an earlier run
      if (!stopPassed(e)) {
        result.errors.push(`${role} of entry ${entry.id}: ${describe(e)}`);
        return;
      }
      // the market is already through the stop-loss: close now
      await this.deps.trading.place(
        actor,
        { ...request, type: "MARKET", stopPrice: null },
        { links },
      );
      result.placed++;
    }
  }

  private async oneCancelsTheOther(accountId: number, result: BracketRunResult): Promise<void> {
    const db = this.deps.ctx.db;
    const open = await withInstruments(
      db,
      await db.order.findMany({
        where: {
          portfolio: { accountId },
          clientOrderId: { startsWith: BRACKET_LEG_PREFIX },
          status: { in: ["NEW", "PARTIALLY_FILLED"] },
        },
        orderBy: { id: "asc" },
      }),
    );
    const entries = new Set(
      open.map(toOrderView).flatMap((o) => (o.leg ? [o.leg.parentOrderId] : [])),
    );
    for (const entryId of entries) {
      const legs = await this.legsOf(entryId);
      const groups = new Set(legs.filter((l) => isOpen(l.status)).map((l) => l.leg!.group));
      for (const group of groups) {
        const inGroup = legs.filter((l) => l.leg!.group === group);
        // the venue cancels a native pair's other leg itself (a partial take-profit: see above)
        if (inGroup.some((l) => l.leg!.nativeList)) continue;
        const left = maxDec(ZERO, inGroup[0]!.leg!.groupQuantity.minus(filledIn(legs, group)));
        for (const leg of inGroup.filter((l) => isOpen(l.status))) {
          if (!leg.quantity.minus(leg.filledQuantity).gt(left)) continue;
          try {
            const actor = await this.ownerOf(leg.portfolioId);
            if (left.isZero()) {
              await this.deps.trading.cancel(actor, leg.id);
              result.canceled++;
            } else {
              await this.deps.trading.amend(actor, leg.id, {
                quantity: leg.filledQuantity.plus(left),
              });
              result.reduced++;
            }
          } catch (e) {
            // it may have ended meanwhile (filled, canceled): the next run sees where it stands
            if (!isDomainError(e)) throw e;
            result.errors.push(`leg ${leg.id}: ${describe(e)}`);
          }
        }
      }
    }
  }
}
