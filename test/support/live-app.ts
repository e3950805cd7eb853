// The whole app configured for live trading against the exchange twin, for end-to-end tests:
// market data and orders from the twin (MARKET_DATA and LIVE_TRADING=binance, EXCHANGE_API_URL
// and the sandbox URL pointing at it) and a fresh secrets master key. Nothing in the app knows
// the twin exists; only the URLs do. addLiveAccount gives a trader a Binance account whose key
// the app itself checks against the twin and stores, with one portfolio on it.
import { randomBytes } from "node:crypto";
import type { Provider } from "../../src/db/client.ts";
import type { Actor } from "../../src/domain/users/actor.ts";
import { type Harness, type HarnessOptions, startHarness } from "./app-harness.ts";
import { ExchangeTwin, type ExchangeTwinOptions } from "./exchange-twin/index.ts";

export interface LiveApp {
  h: Harness;
  exchange: ExchangeTwin;
  /** stops the app, then the exchange twin */
  stop(): Promise<void>;
}

export async function startLiveApp(
  options: {
    provider?: Provider;
    logger?: HarnessOptions["logger"];
    /** more environment (after the live settings, so a test may override them) */
    env?: Record<string, string>;
    /** the master key (base64); a random one when not given */
    masterKey?: string;
    exchange?: ExchangeTwinOptions;
    /** keys and balances on the twin before the app starts (the credential probe needs them) */
    prepare?: (exchange: ExchangeTwin) => void;
  } = {},
): Promise<LiveApp> {
  const exchange = await ExchangeTwin.start(options.exchange);
  options.prepare?.(exchange);
  let h: Harness;
  try {
    h = await startHarness({
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      env: {
        MARKET_DATA: "binance",
        LIVE_TRADING: "binance",
        EXCHANGE_API_URL: exchange.url,
        EXCHANGE_SANDBOX_URL: exchange.url,
        SECRETS_MASTER_KEY: options.masterKey ?? randomBytes(32).toString("base64"),
        ...options.env,
      },
    });
  } catch (e) {
    await exchange.stop();
    throw e;
  }
  return {
    h,
    exchange,
    async stop() {
      await h.stop();
      await exchange.stop();
    },
  };
}

/**
 * A Binance account of `actor` on the twin's account `venueAccount`: a fresh key registered on
 * the twin, checked and stored by the app (CredentialService.rotate), and a portfolio on it.
 */
export async function addLiveAccount(
  live: LiveApp,
  actor: Actor,
  options: { venueAccount: string; name: string; portfolio: string },
): Promise<{ accountId: number; portfolioId: number }> {
  const key = { apiKey: randomBytes(32).toString("hex"), secret: randomBytes(32).toString("hex") };
  live.exchange.registerKey({ ...key, account: options.venueAccount });
  const { portfolios, credentials } = live.h.app.services;
  const account = await portfolios.createAccount(actor, {
    brokerCode: "BINANCE",
    name: options.name,
    baseCurrency: "USDT",
  });
  await credentials.rotate(actor, account.id, key);
  const portfolio = await portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: options.portfolio,
  });
  return { accountId: account.id, portfolioId: portfolio.id };
}
