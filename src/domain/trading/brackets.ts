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
// Live venues: a gateway with BrokerCapabilities.nativeOco could take a pair as one request;
// none does yet, so every pair is emulated here.
import { isDomainError, ConflictError, ValidationError } from "../errors.ts";
import type { Decimal } from "../../lib/decimal.ts";
import { ZERO, maxDec } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import {
  BRACKET_ENTRY_PREFIX,
  BRACKET_LEG_PREFIX,
  type BracketRole,
} from "../orders/bracket-types.ts";
import { orderInclude, toOrderView } from "../orders/order-mapper.ts";
import type { OrderRequest, OrderView } from "../orders/order-types.ts";
import { isOpen } from "../orders/order-status.ts";
import { type Actor, toActor } from "../users/actor.ts";
import type { SyncLogger } from "./account-sync.ts";
import { SILENT_LOGGER } from "./account-sync.ts";
import type { TradingService } from "./trading-service.ts";

const ROLE_CODE: Record<BracketRole, string> = { "take-profit": "tp", "stop-loss": "sl" };

/**
 * The fixed client order id of a group's leg (a replacement adds a suffix to it); venues read the
 * OCO group from it (brokers/oco.ts).
 */
export function legClientOrderId(entryId: number, group: string, role: BracketRole): string {
  return `${BRACKET_LEG_PREFIX}${entryId}-${group.split("-").at(-1)}-${ROLE_CODE[role]}`;
}

export interface BracketRunResult {
  placed: number;
  reduced: number;
  canceled: number;
  errors: string[];
}

export interface BracketServiceDeps {
  ctx: DomainContext;
  trading: TradingService;
  logger?: SyncLogger;
}

export class BracketService {
  private readonly running = new Set<number>();
  private readonly logger: SyncLogger;

  constructor(private readonly deps: BracketServiceDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
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
    const rows = await this.deps.ctx.db.order.findMany({
      where: { clientOrderId: { startsWith: `${BRACKET_LEG_PREFIX}${entryId}-` } },
      include: orderInclude,
      orderBy: { id: "asc" },
    });
    return rows.map(toOrderView).filter((o) => o.leg?.parentOrderId === entryId);
  }

  private async placeExits(accountId: number, result: BracketRunResult): Promise<void> {
    const rows = await this.deps.ctx.db.order.findMany({
      where: {
        portfolio: { accountId },
        clientOrderId: { startsWith: BRACKET_ENTRY_PREFIX },
        NOT: { filledQuantity: "0" },
      },
      include: orderInclude,
      orderBy: { id: "asc" },
    });
    for (const entry of rows.map(toOrderView)) {
      const plan = entry.bracketPlan;
      if (!plan || entry.filledQuantity.isZero()) continue;
      try {
        const legs = await this.legsOf(entry.id);
        const groups = new Map<string, { quantity: Decimal; roles: Set<BracketRole> }>();
        for (const leg of legs) {
          const g = groups.get(leg.leg!.group) ?? {
            quantity: leg.leg!.groupQuantity,
            roles: new Set<BracketRole>(),
          };
          g.roles.add(leg.leg!.role);
          groups.set(leg.leg!.group, g);
        }
        const wanted: BracketRole[] = [
          ...(plan.takeProfit ? (["take-profit"] as const) : []),
          ...(plan.stopLoss ? (["stop-loss"] as const) : []),
        ];
        const actor = await this.ownerOf(entry.portfolioId);
        // a group left incomplete by an earlier run (a refusal, a crash) gets its missing leg
        for (const [group, g] of groups) {
          for (const role of wanted.filter((r) => !g.roles.has(r))) {
            const left = g.quantity.minus(filledIn(legs, group));
            if (left.gt(0))
              await this.placeLeg(actor, entry, group, g.quantity, role, left, result);
          }
        }
        const covered = [...groups.values()].reduce((sum, g) => sum.plus(g.quantity), ZERO);
        const uncovered = entry.filledQuantity.minus(covered);
        if (!uncovered.gt(0)) continue;
        const group = `${entry.id}-${groups.size + 1}`;
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
    const plan = entry.bracketPlan!;
    const side = entry.side === "BUY" ? "SELL" : "BUY";
    const base: OrderRequest = {
      portfolioId: entry.portfolioId,
      symbol: entry.symbol,
      side,
      type: role === "take-profit" ? "LIMIT" : "STOP",
      quantity,
      price: role === "take-profit" ? plan.takeProfit : null,
      stopPrice: role === "stop-loss" ? plan.stopLoss : null,
      timeInForce: "GTC",
      strategyId: entry.strategyId,
      clientOrderId: legClientOrderId(entry.id, group, role),
    };
    const links = {
      parentOrderId: entry.id,
      bracketRole: role,
      ocoGroup: group,
      ocoQuantity: groupQuantity.toFixed(),
      exitReason: role,
    };
    try {
      await this.deps.trading.place(actor, base, { links });
      result.placed++;
    } catch (e) {
      if (e instanceof ConflictError) return; // placed by an earlier run
      const passed =
        e instanceof ValidationError &&
        (e.key === "error-sell-stop-above-market" || e.key === "error-buy-stop-below-market");
      if (!passed) {
        result.errors.push(`${role} of entry ${entry.id}: ${describe(e)}`);
        return;
      }
      // the market is already through the stop-loss: close now
      await this.deps.trading.place(actor, { ...base, type: "MARKET", stopPrice: null }, { links });
      result.placed++;
    }
  }

  private async oneCancelsTheOther(accountId: number, result: BracketRunResult): Promise<void> {
    const open = await this.deps.ctx.db.order.findMany({
      where: {
        portfolio: { accountId },
        clientOrderId: { startsWith: BRACKET_LEG_PREFIX },
        status: { in: ["NEW", "PARTIALLY_FILLED"] },
      },
      include: orderInclude,
      orderBy: { id: "asc" },
    });
    const entries = new Set(
      open.map(toOrderView).flatMap((o) => (o.leg ? [o.leg.parentOrderId] : [])),
    );
    for (const entryId of entries) {
      const legs = await this.legsOf(entryId);
      const groups = new Set(legs.filter((l) => isOpen(l.status)).map((l) => l.leg!.group));
      for (const group of groups) {
        const inGroup = legs.filter((l) => l.leg!.group === group);
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

function filledIn(legs: readonly OrderView[], group: string): Decimal {
  return legs
    .filter((l) => l.leg?.group === group)
    .reduce((sum, l) => sum.plus(l.filledQuantity), ZERO);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
