// Buttons belong to the person they were made for (issue: a second user pressing buttons on the
// first user's messages placed her order as his, opened his conversations in her chat and redrew
// her lists with his data). Through the Telegram twin on both databases:
// - every button the bot has sent Alice (and the admin), pressed by Bob in a forged update that
//   claims her private chat, changes nothing at all: every table's rows and checksums are equal
//   before and after, her messages are not edited, nothing new is said in her chat, and her own
//   presses still work afterwards (her order card confirms as her order);
// - in a group both are members of, the buttons of a notification sent there for Alice carry her
//   as owner: Bob's press (and Bob's forged copy without the owner tag) gets a short toast and
//   changes nothing, Alice's press acts; Bob's updates there never register the group as his.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { fingerprint } from "../support/db-snapshot.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7201;
const BOB = 7202;
const GROUP = -1007203;
const NOT_YOURS =
  "This button belongs to someone else: only the person it was made for can use it.";

let h: Harness;
let alice: SimulatedUser;
let bob: SimulatedUser;
let aliceActor: Actor;
let forged = 0;

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const buttons = (m: TwinMessage): InlineKeyboardButton.CallbackButton[] =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .filter((b): b is InlineKeyboardButton.CallbackButton => "callback_data" in b);

async function say(user: SimulatedUser, message: string, match: RegExp): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.send(message);
  return h.twin.waitForMessage(user.chatId, (m) => match.test(text(m)), {
    since,
    timeoutMs: 10_000,
  });
}

/** What a chat looks like: every bot message's text and buttons, deleted or not. */
function chatState(chatId: number) {
  return h.twin.messages(chatId).map((m) => ({
    id: m.message_id,
    text: text(m),
    deleted: m.deleted,
    buttons: buttons(m).map((b) => b.callback_data),
  }));
}

/**
 * The database once the bot is done with what it was given: the fingerprint, after it has held
 * still for a moment (a handler's session write lands just after its reply).
 */
