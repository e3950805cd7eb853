// Opening a live account (/newaccount for an exchange): the key pair is checked with the exchange
// first (one read-only call; a key that may withdraw is refused), then the account and its sealed
// credentials are written in one transaction, so there is never a live account without its key
// nor a key without its account. Every refusal is a typed error and leaves the database as it was.
import type { ExchangeCredentials } from "../../brokers/types.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, ValidationError } from "../errors.ts";
import { cleanCurrency, cleanName } from "../names.ts";
import type { AccountView, PortfolioService } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { SecretsNotConfiguredError } from "./credential-errors.ts";
import type { CredentialService } from "./credential-service.ts";

export interface OpenLiveAccountInput {
  brokerCode: string;
  name: string;
  baseCurrency: string;
  /** the exchange's testnet (sandbox) rather than real money */
  testnet: boolean;
}

export class LiveAccountService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: { portfolios: PortfolioService; credentials: CredentialService },
  ) {}

  /**
   * Checks the key pair with the exchange, then creates the account and stores its credentials
   * together. Throws SecretsNotConfiguredError (no master key), ValidationError/ConflictError
   * (name, currency, paper broker), CredentialsRejectedError (the exchange's verdict).
   */
  async open(
    actor: Actor,
    input: OpenLiveAccountInput,
    credentials: ExchangeCredentials,
  ): Promise<AccountView> {
    assertApproved(actor);
    if (!this.deps.credentials.hasMasterKey()) throw new SecretsNotConfiguredError();
    const name = cleanName("name", input.name);
    const baseCurrency = cleanCurrency("baseCurrency", input.baseCurrency);
    const broker = await this.ctx.db.broker.findUnique({
      where: { code: input.brokerCode.trim().toUpperCase() },
    });
    if (!broker)
      throw new ValidationError("broker", "error-unknown-broker", { value: input.brokerCode });
    if (broker.isPaper) throw new ValidationError("account", "error-paper-no-secret");
    // cheap checks before the exchange is asked anything
    if (await this.deps.portfolios.accountNameTaken(actor, name))
      throw new ConflictError("name", "error-account-name-taken", { name });
    await this.deps.credentials.verify(broker.code, credentials, { testnet: input.testnet });
    return this.ctx.db.$transaction(async (tx) => {
      const account = await this.deps.portfolios.createAccount(
        actor,
        { brokerCode: broker.code, name, baseCurrency, testnet: input.testnet },
        { tx },
      );
      await this.deps.credentials.store(actor, account.id, credentials, { tx });
      return { ...account, hasSecret: true };
    });
  }
}
