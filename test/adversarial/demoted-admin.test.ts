// An admin who loses the role — demoted, or deactivated — loses admin powers at once (issue 15),
// including the buttons of messages the bot sent while they were admin. Through the Telegram twin
// on SQLite and PostgreSQL, Dave and Eve are made admins, receive a newcomer's approval request
// card, and open /users, a user's card and its "Yes, deactivate" confirmation, /pending, /outbox,
// /status and /backup. Then Ada demotes Dave and deactivates Eve; each presses every button on
// those messages and sends every admin command again: every press is refused (Dave: admins only,
// Eve: access revoked), nothing in the database changes (row counts and checksums of every table
// but the users' names and the presser's own session),
// none of their messages is edited, and the applicant is still waiting.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordOutcome } from "./support/figures.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, say, textOf } from "../support/e2e-trader.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";
import { settled, wholeDatabase } from "./support/fingerprints.ts";

const DAVE = 7601;
const EVE = 7602;
const PAULA = 7603;
const ERIN = 7604;
const en = translatorFor(createI18n("en"), "en");

const callbackData = (m: TwinMessage): string[] =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .filter((b): b is InlineKeyboardButton.CallbackButton => "callback_data" in b)
    .map((b) => b.callback_data);

/** The admin commands of the registry (what the demoted admin tries again). */
const ADMIN_COMMANDS = (h: Harness) =>
  h.app.registry
    .all()
    .filter((c) => c.scope === "admin")
    .map((c) => c.name);

describe.each(PROVIDERS)("an admin who loses the role, on %s", (provider) => {
  let h: Harness;
  let ada: Actor;
  let dave: Trader;
  let eve: Trader;

  async function press(user: SimulatedUser, message: TwinMessage, button: string, match: RegExp) {
    const since = h.twin.mark();
    user.press(message, button);
    return h.twin.waitForMessage(user.chatId, (m) => match.test(textOf(m)), {
      since,
      timeoutMs: 10_000,
    });
  }

  /**
   * What an admin has open: the approval card, /users, a user's card and its confirmation, ...
   * with the buttons each showed at the time (a press edits its message: the approval card's
   * Approve gives way to "Yes, reject", both were on screen).
   */
  async function openAdminScreens(admin: Trader): Promise<Array<{ m: TwinMessage; data: string }>> {
    const seen: Array<{ m: TwinMessage; data: string }> = [];
    const keep = (m: TwinMessage) => {
      for (const data of callbackData(m)) seen.push({ m, data });
      return m;
    };
    const card = keep(
      await h.twin.waitForMessage(
        admin.user.chatId,
        (m) => callbackData(m).some((d) => d.startsWith("adm:ap:")),
        { timeoutMs: 15_000 },
      ),
    );
    const list = keep(await say(h, admin.user, "/users", (t) => /Users/.test(t)));
    const erinCard = keep(await press(admin.user, list, "✅ Erin", /Erin/));
    keep(await press(admin.user, erinCard, en("users-deactivate"), /Deactivate Erin\?/));
    for (const command of ["/pending", "/outbox", "/status", "/backup"])
      keep(await say(h, admin.user, command));
    // rejecting asks first: the confirmation's buttons are open too
    keep(await press(admin.user, card, "✖️ Reject", /Paula/));
    const unique = new Map(seen.map((s) => [`${s.m.message_id} ${s.data}`, s]));
    return [...unique.values()];
  }

  /**
   * Every table but users (an update refreshes its sender's names) and the presser's own session
   * rows (his scratch space), once the bot is done.
   */
  async function still(chatId: number): Promise<string> {
    return JSON.stringify(
      await settled(h, async () => ({ ...(await wholeDatabase(h, chatId)), user: null })),
    );
  }

  beforeAll(async () => {
    h = await startHarness({ provider, env: { RATE_LIMIT_PER_WINDOW: "1000" } });
    const { users } = h.app.services;
    ada = toActor(
      await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
    );
    dave = await approvedTrader(h, { telegramId: DAVE, firstName: "Dave" });
    eve = await approvedTrader(h, { telegramId: EVE, firstName: "Eve" });
    await approvedTrader(h, { telegramId: ERIN, firstName: "Erin" });
    for (const admin of [dave, eve]) await users.promote(ada, admin.actor.id);
    // a newcomer applies: every admin gets the request card
    const paula = h.twin.user({ id: PAULA, first_name: "Paula", language_code: "en" });
    const welcome = await say(h, paula, "/start", (t) => /TradeDesk/.test(t));
    const tz = await press(paula, welcome, "English", /time zone/i);
    const note = await press(paula, tz, "Europe/Berlin", /note/i);
    expect(note).toBeDefined();
    await say(h, paula, "Paula, swing trader", (t) => /admin/i.test(t));
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each([
    ["demoted", DAVE, "access-admin-only"],
    ["deactivated", EVE, "access-revoked"],
  ] as const)(
    "an admin %s loses every admin command and button at once, those of earlier messages included",
    async (how, id, refusalKey) => {
      const { users } = h.app.services;
      const admin = id === DAVE ? dave : eve;
      const datas = await openAdminScreens(admin);
      const kinds = new Set(datas.map((d) => d.data.split(":").slice(0, 2).join(":")));
      expect(kinds.size, [...kinds].join(" ")).toBeGreaterThanOrEqual(6);

      if (how === "demoted") await users.demote(ada, admin.actor.id);
      else await users.deactivate(ada, admin.actor.id);
      // the notices of the change (and any request card) delivered: the outbox holds still
      await vi.waitFor(
        async () =>
          expect(
            await h.db.db.prisma.notificationOutbox.count({ where: { status: { not: "SENT" } } }),
          ).toBe(0),
        { timeout: 15_000, interval: 100 },
      );
      const before = await still(admin.user.chatId);
      const chatBefore = JSON.stringify(h.twin.messages(admin.user.chatId));
      const refusal = en(refusalKey);

      recordOutcome({
        category: "isolation: a demoted or deactivated admin's old buttons and admin commands",
        db: provider,
        attempts: datas.length + ADMIN_COMMANDS(h).length,
      });
      const toasts: string[] = [];
      for (const { m, data } of datas) {
        const query = admin.user.pressButton(m, data, { forge: true });
        const answer = await h.twin.waitForCallbackAnswer(query.id, { timeoutMs: 10_000 });
        if (answer.text !== refusal) toasts.push(`${data}: ${answer.text ?? "(blank)"}`);
      }
      expect(toasts, toasts.join("\n")).toEqual([]);
      for (const command of ADMIN_COMMANDS(h))
        expect(await say(h, admin.user, `/${command}`).then(textOf), `/${command}`).toBe(refusal);

      expect(await still(admin.user.chatId)).toBe(before);
      // the answers to the commands are new messages; the old ones are as they were
      const old = JSON.parse(chatBefore) as TwinMessage[];
      const now = h.twin.messages(admin.user.chatId).slice(0, old.length);
      expect(JSON.stringify(now)).toBe(chatBefore);
      const paula = await users.findByTelegramId(String(PAULA));
      expect(paula?.status).toBe("PENDING");
      const erin = await users.findByTelegramId(String(ERIN));
      expect(erin?.isActive).toBe(true);
    },
  );
});
