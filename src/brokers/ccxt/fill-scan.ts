// The account's fills since a cursor. Binance lists trades per symbol only, so the scan first
// gathers every symbol fills may arrive on (those of the account's orders here, of open orders
// seen at the venue, of assets the account holds), then reads each from where the cursor stands:
// by trade id once a trade was read there, in time windows before that (fill-cursor.ts).
import type { Exchange, MarketInterface as Market, Trade } from "ccxt";
import type { Clock } from "../../lib/clock.ts";
import type { GatewayAccount } from "../gateway-registry.ts";
import type { BrokerGateway, FillPage, GatewayFill } from "../types.ts";
import type { AccountSymbols } from "./account-symbols.ts";
import {
  type FillCursor,
  SCAN_WINDOW_MS,
  compareIds,
  formatCursor,
  nextId,
  parseCursor,
} from "./fill-cursor.ts";
import { toGatewayFill } from "./order-mapping.ts";
import { type VenueSession, domainSymbol } from "./venue-session.ts";

export interface FillScanOptions {
  account: GatewayAccount;
  symbols: AccountSymbols;
  clock: Clock;
  /** how long the account's held assets (which symbols to look for fills on) are reused */
  holdingsTtlMs?: number;
  /** how far behind "now" a scan of a symbol without trades stops, for clock skew with the venue */
  scanSafetyMs?: number;
}

/** Binance's myTrades page limit. */
const MAX_TRADES_PAGE = 1000;

export class FillScan {
  /** symbols of open orders seen at the venue (ours or placed by hand) */
  private readonly seenSymbols = new Set<string>();
  private holdings: { at: number; symbols: string[] } | null = null;

  constructor(
    private readonly session: VenueSession,
    /** the gateway itself: the account's balances, and orders its fills name */
    private readonly gateway: Pick<BrokerGateway, "balances" | "fetchOrder">,
    private readonly opts: FillScanOptions,
  ) {}

  /** An open order was seen on this symbol: its fills are looked for from now on. */
  sawOpenOrder(symbol: string): void {
    this.seenSymbols.add(symbol);
  }

  async fillsSince(cursorText: string | null, limit: number): Promise<FillPage> {
    const ex = await this.session.exchange();
    const cursor = parseCursor(cursorText);
    await this.addSymbolsOfInterest(ex, cursor);
    const now = this.opts.clock.now().getTime();
    const safety = this.opts.scanSafetyMs ?? 60_000;
    const fills: GatewayFill[] = [];
    let hasMore = false;
    for (const symbol of [...cursor.keys()].sort()) {
      const market = this.session.marketOf(ex, symbol);
      if (!market) continue;
      const room = Math.min(limit - fills.length, MAX_TRADES_PAGE);
      if (room <= 0) {
        hasMore = true;
        break;
      }
      const pos = cursor.get(symbol)!;
      let trades;
      let scannedTo: number | null = null;
      let scannedFrom = 0;
      if ("id" in pos) {
        trades = await this.session.read(ex, () =>
          ex.fetchMyTrades(market.symbol, undefined, room, { fromId: nextId(pos.id) }),
        );
      } else {
        const end = Math.min(pos.t + SCAN_WINDOW_MS, now);
        scannedTo = end;
        scannedFrom = pos.t;
        trades = await this.session.read(ex, () =>
          ex.fetchMyTrades(market.symbol, pos.t, room, { endTime: end }),
        );
      }
      const ordered = trades
        .map((t) => ({ t, id: String((t.info as { id?: unknown }).id ?? t.id) }))
        .sort((a, b) => compareIds(a.id, b.id))
        .slice(0, room);
      if (ordered.length) {
        for (const { t } of ordered) fills.push(await this.fill(ex, t, market));
        cursor.set(symbol, { id: ordered.at(-1)!.id });
        if (ordered.length >= room) hasMore = true;
      } else if (scannedTo !== null) {
        // nothing in the window: move on, but never past the last minute (the venue's clock
        // may be behind ours, and a trade stamped just now must still be found)
        const next = Math.min(scannedTo + 1, now - safety);
        if (next > scannedFrom) cursor.set(symbol, { t: next });
        if (scannedTo < now) hasMore = true;
      }
    }
    fills.sort(
      (a, b) =>
        a.execTime.getTime() - b.execTime.getTime() || compareIds(a.brokerTradeId, b.brokerTradeId),
    );
    const next = formatCursor(cursor);
    return { fills, cursor: next === cursorText ? cursorText : next, hasMore };
  }

  /**
   * Adds every symbol fills may arrive on to the cursor: those of the account's orders here (from
   * their first order), those of open orders seen at the venue and of assets the account holds
   * (from the account's creation), each scanned from that time on.
   */
  private async addSymbolsOfInterest(ex: Exchange, cursor: FillCursor): Promise<void> {
    const accountSince =
      this.opts.account.createdAt?.getTime() ??
      this.opts.clock.now().getTime() - 24 * 60 * 60 * 1000;
    // the exchange stamps a trade a moment after our order was stored: look a minute earlier
    const skew = this.opts.scanSafetyMs ?? 60_000;
    for (const [symbol, since] of await this.opts.symbols.tradedSince()) {
      if (!cursor.has(symbol)) cursor.set(symbol, { t: since - skew });
    }
    for (const symbol of [...this.seenSymbols, ...(await this.heldSymbols(ex))]) {
      if (!cursor.has(symbol)) cursor.set(symbol, { t: accountSince - skew });
    }
  }

  /** Markets of the assets the account holds, against its base currency (cached a while). */
  private async heldSymbols(ex: Exchange): Promise<string[]> {
    const now = Date.now();
    const ttl = this.opts.holdingsTtlMs ?? 60_000;
    if (this.holdings && now - this.holdings.at < ttl) return this.holdings.symbols;
    const quotes = [...new Set([this.opts.account.baseCurrency.toUpperCase(), "USDT"])];
    const symbols: string[] = [];
    for (const asset of (await this.gateway.balances()).keys()) {
      for (const quote of quotes) {
        if (asset === quote) continue;
        const market = this.session.marketOf(ex, `${asset}${quote}`);
        if (market) symbols.push(domainSymbol(market));
      }
    }
    this.holdings = { at: now, symbols };
    return symbols;
  }

  private async fill(ex: Exchange, t: Trade, market: Market): Promise<GatewayFill> {
    const symbol = domainSymbol(market);
    const orderId = String((t.info as { orderId?: unknown }).orderId ?? t.order ?? "");
    let clientOrderId = this.session.clientIdOf(orderId);
    if (clientOrderId === undefined && orderId) {
      // an order this process has not seen (placed before a restart, or by hand): ask once
      const order = await this.gateway
        .fetchOrder({ brokerOrderId: orderId, symbol })
        .catch(() => null);
      clientOrderId = order?.clientOrderId;
    }
    return toGatewayFill(ex, t, symbol, clientOrderId ?? "");
  }
}
