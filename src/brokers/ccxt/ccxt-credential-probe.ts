// Checks an exchange key pair before the secret store keeps it: one read-only private call
// (fetchBalance) on a client of its own that is dropped afterwards. Binance's account answer also
// says whether the key may withdraw (canWithdraw), which TradeDesk refuses to hold.
import { createExchange } from "../../market/ccxt/client.ts";
import type { CredentialProbe, CredentialProbeResult, ExchangeCredentials } from "../types.ts";
import { classify } from "./venue-errors.ts";
import type { LiveTradingSettings } from "./live-gateways.ts";

export class CcxtCredentialProbe implements CredentialProbe {
  private readonly byBroker: Map<string, string>;

  constructor(private readonly settings: LiveTradingSettings) {
    this.byBroker = new Map(settings.exchanges.map((id) => [id.toUpperCase(), id]));
  }

  supports(brokerCode: string): boolean {
    return this.byBroker.has(brokerCode);
  }

  async probe(
    brokerCode: string,
    credentials: ExchangeCredentials,
    options: { testnet: boolean },
  ): Promise<CredentialProbeResult> {
    const id = this.byBroker.get(brokerCode);
    if (!id) return { ok: false, reason: "not-configured" };
    const url = options.testnet ? this.settings.sandboxUrl(id) : this.settings.apiUrl(id);
    const ex = await createExchange({
      id,
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      ...(credentials.password ? { password: credentials.password } : {}),
      sandbox: options.testnet,
      ...(url ? { apiUrl: url } : {}),
      ...(this.settings.timeoutMs !== undefined ? { timeoutMs: this.settings.timeoutMs } : {}),
      ...(this.settings.rateLimitMs !== undefined
        ? { rateLimitMs: this.settings.rateLimitMs }
        : {}),
    });
    try {
      const balance = await ex.fetchBalance();
      const info = balance.info as { canWithdraw?: unknown };
      return { ok: true, canWithdraw: info.canWithdraw === true };
    } catch (e) {
      const failure = classify(e);
      if (failure.kind === "invalid-key") return { ok: false, reason: "invalid-key" };
      if (failure.kind === "refused") return { ok: false, reason: "permission-denied" };
      return { ok: false, reason: "unreachable" };
    }
  }
}
