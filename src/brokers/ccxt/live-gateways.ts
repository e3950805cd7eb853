// The live gateway factories of an installation: one per exchange named in LIVE_TRADING, each
// registered under the broker code people know it by (binance → "BINANCE") and building a
// CcxtGateway per account. The GatewayRegistry hands each factory the account and its
// credential loader; nothing here reads a key.
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../lib/clock.ts";
import type { LiveGatewayFactory } from "../gateway-registry.ts";
import { DbAccountSymbols } from "./account-symbols.ts";
import { CcxtGateway } from "./ccxt-gateway.ts";
import type { PacingOptions } from "./venue-pacing.ts";

export interface LiveTradingSettings {
  /** ccxt exchange ids with live trading enabled ("binance") */
  exchanges: readonly string[];
  /** API host per exchange id (EXCHANGE_API_URL[_<ID>]) */
  apiUrl: (exchangeId: string) => string | undefined;
  /** testnet API host per exchange id (EXCHANGE_SANDBOX_URL[_<ID>]) */
  sandboxUrl: (exchangeId: string) => string | undefined;
  rateLimitMs?: number;
  timeoutMs?: number;
  pacing?: Partial<PacingOptions>;
}

export function liveGatewayFactories(
  settings: LiveTradingSettings,
  deps: { db: Db; clock: Clock },
): Record<string, LiveGatewayFactory> {
  const out: Record<string, LiveGatewayFactory> = {};
  for (const exchangeId of settings.exchanges) {
    const brokerCode = exchangeId.toUpperCase();
    const apiUrl = settings.apiUrl(exchangeId);
    const sandboxApiUrl = settings.sandboxUrl(exchangeId);
    out[brokerCode] = (account, credentials) =>
      new CcxtGateway({
        brokerCode,
        exchangeId,
        account,
        credentials,
        symbols: new DbAccountSymbols(deps.db, account.id),
        clock: deps.clock,
        ...(apiUrl ? { apiUrl } : {}),
        ...(sandboxApiUrl ? { sandboxApiUrl } : {}),
        ...(settings.rateLimitMs !== undefined ? { rateLimitMs: settings.rateLimitMs } : {}),
        ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
        ...(settings.pacing ? { pacing: settings.pacing } : {}),
      });
  }
  return out;
}
