// Pausing new entries (freqtrade's /stopentry), per portfolio or for all of a user's portfolios.
// While a portfolio is paused, an order that opens or grows a position is refused by
// TradingService.preview (manual, strategy and quick-syntax orders alike); everything that
// reduces risk still works: sells of what is held, buying back a short, cancels, /close and the
// risk watch's closes. The pause is a timestamp on the portfolio row, so it survives restarts and
// every instance sees it; each change is audited.
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { StateError } from "../errors.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import type { PortfolioService, PortfolioView } from "./portfolio-service.ts";

/** Which portfolios a /pause or /resume acts on: one, or every live one of the user. */
export type PauseTarget = { portfolioId: number } | "all";

export interface PauseChange {
  /** the portfolios whose state changed */
  changed: PortfolioView[];
  /** the portfolios that were already in the wanted state */
  unchanged: PortfolioView[];
}

/**
 * True when an order of `side` for `quantity` opens or grows a position that now holds `held`
 * (negative: short). A sell of at most what is held, and a buy of at most a short, are exits.
 */
export function isEntry(side: "BUY" | "SELL", quantity: Decimal, held: Decimal): boolean {
  return side === "BUY" ? !held.lt(0) || quantity.gt(held.abs()) : quantity.gt(held);
}

/**
 * StateError "error-entries-paused" when the portfolio is paused and the order opens or grows its
 * position (the position as positions are keyed: portfolio, instrument, strategy-or-none).
 */
export async function assertEntryAllowed(
  db: DbOrTx,
  portfolio: Pick<PortfolioView, "id" | "name" | "entriesPausedAt">,
  order: {
    side: "BUY" | "SELL";
    quantity: Decimal;
    instrumentId: number;
    strategyId: number | null;
  },
): Promise<void> {
  if (!portfolio.entriesPausedAt) return;
  const position = await db.position.findUnique({
    where: {
      portfolioId_instrumentId_strategyKey: {
        portfolioId: portfolio.id,
        instrumentId: order.instrumentId,
        strategyKey: order.strategyId ?? 0,
      },
    },
    select: { quantity: true },
  });
  const held = position ? fromDb(position.quantity) : ZERO;
  if (!isEntry(order.side, order.quantity, held)) return;
  throw new StateError("error-entries-paused", { portfolio: portfolio.name });
}

export class EntryPauseService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly portfolios: PortfolioService,
  ) {}

  pause(actor: Actor, target: PauseTarget): Promise<PauseChange> {
    return this.set(actor, target, true);
  }

  resume(actor: Actor, target: PauseTarget): Promise<PauseChange> {
    return this.set(actor, target, false);
  }

  private async set(actor: Actor, target: PauseTarget, paused: boolean): Promise<PauseChange> {
    assertApproved(actor);
    const chosen =
      target === "all"
        ? await this.portfolios.listPortfolios(actor)
        : [await this.portfolios.getLivePortfolio(actor, target.portfolioId)];
    const changed: PortfolioView[] = [];
    const unchanged: PortfolioView[] = [];
    const now = this.ctx.clock.now();
    for (const portfolio of chosen) {
      if ((portfolio.entriesPausedAt !== null) === paused) {
        unchanged.push(portfolio);
        continue;
      }
      await this.ctx.db.$transaction(async (tx) => {
        await tx.portfolio.update({
          where: { id: portfolio.id },
          data: { entriesPausedAt: paused ? now : null },
        });
        await audit(tx, {
          actorId: actor.id,
          entityType: "PORTFOLIO",
          entityId: portfolio.id,
          action: paused ? "PAUSE" : "RESUME",
          details: { entries: paused ? "paused" : "resumed" },
        });
      });
      changed.push({ ...portfolio, entriesPausedAt: paused ? now : null });
    }
    return { changed, unchanged };
  }
}
