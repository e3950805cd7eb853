// The world the isolation suite attacks: Alice (A) owns one of everything — two accounts and
// portfolios, a filled and an open order (so a position and a trade), a strategy with a running
// instance, a risk policy, alerts, a screener, a schedule, a group linked to her with /link and an
// unused link code — and Bob (B) owns a bare paper account and portfolio with no cash (so nothing
// he types can succeed on his own money either). Alice's names are chosen so that no example in
// the command registry ("Main", "Swing", "MeanRev", ...) happens to name them.
import type { Provider } from "../../../src/db/client.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { type Harness, startHarness } from "../../support/app-harness.ts";
import { type Trader, approvedTrader, say, textOf } from "../../support/e2e-trader.ts";
import type { SimulatedGroup } from "../../support/telegram-twin/index.ts";

export const ALICE_ID = 7301;
export const BOB_ID = 7302;
export const GROUP_ID = -1007303;
export const ALICE_USERNAME = "alice_apex";
const START = new Date("2026-03-10T09:00:30Z");
const DCA = '{"kind": "dca", "cron": "0 * * * *", "quote": "100", "timeframe": "1h"}';

export interface AliceTokens {
  /** every id of a row Alice owns, by what it is */
  ids: Record<string, number[]>;
  /** the names she gave her things (portfolios, accounts, strategy, screener, policy, schedule) */
  names: string[];
  /** ways to name Alice herself: @username, Telegram id */
  people: string[];
  /** Telegram chat ids of her chats (private, the linked group) */
  chats: string[];
  /** her unused /link code */
  code: string;
  /** strings only her data can produce in a reply (names, her alert's level, the group title) */
  markers: string[];
}

export interface TwoTraders {
  h: Harness;
  alice: Trader;
  bob: Trader;
  group: SimulatedGroup;
  tokens: AliceTokens;
  /** every id of a row Bob owns: never used as one of Alice's numbers (it would be his) */
  bobIds: Record<string, number[]>;
}

async function aliceData(h: Harness, alice: Trader) {
  const { portfolios, trading, instruments, riskPolicies, screeners, schedules } = h.app.services;
  const vault = await portfolios.createAccount(alice.actor, {
    brokerCode: "PAPER",
    name: "Alice vault",
    baseCurrency: "USDT",
    openingBalance: new Decimal("20000"),
  });
  const harbor = await portfolios.createPortfolio(alice.actor, {
    accountId: vault.id,
    name: "Harbor",
  });
  const base = {
    portfolioId: alice.portfolioId,
    symbol: "BTCUSDT",
    side: "BUY" as const,
    stopPrice: null,
    trailAmount: null,
    trailPercent: null,
    timeInForce: "GTC" as const,
    strategyId: null,
  };
  await trading.place(alice.actor, {
    ...base,
    type: "MARKET",
    quantity: new Decimal("0.02"),
    price: null,
  });
  const tick = (await instruments.resolve("BTCUSDT")).rules.tickSize;
  const low = (await h.app.market.quote("BTCUSDT")).bid.div(2).div(tick).floor().mul(tick);
  await trading.place(alice.actor, {
    ...base,
    type: "LIMIT",
    quantity: new Decimal("0.01"),
    price: low,
  });
  await riskPolicies.create(alice.actor, {
    scope: "PORTFOLIO",
    scopeId: alice.portfolioId,
    name: "Alpha guard",
    config: { maxOrdersPerDay: { limit: 40, action: "warn" } },
  });
  await screeners.create(alice.actor, {
    name: "AlphaScan",
    config: {
      universe: { kind: "SYMBOLS", symbols: ["ETHUSDT"] },
      interval: "1d",
      conditions: [],
      sort: { by: { kind: "PRICE" } },
    },
  });
  await schedules.create(alice.actor, {
    name: "Alpha digest",
    target: { kind: "PORTFOLIO_SUMMARY", portfolioId: harbor.id },
    when: { cron: "0 9 * * *" },
  });
  // through the bot, as she would: an alert, a strategy and its running instance
  await say(h, alice.user, "/alert BTCUSDT above 1234567", (t) => /1,?234,?567/.test(t));
  await say(h, alice.user, `/strategy AlphaRev ${DCA}`, (t) => /created/.test(t));
  await say(h, alice.user, "/run AlphaRev on Apex BTCUSDT", (t) => /runs on/.test(t));
}