async function settled() {
  await h.twin.waitForIdle({ quietMs: 100 });
  let last = await fingerprint(h.db.db);
  for (;;) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await fingerprint(h.db.db);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

/** Bob presses `data` on `message` in an update that claims to come from Alice's chat. */
async function forgedPress(message: TwinMessage, data: string): Promise<void> {
  const id = `forged-${++forged}`;
  h.twin.injectUpdate({
    callback_query: {
      id,
      from: bob.user,
      chat_instance: "forged",
      data,
      message: message.message,
    },
  });
  // the twin never issued this query id, so it refuses the answer (as Telegram would): wait for
  // the bot's attempt instead
  await h.twin.waitFor(
    () =>
      h.twin
        .callsTo("answerCallbackQuery")
        .find((c) => c.params.callback_query_id === id && c.response !== undefined),
    { timeoutMs: 10_000, description: `the answer to ${id}` },
  );
}

async function setUp(provider: Provider) {
  h = await startHarness({ provider });
  const { users, portfolios, trading, instruments } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const approved = async (id: number, name: string) => {
    const row = await users.registerFromTelegram({
      telegramUserId: String(id),
      firstName: name,
      languageCode: "en",
    });
    return toActor(await users.approve(admin, row.id));
  };
  aliceActor = await approved(ALICE, "Alice");
  const bobActor = await approved(BOB, "Bob");
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
  bob = h.twin.user({ id: BOB, first_name: "Bob", language_code: "en" });
  for (const [actor, name] of [
    [aliceActor, "Alice paper"],
    [bobActor, "Bob paper"],
  ] as const) {
    const account = await portfolios.createAccount(actor, {
      brokerCode: "PAPER",
      name,
      baseCurrency: "USDT",
      openingBalance: new Decimal("50000"),
    });
    await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  }
  // Alice has a resting order, so /orders shows its Cancel button
  const main = await h.db.db.prisma.portfolio.findFirstOrThrow({
    where: { userId: aliceActor.id },
  });
  const rules = (await instruments.resolve("BTCUSDT")).rules;
  await trading.place(aliceActor, {
    portfolioId: main.id,
    symbol: "BTCUSDT",
    side: "BUY",
    type: "LIMIT",
    quantity: new Decimal("0.01"),
    price: (await h.app.market.quote("BTCUSDT")).bid
      .mul("0.6")
      .div(rules.tickSize)
      .floor()
      .mul(rules.tickSize),
    stopPrice: null,
    trailAmount: null,
    trailPercent: null,
    timeInForce: "GTC",
    strategyId: null,
  });
}

describe.each(PROVIDERS)("buttons belong to the person they were made for, on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("Bob confirming Alice's order card in a forged update places nothing; her own confirm places her order", async () => {
    const card = await say(alice, "/buy BTCUSDT 0.01", /Confirm order/);
    const confirm = buttons(card).find((b) => b.text === "✅ Confirm")!;
    expect(confirm).toBeDefined();
    const before = await settled();
    const chatBefore = chatState(ALICE);

    await forgedPress(card, confirm.callback_data);

    expect(await settled()).toEqual(before);
    expect(chatState(ALICE)).toEqual(chatBefore);
    // Bob's update did not register Alice's chat as one of his
    const bobsChats = await h.db.db.prisma.telegramChat.findMany({
      where: { user: { telegramUserId: String(BOB) } },
    });
    expect(bobsChats.map((c) => c.chatId)).not.toContain(String(ALICE));

    // the draft is still Alice's: her press places the order in her portfolio
    const since = h.twin.mark();
    alice.press(card, "✅ Confirm");
    const done = await h.twin.waitForMessage(
      ALICE,
      (m) => m.message_id === card.message_id && /Order #\d+/.test(text(m)),
      { since, timeoutMs: 10_000 },
    );
    const orderId = Number(/Order #(\d+)/.exec(text(done))![1]);
    const order = await h.db.db.prisma.order.findUniqueOrThrow({
      where: { id: orderId },
      include: { portfolio: true },
    });
    expect(order.portfolio.userId).toBe(aliceActor.id);
    // let the order-sync job fill it and the outbox deliver the fill, so later tests start still
    await vi.waitFor(
      async () => {
        const { prisma } = h.db.db;
        expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe(
          "FILLED",
        );
        expect(await prisma.notificationOutbox.count({ where: { status: { not: "SENT" } } })).toBe(
          0,
        );
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it("every button the bot has sent Alice and the admin, pressed by Bob as if in their chats, changes nothing", async () => {
    await say(alice, "/alert BTCUSDT above 1000000", /alert/i);
    await say(alice, "/buy BTCUSDT 0.02", /Confirm order/);
    await say(alice, "/orders", /Open orders|orders/i);
    await say(alice, "/portfolio", /Portfolios/);
    await say(alice, "/settings", /Settings/i);
    await say(alice, "/alerts", /alert/i);
    await say(alice, "/chats", /chat/i);
    await say(alice, "/risk", /risk/i);
    await say(alice, "/schedules", /schedule/i);
    const admin = h.twin.user({ id: ADMIN_ID, first_name: "Ada", language_code: "en" });
    await say(admin, "/users", /Users|users/);
    // a conversation waiting for a button, last: its buttons must not move it on either
    await say(alice, "/newaccount", /Which broker/);

    const targets = [...h.twin.messages(ALICE), ...h.twin.messages(ADMIN_ID)]
      .filter((m) => !m.deleted)
      .flatMap((m) => buttons(m).map((b) => ({ message: m, data: b.callback_data })));
    const kinds = new Set(targets.map((t) => t.data.split(/[:/]/)[0]));
    // order cards, orders, portfolios, settings, alerts, chats, risk, users, the broker picker
    expect(kinds.size, [...kinds].join(" ")).toBeGreaterThanOrEqual(7);

    const before = await settled();
    const aliceChat = chatState(ALICE);
    const adminChat = chatState(ADMIN_ID);
    for (const { message, data } of targets) await forgedPress(message, data);

    expect(await settled()).toEqual(before);
    expect(chatState(ALICE)).toEqual(aliceChat);
    expect(chatState(ADMIN_ID)).toEqual(adminChat);
    // Alice's conversation is where she left it: her own press still answers
    const picker = h.twin
      .messages(ALICE)
      .filter((m) => /Which broker/.test(text(m)))
      .at(-1)!;
    const paper = buttons(picker).find((b) => /paper/i.test(b.text))!;
    const since = h.twin.mark();
    alice.press(picker, paper.text);
    await h.twin.waitForMessage(ALICE, (m) => /A name for the account/.test(text(m)), {
      since,
      timeoutMs: 10_000,
    });
    await say(alice, "/cancel", /./);
  });

  it("in a shared group, buttons sent there for Alice answer only Alice", async () => {
    const group = h.twin
      .group({ id: GROUP, title: "Desk" })
      .addMember(alice, "creator")
      .addMember(bob);
    group.addBot({ by: alice });
    const { chats, alerts, notifications } = h.app.services;
    const link = await chats.createLinkCode(aliceActor);
    let since = h.twin.mark();
    alice.send(`/link@${h.twin.bot.username} ${link.code}`, { chat: GROUP });
    await h.twin.waitForMessage(GROUP, (m) => /Desk/.test(text(m)), { since, timeoutMs: 10_000 });
    const groupRow = await h.db.db.prisma.telegramChat.findFirstOrThrow({
      where: { chatId: String(GROUP) },
    });
    expect(groupRow.userId).toBe(aliceActor.id);

    const alert = (await alerts.list(aliceActor)).items[0]!;
    expect(alert.isActive).toBe(true);
    since = h.twin.mark();
    await notifications.enqueue(h.db.db.prisma, {
      userId: aliceActor.id,
      type: "ALERT_TRIGGERED",
      severity: "WARNING",
      title: "BTCUSDT above 1,000,000",
      message: "Alert fired",
      format: "text",
      dedupeKey: `group-test-${provider}`,
      replyMarkup: {
        inline_keyboard: [[{ text: "Pause", callback_data: `al:np:${alert.id}` }]],
      },
      chatId: groupRow.id,
    });
    const fired = await h.twin.waitForMessage(GROUP, (m) => buttons(m).length > 0, {
      since,
      timeoutMs: 10_000,
    });
    // sent to a shared chat, the button carries its owner
    expect(buttons(fired)[0]!.callback_data).toBe(`al:np:${alert.id}~${ALICE.toString(36)}`);

    await vi.waitFor(
      async () =>
        expect(await h.db.db.prisma.notificationOutbox.count({ where: { status: "SENT" } })).toBe(
          1,
        ),
      { timeout: 10_000, interval: 50 },
    );
    const before = await settled();
    const groupBefore = chatState(GROUP);
    // Bob's press, and a forged copy of the data without its owner
    const refused = bob.press(fired, "Pause");
    expect((await h.twin.waitForCallbackAnswer(refused.id)).text).toBe(NOT_YOURS);
    const stripped = bob.pressButton(fired, `al:np:${alert.id}`, { forge: true });
    expect((await h.twin.waitForCallbackAnswer(stripped.id)).text).toBe(NOT_YOURS);
    const after = await settled();
    // Bob was seen (his user row is refreshed); nothing else moved
    expect({ ...after, user: null }).toEqual({ ...before, user: null });
    expect(chatState(GROUP)).toEqual(groupBefore);
    // forged with himself as owner, Bob acts as Bob: Alice's alert is as unknown to him as any
    const own = bob.pressButton(fired, `al:np:${alert.id}~${BOB.toString(36)}`, { forge: true });
    const unknown = await h.twin.waitForCallbackAnswer(own.id);
    expect(unknown.text).not.toBe(NOT_YOURS);
    expect(unknown.text).toMatch(/not found|no longer|doesn't exist|not exist/i);
    expect((await alerts.list(aliceActor)).items[0]!.isActive).toBe(true);
    const bobsGroup = await h.db.db.prisma.telegramChat.count({
      where: { chatId: String(GROUP), user: { telegramUserId: String(BOB) } },
    });
    expect(bobsGroup).toBe(0);

    const pressed = alice.press(fired, "Pause");
    const answer = await h.twin.waitForCallbackAnswer(pressed.id);
    expect(answer.text).not.toBe(NOT_YOURS);
    expect((await alerts.list(aliceActor)).items[0]!.isActive).toBe(false);
  });
});
