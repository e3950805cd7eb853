// Builds the market data source configuration names: the embedded offline generator (the
// default, no network) or an exchange through ccxt (loaded only then).
import { OfflineMarketData } from "./offline/offline-market-data.ts";
import type { MarketData } from "./types.ts";
import { CcxtMarketData } from "./ccxt/ccxt-market-data.ts";
import type { MarketLogger } from "./ccxt/outage-guard.ts";
import { LazyExchange } from "./ccxt/client.ts";

export const OFFLINE_SOURCE = "offline";

export interface MarketSourceOptions {
  /** "offline", or a ccxt exchange id ("binance") */
  source: string;
  /** the offline generator's seed */
  seed: string;
  /** replaces the exchange's API host (a proxy, a mirror, a local twin) */
  apiUrl?: string | undefined;
  clock: () => Date;
  logger?: MarketLogger;
}

export function isLiveSource(source: string): boolean {
  return source !== OFFLINE_SOURCE;
}

/**
 * The configured source. A live one loads ccxt and checks the exchange id at once (an unknown
 * id fails here, at start, not at the first quote); it does not need the exchange to answer.
 */
export async function createMarketData(opts: MarketSourceOptions): Promise<MarketData> {
  if (!isLiveSource(opts.source)) {
    return new OfflineMarketData({ seed: opts.seed, clock: opts.clock });
  }
  const client = new LazyExchange({ id: opts.source, apiUrl: opts.apiUrl });
  await client.get();
  return new CcxtMarketData({
    id: opts.source,
    exchange: () => client.get(),
    clock: opts.clock,
    logger: opts.logger,
  });
}
