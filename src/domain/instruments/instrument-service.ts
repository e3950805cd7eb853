// Instruments (reference data) and their trading rules. Read-mostly: cached in memory for a
// short while, since every order and every quote looks one up.
import type { AssetType } from "../../db/generated/sqlite/enums.ts";
import { fromDb } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { suggestSymbols } from "../../market/symbols.ts";
import type { TradingRules } from "./trading-rules.ts";

export interface InstrumentView {
  id: number;
  symbol: string;
  exchange: string;
  name: string | null;
  assetType: AssetType;
  baseAsset: string | null;
  currency: string;
  rules: TradingRules;
}

const CACHE_MS = 60_000;

export class InstrumentService {
  private cache: { at: number; list: InstrumentView[]; byId: Map<number, InstrumentView> } | null =
    null;

  constructor(private readonly ctx: DomainContext) {}

  async list(): Promise<InstrumentView[]> {
    return (await this.catalog()).list;
  }

  private async catalog(): Promise<NonNullable<InstrumentService["cache"]>> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache;
    const rows = await this.ctx.db.instrument.findMany({
      where: { isActive: true },
      orderBy: { id: "asc" },
    });
    const list = rows.map((r) => ({
      id: r.id,
      symbol: r.symbol,
      exchange: r.exchange,
      name: r.name,
      assetType: r.assetType,
      baseAsset: r.baseAsset,
      currency: r.currency,
      rules: {
        symbol: r.symbol,
        tickSize: fromDb(r.tickSize),
        lotSize: fromDb(r.lotSize),
        minQty: fromDb(r.minQty),
        minNotional: fromDb(r.minNotional),
      },
    }));
    // by id too: /positions looks up every position's instrument
    this.cache = { at: now, list, byId: new Map(list.map((i) => [i.id, i])) };
    return this.cache;
  }

  invalidate(): void {
    this.cache = null;
  }

  async get(id: number): Promise<InstrumentView> {
    const found = (await this.catalog()).byId.get(id);
    if (!found) throw new NotFoundError("instrument", id);
    return found;
  }

  /**
   * Resolves what a user typed ("btcusdt", "AAPL", "BTCUSDT@BINANCE") to one instrument, or
   * throws a ValidationError on field "symbol" with close matches as suggestions.
   */
  async resolve(text: string): Promise<InstrumentView> {
    const raw = text.trim().toUpperCase();
    const [symbol = "", exchange] = raw.includes("@") ? raw.split("@", 2) : [raw, undefined];
    const all = await this.list();
    const matches = all.filter(
      (i) => i.symbol === symbol && (!exchange || i.exchange === exchange),
    );
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length > 1) {
      throw new ValidationError(
        "symbol",
        "error-symbol-ambiguous",
        { symbol },
        matches.map((m) => `${m.symbol}@${m.exchange}`),
      );
    }
    const suggestions = suggestSymbols(
      symbol || raw,
      all.map((i) => i.symbol),
    );
    throw new ValidationError(
      "symbol",
      "error-unknown-symbol",
      { symbol: text.trim() || "?", suggestions: suggestions.join(", ") || "none" },
      suggestions,
    );
  }
}