async function linkGroup(h: Harness, alice: Trader, bob: Trader): Promise<SimulatedGroup> {
  const group = h.twin
    .group({ id: GROUP_ID, title: "Apex desk" })
    .addMember(alice.user, "creator")
    .addMember(bob.user);
  group.addBot({ by: alice.user });
  const link = await h.app.services.chats.createLinkCode(alice.actor);
  const since = h.twin.mark();
  alice.user.send(`/link@${h.twin.bot.username} ${link.code}`, { chat: GROUP_ID });
  await h.twin.waitForMessage(GROUP_ID, (m) => /Apex desk/.test(textOf(m)), {
    since,
    timeoutMs: 10_000,
  });
  return group;
}

/** Every id of a row that belongs to `userId`, per table. */
export async function idsOwnedBy(h: Harness, userId: number): Promise<Record<string, number[]>> {
  const p = h.db.db.prisma;
  const mine = { where: { userId }, select: { id: true } } as const;
  const inPortfolio = { where: { portfolio: { userId } }, select: { id: true } } as const;
  const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id);
  return {
    user: [userId],
    account: ids(await p.account.findMany(mine)),
    portfolio: ids(await p.portfolio.findMany(mine)),
    order: ids(await p.order.findMany(inPortfolio)),
    trade: ids(await p.trade.findMany(inPortfolio)),
    position: ids(await p.position.findMany(inPortfolio)),
    strategy: ids(await p.strategy.findMany(mine)),
    strategyInstance: ids(
      await p.strategyInstance.findMany({ where: { strategy: { userId } }, select: { id: true } }),
    ),
    riskPolicy: ids(await p.riskPolicy.findMany(mine)),
    alert: ids(await p.alert.findMany(mine)),
    schedule: ids(await p.schedule.findMany(mine)),
    screener: ids(await p.screener.findMany(mine)),
    telegramChat: ids(await p.telegramChat.findMany(mine)),
  };
}

export async function startTwoTraders(provider: Provider): Promise<TwoTraders> {
  // attacks come faster than people type: the flood limit must not answer in their place
  const h = await startHarness({
    provider,
    clock: new ManualClock(START),
    env: { RATE_LIMIT_PER_WINDOW: "1000" },
  });
  // her username must be on her twin handle before approvedTrader asks for it
  h.twin.user({ id: ALICE_ID, first_name: "Alice", username: ALICE_USERNAME, language_code: "en" });
  const alice = await approvedTrader(h, {
    telegramId: ALICE_ID,
    firstName: "Alice",
    portfolio: "Apex",
  });
  const bob = await approvedTrader(h, {
    telegramId: BOB_ID,
    firstName: "Bob",
    portfolio: "Bport",
    cash: "0",
  });
  await aliceData(h, alice);
  const group = await linkGroup(h, alice, bob);
  const code = (await h.app.services.chats.createLinkCode(alice.actor)).code;
  // Alice's username reaches her user row with her next update
  await say(h, alice.user, "/help", (t) => /\/price/.test(t));
  const ids = await idsOwnedBy(h, alice.actor.id);
  const tokens: AliceTokens = {
    ids,
    names: [
      "Apex",
      "Harbor",
      "Alice paper",
      "Alice vault",
      "AlphaRev",
      "AlphaScan",
      "Alpha guard",
      "Alpha digest",
    ],
    people: [`@${ALICE_USERNAME}`, String(ALICE_ID)],
    chats: [String(ALICE_ID), String(GROUP_ID)],
    code,
    markers: [
      "Apex",
      "Harbor",
      "Alice",
      "AlphaRev",
      "AlphaScan",
      "Alpha guard",
      "Alpha digest",
      "1,234,567",
      "1234567",
      "Apex desk",
      ALICE_USERNAME,
    ],
  };
  const bobIds = await idsOwnedBy(h, bob.actor.id);
  return { h, alice, bob, group, tokens, bobIds };
}
