// A group the bot is in, with two approved members — Alice (Russian) and Carl (English) — and Uma,
// who never applied (issue 15, "Groups"). Through the Telegram twin on SQLite and PostgreSQL:
// - each member's commands act as that member: /link links the group to whoever posted their
//   code, /help lists what the poster may use in the poster's language, Uma is told she has not
//   applied (for group commands and private-only ones alike) and can do nothing; the group is
//   registered with its real type, once per member who linked it, never as anyone's private chat,
//   and no session or conversation is keyed by the group alone;
// - a button sent into the group for Alice answers only Alice: Carl's and Uma's presses get a
//   short toast and change nothing, Carl's copy of its data tagged as his own answers as for an
//   alert nobody has;
// - /link codes cannot be guessed there: Alice's live, spent and expired codes posted by Carl get
//   the very answer a made-up code gets, and after five wrong codes every code, the right one
//   too, is refused in the group (in each poster's language) until ten minutes have passed.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordOutcome } from "./support/figures.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { LINK_FAILURE_WINDOW_MS } from "../../src/domain/notifications/link-failures.ts";
import { ShiftedClock } from "../../src/lib/clock.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { fingerprint } from "../support/db-snapshot.ts";
import { type Trader, approvedTrader, say, textOf } from "../support/e2e-trader.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7501;
const CARL = 7502;
const UMA = 7503;
const GROUP = -1007504;
const TITLE = "Night desk";

const en = translatorFor(createI18n("en"), "en");
const NOT_YOURS = en("button-not-yours");
const UNKNOWN_CODE = en("error-chat-link-code-unknown");

const callbackButtons = (m: TwinMessage): InlineKeyboardButton.CallbackButton[] =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .filter((b): b is InlineKeyboardButton.CallbackButton => "callback_data" in b);

const GROUP_SCENARIOS = "groups: members act as themselves, a stranger is refused, buttons";

