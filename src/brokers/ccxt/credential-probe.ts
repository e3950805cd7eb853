// The live CredentialProbe: checks an exchange key pair before it is stored, with read-only calls
// only — one fetchBalance (the key works and may read the account) and, where the exchange has
// one, its API-restrictions endpoint (may the key withdraw? such keys are refused). A fresh ccxt
// client per probe, dropped afterwards: the key lives only for the call, never in a log or error.
//
// Binance: GET /sapi/v1/account/apiRestrictions → enableReading, enableWithdrawals. Its spot
// testnet has no /sapi endpoints (ccxt's sandbox URLs carry none) and no withdrawals at all, so a
// testnet key is checked by fetchBalance alone and reported as unable to withdraw.
import type { Exchange } from "ccxt";
import { isCcxtError, isCcxtErrorOf } from "./ccxt-errors.ts";
import { type ExchangeClientOptions, createExchange } from "../../market/ccxt/client.ts";
import type {
  CredentialProbe,
  CredentialProbeFailure,
  CredentialProbeResult,
  ExchangeCredentials,
} from "../types.ts";
import { classify } from "./venue-errors.ts";

export interface CcxtProbeSettings {
  /** ccxt exchange ids with live trading enabled (LIVE_TRADING) */
  exchanges: readonly string[];
  /** API host per exchange id (EXCHANGE_API_URL[_<ID>]) */
  apiUrl: (exchangeId: string) => string | undefined;
  /** testnet API host per exchange id (EXCHANGE_SANDBOX_URL[_<ID>]) */
  sandboxUrl: (exchangeId: string) => string | undefined;
  rateLimitMs?: number;
  /** per request; the probe runs while a person waits in the chat */
  timeoutMs?: number;
}

/** What the exchange says a key may do; null when it has no such endpoint. */
type Restrictions = { canRead: boolean; canWithdraw: boolean } | null;

/** Readers of the API-restrictions endpoint by ccxt id (real money only: see the header). */
const RESTRICTIONS: Record<string, (ex: Exchange) => Promise<Restrictions>> = {
  binance: async (ex) => {
    // an implicit ccxt endpoint method: typed loosely by ccxt itself
    const call = (ex as unknown as Record<string, () => Promise<Record<string, unknown>>>)
      .sapiGetAccountApiRestrictions!;
    const r = await call.call(ex);
    return { canRead: r.enableReading !== false, canWithdraw: r.enableWithdrawals === true };
  },
};

export class CcxtCredentialProbe implements CredentialProbe {
  private readonly ids: ReadonlySet<string>;

  constructor(private readonly settings: CcxtProbeSettings) {
    this.ids = new Set(settings.exchanges.map((id) => id.toLowerCase()));
  }

  supports(brokerCode: string): boolean {
    return this.ids.has(brokerCode.toLowerCase());
  }

  async probe(
    brokerCode: string,
    credentials: ExchangeCredentials,
    options: { testnet: boolean },
  ): Promise<CredentialProbeResult> {
    const id = brokerCode.toLowerCase();
    if (!this.ids.has(id)) return { ok: false, reason: "not-configured" };
    const opts: ExchangeClientOptions = {
      id,
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      sandbox: options.testnet,
      timeoutMs: this.settings.timeoutMs ?? 10_000,
    };
    if (credentials.password) opts.password = credentials.password;
    const url = options.testnet ? this.settings.sandboxUrl(id) : this.settings.apiUrl(id);
    if (url) opts.apiUrl = url;
    if (this.settings.rateLimitMs !== undefined) opts.rateLimitMs = this.settings.rateLimitMs;
    try {
      const ex = await createExchange(opts);
      await ex.fetchBalance();
      const read = options.testnet ? undefined : RESTRICTIONS[id];
      const restrictions = read ? await read(ex) : null;
      if (restrictions && !restrictions.canRead) return { ok: false, reason: "permission-denied" };
      return { ok: true, canWithdraw: restrictions?.canWithdraw ?? false };
    } catch (e) {
      return { ok: false, reason: failureOf(e) };
    }
  }
}

/** A ccxt exception as a probe verdict; anything that is not ccxt's (a bug) is passed on. */
export function failureOf(e: unknown): CredentialProbeFailure {
  if (!isCcxtError(e)) throw e;
  if (isCcxtErrorOf(e, "PermissionDenied")) return "permission-denied";
  switch (classify(e).kind) {
    case "invalid-key":
      return "invalid-key";
    default:
      // timeouts, refused connections, 5xx, 429 and answers we cannot read: nothing is known
      // about the key, so nothing is stored and the person may try again later
      return "unreachable";
  }
}
