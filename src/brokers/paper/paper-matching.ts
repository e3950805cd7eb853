// The paper venue's matching on its book: one step for one order (at placement, or resting in a
// matcher run), in a transaction holding the account's row lock, writing the fill and the order's
// new state together. The rules of a step are pure (order-matcher.ts); this is where they meet
// the quotes, the minute's liquidity (liquidity.ts) and the book's rows.
import type { Db, Provider } from "../../db/client.ts";
import type { PaperOrder } from "../../db/generated/sqlite/client.ts";
import { lockRow } from "../../db/locks.ts";
import type { Clock } from "../../lib/clock.ts";
import { type Decimal, fromDb, fromDbOrNull, toDb, toDbOrNull } from "../../lib/decimal.ts";
import { type MarketData, MarketUnavailableError, type Quote } from "../../market/types.ts";
import { bpsToRate } from "../pricing.ts";
import type { MatchSummary } from "../types.ts";
import { minuteAllowance, tradedThisMinute } from "./liquidity.ts";
import { type MatchPhase, feeFor, matchStep } from "./order-matcher.ts";
import { OPEN_STATUSES, isOpenStatus, paperTradeId } from "./paper-book.ts";
import type { PaperBrokerOptions } from "./paper-options.ts";
import type { VenueInstrument } from "./venue-rules.ts";

interface PaperMatchingDeps {
  db: Db;
  provider: Provider;
  clock: Clock;
  market: MarketData;
  accountId: number;
  options: PaperBrokerOptions;
  /** the venue's instrument of a symbol (undefined: not listed) */
  instrument: (symbol: string) => Promise<VenueInstrument | undefined>;
}

/** The quote and minute allowance of one symbol, shared by all its orders in one matcher run. */
interface SymbolMarket {
  quote: Quote;
  allowance: Decimal;
}

interface StepResult {
  filled: boolean;
  statusChanged: boolean;
}

export class PaperMatching {
  constructor(private readonly deps: PaperMatchingDeps) {}

  /**
   * Evaluates every open order of the account, oldest first, against the current quotes:
   * triggers stops, tracks trailing stops, fills what the market and the minute's liquidity
   * allow, expires DAY orders past their end. One failing order does not stop the others; the
   * first error is rethrown once all were tried.
   */
  async matchOpenOrders(): Promise<MatchSummary> {
    const rows = await this.deps.db.paperOrder.findMany({
      where: { accountId: this.deps.accountId, status: { in: [...OPEN_STATUSES] } },
      orderBy: { id: "asc" },
    });
    const markets = new Map<string, Promise<SymbolMarket>>();
    const summary: MatchSummary = { evaluated: 0, fills: 0, statusChanges: 0 };
    let firstError: unknown = null;
    for (const row of rows) {
      try {
        let market = markets.get(row.symbol);
        if (!market) {
          market = this.symbolMarket(row.symbol);
          markets.set(row.symbol, market);
        }
        const result = await this.step(row, "resting", await market);
        summary.evaluated++;
        if (result?.filled) summary.fills++;
        if (result?.statusChanged) summary.statusChanges++;
      } catch (e) {
        firstError ??= e;
      }
    }
    if (firstError) throw firstError;
    return summary;
  }

  /** One matching step for one order, in a transaction holding the account lock. */
  async step(row: PaperOrder, phase: MatchPhase, known?: SymbolMarket): Promise<StepResult | null> {
    const { db, provider, accountId } = this.deps;
    const instrument = await this.deps.instrument(row.symbol);
    if (!instrument) return null;
    const { quote, allowance } = known ?? (await this.symbolMarket(row.symbol));
    const now = this.deps.clock.now();
    const { slippageBps, takerFeeBps, makerFeeBps, feeDecimals } = this.deps.options;
    return db.$transaction(async (tx) => {
      await lockRow(tx, provider, "accounts", accountId);
      const current = await tx.paperOrder.findUnique({ where: { id: row.id } });
      if (!current || !isOpenStatus(current.status)) return null;
      const used = await tradedThisMinute(tx, accountId, current.symbol, now);
      const order = {
        side: current.side,
        type: current.type,
        timeInForce: current.timeInForce,
        status: current.status,
        quantity: fromDb(current.quantity),
        filledQuantity: fromDb(current.filledQuantity),
        price: fromDbOrNull(current.price),
        stopPrice: fromDbOrNull(current.stopPrice),
        trailAmount: fromDbOrNull(current.trailAmount),
        trailPercent: fromDbOrNull(current.trailPercent),
        bestPrice: fromDbOrNull(current.bestPrice),
        triggered: current.triggered,
        expiresAt: current.expiresAt,
      };
      const outcome = matchStep({
        order,
        market: quote,
        now,
        phase,
        liquidity: allowance.minus(used),
        tickSize: instrument.tickSize,
        lotSize: instrument.lotSize,
        slippageRate: bpsToRate(slippageBps),
      });
      let filledQuantity = order.filledQuantity;
      if (outcome.fill) {
        const { quantity, price, liquidity } = outcome.fill;
        const sequence = (await tx.paperFill.count({ where: { paperOrderId: current.id } })) + 1;
        const rate = bpsToRate(liquidity === "MAKER" ? makerFeeBps : takerFeeBps);
        await tx.paperFill.create({
          data: {
            accountId,
            paperOrderId: current.id,
            brokerTradeId: paperTradeId(current.brokerOrderId, sequence),
            quantity: toDb(quantity),
            price: toDb(price),
            fee: toDb(feeFor(quantity, price, rate, feeDecimals)),
            feeCurrency: instrument.currency,
            execTime: now,
          },
        });
        filledQuantity = filledQuantity.plus(quantity);
      }
      const changed =
        outcome.fill !== null ||
        outcome.status !== current.status ||
        outcome.triggered !== current.triggered ||
        !sameDecimal(outcome.bestPrice, order.bestPrice) ||
        !sameDecimal(outcome.stopPrice, order.stopPrice);
      if (changed) {
        await tx.paperOrder.update({
          where: { id: current.id },
          data: {
            status: outcome.status,
            filledQuantity: toDb(filledQuantity),
            triggered: outcome.triggered,
            bestPrice: toDbOrNull(outcome.bestPrice),
            stopPrice: toDbOrNull(outcome.stopPrice),
            ...(outcome.reason ? { rejectReason: outcome.reason } : {}),
            updatedAt: now,
          },
        });
      }
      return { filled: outcome.fill !== null, statusChanged: outcome.status !== current.status };
    });
  }

  /**
   * A quote to fill on. A stale one (the live source lost its exchange) is refused: a paper fill
   * at a price the market may have left long ago would be fiction; the order waits instead.
   */
  async freshQuote(symbol: string): Promise<Quote> {
    const { market } = this.deps;
    const quote = await market.quote(symbol);
    if (quote.stale) throw new MarketUnavailableError(market.name, quote.time);
    return quote;
  }

  private async symbolMarket(symbol: string): Promise<SymbolMarket> {
    const instrument = await this.deps.instrument(symbol);
    if (!instrument) throw new RangeError(`paper venue does not list ${symbol}`);
    const [quote, allowance] = await Promise.all([
      this.freshQuote(symbol),
      minuteAllowance(
        this.deps.market,
        symbol,
        this.deps.clock.now(),
        this.deps.options.participationRate,
        instrument.lotSize,
      ),
    ]);
    return { quote, allowance };
  }
}

function sameDecimal(a: Decimal | null, b: Decimal | null): boolean {
  return a === null || b === null ? a === b : a.eq(b);
}