describe.each(PROVIDERS)("a group with two approved members and a stranger, on %s", (provider) => {
  let h: Harness;
  let clock: ShiftedClock;
  let alice: Trader;
  let carl: Trader;
  let uma: SimulatedUser;

  /** Posts `text` in the group as `user` and returns the bot's first answer there. */
  async function post(user: SimulatedUser, text: string): Promise<string> {
    await h.twin.waitForIdle({ quietMs: 50 });
    const since = h.twin.mark();
    user.send(text.replace(/^\/(\w+)/, `/$1@${h.twin.bot.username}`), { chat: GROUP });
    const answer = await h.twin.waitForMessage(GROUP, () => true, { since, timeoutMs: 10_000 });
    // a long answer comes in parts: let them all arrive before the next post
    await h.twin.waitForIdle({ quietMs: 100 });
    return h.twin
      .messages(GROUP)
      .filter((m) => m.revision > since && m.message_id >= answer.message_id)
      .map(textOf)
      .join("\n");
  }

  /**
   * Every table but the users (a member's update refreshes their Telegram names) and the session
   * rows of `own` (a member's own scratch space in the group), once the bot is done.
   */
  async function stillDatabase(own: number[] = []) {
    const read = async () => {
      const sessions = (await h.db.db.prisma.session.findMany({ orderBy: { key: "asc" } })).filter(
        (s) => !own.some((id) => s.key.endsWith(`:${id}`)),
      );
      return JSON.stringify({ ...(await fingerprint(h.db.db)), user: null, session: sessions });
    };
    await h.twin.waitForIdle({ quietMs: 100 });
    let last = await read();
    for (;;) {
      await new Promise((r) => setTimeout(r, 150));
      const now = await read();
      if (now === last) return JSON.parse(now) as unknown;
      last = now;
    }
  }

  beforeAll(async () => {
    clock = new ShiftedClock();
    h = await startHarness({ provider, clock, env: { RATE_LIMIT_PER_WINDOW: "1000" } });
    alice = await approvedTrader(h, { telegramId: ALICE, firstName: "Alice", language: "ru" });
    carl = await approvedTrader(h, { telegramId: CARL, firstName: "Carl" });
    uma = h.twin.user({ id: UMA, first_name: "Uma", language_code: "en" });
    h.twin
      .group({ id: GROUP, title: TITLE })
      .addMember(alice.user, "creator")
      .addMember(carl.user)
      .addMember(uma)
      .addBot({ by: alice.user });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("each member's commands act as that member, the stranger is refused, and the group is registered by its real type", async () => {
    recordOutcome({ category: GROUP_SCENARIOS, db: provider, attempts: 1, unit: "scenarios" });
    const { chats } = h.app.services;
    const aliceCode = (await chats.createLinkCode(alice.actor)).code;
    const carlCode = (await chats.createLinkCode(carl.actor)).code;
    expect(await post(alice.user, `/link ${aliceCode}`)).toContain(TITLE);
    expect(await post(carl.user, `/link ${carlCode}`)).toContain(TITLE);
    const rows = await h.db.db.prisma.telegramChat.findMany({
      where: { chatId: String(GROUP) },
      orderBy: { userId: "asc" },
    });
    expect(rows.map((r) => [r.userId, r.type, r.title])).toEqual([
      [alice.actor.id, "SUPERGROUP", TITLE],
      [carl.actor.id, "SUPERGROUP", TITLE],
    ]);

    // /help lists what the poster may use, in the poster's language
    const carlHelp = await post(carl.user, "/help");
    expect(carlHelp).toContain("/portfolio");
    expect(carlHelp).not.toMatch(/[а-я]/i);
    const aliceHelp = await post(alice.user, "/help");
    expect(aliceHelp).toContain("/portfolio");
    expect(aliceHelp).toMatch(/[а-я]{4}/i);
    const umaHelp = await post(uma, "/help");
    expect(umaHelp).toContain("/start");
    expect(umaHelp).not.toContain("/portfolio");

    // group commands answer the approved members; the stranger hears that she has not applied,
    // for a private-only command too, and her /link is refused before any code is looked at
    expect(await post(carl.user, "/price BTCUSDT")).toContain("BTCUSDT");
    const before = await stillDatabase([UMA]);
    expect(await post(uma, "/price BTCUSDT")).toBe(en("access-visitor"));
    expect(await post(uma, "/portfolio")).toBe(en("access-visitor"));
    expect(await post(uma, `/link ${aliceCode}`)).toBe(en("access-visitor"));
    expect(await stillDatabase([UMA])).toEqual(before);
    expect(await post(carl.user, "/portfolio")).toBe(
      en("command-private-only", { command: "portfolio" }),
    );

    // nobody's update registered the group as a private chat, or as Uma's
    const groupRows = await h.db.db.prisma.telegramChat.findMany({
      where: { chatId: String(GROUP) },
    });
    expect(groupRows.map((r) => r.userId).sort()).toEqual([alice.actor.id, carl.actor.id].sort());
    expect(
      await h.db.db.prisma.telegramChat.count({
        where: { type: "PRIVATE", chatId: { startsWith: "-" } },
      }),
    ).toBe(0);
    const uma_ = await h.db.db.prisma.user.findUnique({ where: { telegramUserId: String(UMA) } });
    expect(uma_?.status).not.toBe("APPROVED");
    // sessions and conversations in the group are per member, never the group's alone
    const keys = (await h.db.db.prisma.session.findMany()).map((s) => s.key);
    expect(keys.filter((k) => k.replace(/^conv:/, "") === String(GROUP))).toEqual([]);
  });

  it("a button sent into the group for Alice answers only Alice", async () => {
    recordOutcome({ category: GROUP_SCENARIOS, db: provider, attempts: 1, unit: "scenarios" });
    const { alerts, notifications } = h.app.services;
    await say(h, alice.user, "/alert BTCUSDT above 1000000", (t) => /1.?000.?000/.test(t));
    const alert = (await alerts.list(alice.actor)).items[0]!;
    const groupRow = await h.db.db.prisma.telegramChat.findFirstOrThrow({
      where: { chatId: String(GROUP), userId: alice.actor.id },
    });
    const since = h.twin.mark();
    await notifications.enqueue(h.db.db.prisma, {
      userId: alice.actor.id,
      type: "ALERT_TRIGGERED",
      severity: "WARNING",
      title: "BTCUSDT above 1,000,000",
      message: "Alert fired",
      format: "text",
      dedupeKey: `groups-test-${provider}`,
      replyMarkup: { inline_keyboard: [[{ text: "Pause", callback_data: `al:np:${alert.id}` }]] },
      chatId: groupRow.id,
    });
    const fired = await h.twin.waitForMessage(GROUP, (m) => callbackButtons(m).length > 0, {
      since,
      timeoutMs: 10_000,
    });
    const tagged = callbackButtons(fired)[0]!.callback_data;
    expect(tagged).toBe(`al:np:${alert.id}~${ALICE.toString(36)}`);
    await vi.waitFor(
      async () =>
        expect(
          await h.db.db.prisma.notificationOutbox.count({ where: { status: { not: "SENT" } } }),
        ).toBe(0),
      { timeout: 10_000, interval: 50 },
    );
    const before = await stillDatabase([CARL, UMA]);
    const groupBefore = JSON.stringify(h.twin.messages(GROUP));
    const toast = async (user: SimulatedUser, data: string) =>
      (await h.twin.waitForCallbackAnswer(user.pressButton(fired, data, { forge: true }).id)).text;
    // Carl and Uma pressing it, and their copies of its data without the owner tag
    for (const user of [carl.user, uma]) {
      expect(await toast(user, tagged)).toBe(NOT_YOURS);
      expect(await toast(user, `al:np:${alert.id}`)).toBe(NOT_YOURS);
    }
    // tagged as his own, Carl acts as Carl: Alice's alert is as unknown to him as a missing one
    const carlTag = CARL.toString(36);
    const missing = alert.id + 100_000;
    const hers = await toast(carl.user, `al:np:${alert.id}~${carlTag}`);
    const nobodys = await toast(carl.user, `al:np:${missing}~${carlTag}`);
    expect(hers).not.toBe(NOT_YOURS);
    expect(hers?.replaceAll(String(alert.id), "#")).toBe(nobodys?.replaceAll(String(missing), "#"));
    expect(await stillDatabase([CARL, UMA])).toEqual(before);
    expect(JSON.stringify(h.twin.messages(GROUP))).toBe(groupBefore);
    expect((await alerts.list(alice.actor)).items[0]!.isActive).toBe(true);

    // Alice's own press acts
    const pressed = alice.user.press(fired, "Pause");
    expect((await h.twin.waitForCallbackAnswer(pressed.id)).text).not.toBe(NOT_YOURS);
    await vi.waitFor(
      async () => expect((await alerts.list(alice.actor)).items[0]!.isActive).toBe(false),
      { timeout: 10_000, interval: 50 },
    );
  });

  it("/link codes cannot be told apart or guessed: five wrong codes shut the group for ten minutes, the right code too", async () => {
    recordOutcome({
      category: "/link: live, spent, expired and made-up codes alike; 5 wrong in 10 min stop",
      db: provider,
      attempts: 7,
      unit: "posts",
    });
    const { chats } = h.app.services;
    const prisma = h.db.db.prisma;
    const expired = (await chats.createLinkCode(alice.actor)).code;
    clock.advance(16 * 60_000);
    const spent = (await chats.createLinkCode(alice.actor)).code;
    expect(await post(alice.user, `/link ${spent}`)).toContain(TITLE);
    const live = (await chats.createLinkCode(alice.actor)).code;
    const linkedBefore = await prisma.telegramChat.findMany({ orderBy: { id: "asc" } });
    const codesBefore = await prisma.chatLinkCode.findMany({ orderBy: { id: "asc" } });

    const answers = {
      "made up": await post(carl.user, "/link ZZZZ-ZZZZ"),
      "Alice's live code": await post(carl.user, `/link ${live}`),
      "Alice's spent code": await post(carl.user, `/link ${spent}`),
      "Alice's expired code": await post(carl.user, `/link ${expired}`),
      "another made up": await post(carl.user, "/link YYYY-YYYY"),
    };
    for (const [what, answer] of Object.entries(answers)) expect(answer, what).toBe(UNKNOWN_CODE);

    // the sixth post is refused whatever it is: Carl's own fresh code, Alice's (in Russian)
    const carlCode = (await chats.createLinkCode(carl.actor)).code;
    const codesNow = await prisma.chatLinkCode.findMany({ orderBy: { id: "asc" } });
    expect(await post(carl.user, `/link ${carlCode}`)).toMatch(
      /^Too many wrong link codes \(at most 5 in 10 minutes\)\. Codes are not accepted for 10 more minutes/,
    );
    expect(await post(alice.user, `/link ${live}`)).toMatch(/^Слишком много неверных кодов/);
    expect(await prisma.telegramChat.findMany({ orderBy: { id: "asc" } })).toEqual(linkedBefore);
    expect(await prisma.chatLinkCode.findMany({ orderBy: { id: "asc" } })).toEqual(codesNow);
    // the guesses spent or changed no code (a new code only sweeps its owner's dead ones)
    expect(codesNow.filter((c) => c.userId === alice.actor.id)).toEqual(
      codesBefore.filter((c) => c.userId === alice.actor.id),
    );
    expect(await prisma.chatLinkFailure.count({ where: { chatId: String(GROUP) } })).toBe(5);

    // once the window has passed, the right code links again
    clock.advance(LINK_FAILURE_WINDOW_MS);
    expect(await post(carl.user, `/link ${carlCode}`)).toContain(TITLE);
    expect(
      await prisma.chatLinkCode.findUniqueOrThrow({ where: { code: carlCode } }),
    ).toMatchObject({ usedAt: expect.any(Date) });
  });
});
