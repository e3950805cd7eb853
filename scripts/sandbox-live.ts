// `npm run sandbox -- --live`: the local exchange twin (test/support/exchange-twin) stands in for
// Binance, so a newcomer can add a live account and trade "for real" without an exchange
// account. This module starts the twin with an API key pair and some funds, produces the
// configuration that points TradeDesk at it (the same variables a real set-up uses: MARKET_DATA,
// LIVE_TRADING, EXCHANGE_API_URL, a SECRETS_MASTER_KEY generated for this run) and carries out
// the sandbox's exchange commands (:price, :balance; parsed in sandbox-input.ts). Nothing in
// src/ knows the twin exists: it is just an exchange at another URL.
import { randomBytes } from "node:crypto";
import { Decimal } from "../src/lib/decimal.ts";
import { suggestSymbols } from "../src/market/symbols.ts";
import { ExchangeTwin } from "../test/support/exchange-twin/index.ts";
import type { SandboxAction } from "./sandbox-input.ts";

/** The twin's account the printed key pair trades, and what it holds at start. */
export const SANDBOX_ACCOUNT = "main";
export const STARTING_BALANCES: Readonly<Record<string, string>> = { USDT: "10000", BTC: "0.05" };

export interface SandboxExchange {
  twin: ExchangeTwin;
  /** the pair to paste into /newaccount (valid on the twin only) */
  apiKey: string;
  secret: string;
  /** environment for loadConfig: live market data and live trading on the twin */
  env: Record<string, string>;
  /** the master key's first characters, to show which key this run uses without printing it */
  masterKeyHint: string;
  stop(): Promise<void>;
}

/** Starts the exchange twin with a fresh key pair and funds, and the config that points at it. */
export async function startSandboxExchange(): Promise<SandboxExchange> {
  const twin = await ExchangeTwin.start();
  const apiKey = randomBytes(32).toString("hex");
  const secret = randomBytes(32).toString("hex");
  twin.registerKey({ apiKey, secret, account: SANDBOX_ACCOUNT });
  for (const [asset, amount] of Object.entries(STARTING_BALANCES)) {
    twin.setBalance(SANDBOX_ACCOUNT, asset, amount);
  }
  // a key for this run only: the sandbox's database is temporary, and so are its secrets
  const masterKey = randomBytes(32).toString("base64");
  return {
    twin,
    apiKey,
    secret,
    masterKeyHint: `${masterKey.slice(0, 4)}…`,
    env: {
      MARKET_DATA: "binance",
      LIVE_TRADING: "binance",
      EXCHANGE_API_URL: twin.url,
      // an account marked testnet talks to the same twin
      EXCHANGE_SANDBOX_URL: twin.url,
      SECRETS_MASTER_KEY: masterKey,
      // a key file from the environment would clash with the generated key
      SECRETS_KEY_FILE: "",
    },
    stop: () => twin.stop(),
  };
}

/** The lines printed at start: where the exchange is and the key pair for /newaccount. */
export function liveBanner(exchange: SandboxExchange): string {
  const funds = Object.entries(STARTING_BALANCES)
    .map(([asset, amount]) => `${amount} ${asset}`)
    .join(", ");
  return [
    `Live mode: a local exchange twin stands in for Binance at ${exchange.twin.url} (prices and`,
    `  orders are the twin's; MARKET_DATA=binance, SECRETS_MASTER_KEY ${exchange.masterKeyHint} made for this run).`,
    `  Add it as a live account: /newaccount → Binance, then paste this key pair (twin only):`,
    `  API key:    ${exchange.apiKey}`,
    `  API secret: ${exchange.secret}`,
    `  The account holds ${funds}. :price SYMBOL VALUE moves a price, :balance ASSET AMOUNT sets funds.`,
  ].join("\n");
}

/** Thrown for an exchange command the twin cannot carry out; its message is for the user. */
export class ExchangeCommandError extends Error {}

/**
 * Carries out `:price` or `:balance` on the twin and says what happened in one line. Symbols and
 * prices the twin would not accept are refused with an ExchangeCommandError.
 */
export function runExchangeCommand(
  twin: ExchangeTwin,
  action: Extract<SandboxAction, { kind: "price" | "balance" }>,
): string {
  if (action.kind === "price") {
    const listed = twin.symbols();
    if (!listed.includes(action.symbol)) {
      const near = suggestSymbols(action.symbol, listed);
      throw new ExchangeCommandError(
        `the exchange does not list ${action.symbol}` +
          (near.length ? ` (did you mean ${near.join(", ")}?)` : ""),
      );
    }
    if (action.price === undefined) {
      const p = twin.price(action.symbol);
      return `${action.symbol} last ${p.last}, bid ${p.bid}, ask ${p.ask}`;
    }
    const tick = new Decimal(twin.spec(action.symbol).tickSize);
    const price = new Decimal(action.price);
    if (!price.mod(tick).isZero()) {
      throw new ExchangeCommandError(
        `${action.symbol}'s price moves in steps of ${tick.toFixed()}: ${price.toFixed()} is not on that grid`,
      );
    }
    const tradesBefore = twin.trades(SANDBOX_ACCOUNT).length;
    twin.setPrice(action.symbol, price.toFixed());
    const fills = twin.trades(SANDBOX_ACCOUNT).length - tradesBefore;
    const p = twin.price(action.symbol);
    return (
      `${action.symbol} now ${p.last} on the exchange (bid ${p.bid}, ask ${p.ask})` +
      (fills > 0 ? `; ${fills} fill${fills === 1 ? "" : "s"} of resting orders` : "")
    );
  }
  if (action.asset === undefined || action.amount === undefined) {
    const lines = Object.entries(twin.balances(SANDBOX_ACCOUNT))
      .filter(([, b]) => !new Decimal(b.free).isZero() || !new Decimal(b.locked).isZero())
      .map(([asset, b]) => `${asset} ${b.free} free, ${b.locked} locked`);
    return lines.length
      ? `exchange balances: ${lines.join("; ")}`
      : "the exchange account is empty";
  }
  twin.setBalance(SANDBOX_ACCOUNT, action.asset, new Decimal(action.amount).toFixed());
  const b = twin.balances(SANDBOX_ACCOUNT)[action.asset]!;
  return `${action.asset} on the exchange: ${b.free} free, ${b.locked} locked`;
}
