// Which gateway serves an account: a PaperBroker bound to the account for paper brokers, a
// registered live adapter for live ones (src/brokers/ccxt, enabled by LIVE_TRADING), and a
// typed error for a live broker without an adapter, so nothing is placed anywhere by accident.
import type { Db, Provider } from "../db/client.ts";
import { NotFoundError } from "../lib/errors.ts";
import type { Clock } from "../lib/clock.ts";
import type { MarketData } from "../market/types.ts";
import { LiveTradingNotConfiguredError } from "./gateway-errors.ts";
import { PaperBroker } from "./paper/paper-broker.ts";
import type { PaperBrokerSettings } from "./paper/paper-options.ts";
import type { BrokerGateway, ExchangeCredentials } from "./types.ts";

/** The account facts a gateway is built from. */
export interface GatewayAccount {
  id: number;
  brokerCode: string;
  isPaper: boolean;
  baseCurrency: string;
  /** where the API key lives (env:NAME, file:KEY, enc:...); never the key itself */
  secretRef: string | null;
  /** trade on the exchange's testnet (ccxt setSandboxMode) */
  testnet?: boolean;
  /** when the account was added here: live fill fetching never looks further back */
  createdAt?: Date;
}

/**
 * Reads the account's API credentials from the secret store (decrypting them) when called: the
 * only way plain credentials reach the broker layer. Throws the store's typed errors (no master
 * key, no stored key, a key that does not decrypt). Call it when the key is needed, keep the
 * result in memory only, and never log it.
 */
export type CredentialLoader = () => Promise<ExchangeCredentials>;

/** Builds the live adapter for one account (the ccxt adapter will be registered under "BINANCE"). */
export type LiveGatewayFactory = (
  account: GatewayAccount,
  credentials: CredentialLoader,
) => BrokerGateway;

export interface GatewayRegistryDeps {
  db: Db;
  provider: Provider;
  clock: Clock;
  /** the paper venue's prices */
  market: MarketData;
  paper?: PaperBrokerSettings;
  /** live adapters by broker code */
  live?: Readonly<Record<string, LiveGatewayFactory>>;
  /** an account's decrypted API credentials (the secret store's CredentialService.load) */
  credentials?: (accountId: number) => Promise<ExchangeCredentials>;
}

export class GatewayRegistry {
  private readonly gateways = new Map<number, BrokerGateway>();

  constructor(private readonly deps: GatewayRegistryDeps) {}

  /** The gateway of an active account; throws NotFoundError or LiveTradingNotConfiguredError. */
  async forAccount(accountId: number): Promise<BrokerGateway> {
    const cached = this.gateways.get(accountId);
    if (cached) return cached;
    const row = await this.deps.db.account.findFirst({
      where: { id: accountId, isActive: true },
      include: { broker: true },
    });
    if (!row) throw new NotFoundError("account", accountId);
    return this.gatewayFor({
      id: row.id,
      brokerCode: row.broker.code,
      isPaper: row.broker.isPaper,
      baseCurrency: row.baseCurrency,
      secretRef: row.secretRef,
      testnet: row.testnet,
      createdAt: row.createdAt,
    });
  }

  gatewayFor(account: GatewayAccount): BrokerGateway {
    const cached = this.gateways.get(account.id);
    if (cached) return cached;
    const gateway = account.isPaper ? this.paper(account.id) : this.live(account);
    this.gateways.set(account.id, gateway);
    return gateway;
  }

  /** True when orders for this broker can be placed here. */
  supports(brokerCode: string, isPaper: boolean): boolean {
    return isPaper || Object.hasOwn(this.deps.live ?? {}, brokerCode);
  }

  private paper(accountId: number): BrokerGateway {
    const { db, provider, clock, market, paper } = this.deps;
    return new PaperBroker({ db, provider, clock, market, accountId, options: paper });
  }

  private live(account: GatewayAccount): BrokerGateway {
    const factory = this.deps.live?.[account.brokerCode];
    if (!factory) throw new LiveTradingNotConfiguredError(account.brokerCode);
    const load = this.deps.credentials;
    return factory(account, () =>
      load
        ? load(account.id)
        : Promise.reject(new LiveTradingNotConfiguredError(account.brokerCode)),
    );
  }
}
