// The life of someone's access, end to end through the Telegram twin (issue 11, item 10):
// - a newcomer whose first message is not /start is taken into onboarding at once, and is not an
//   "application" until they applied (so /pending never shows someone nobody was told about);
// - a declined applicant may apply again after 24 hours (before that /start and /help say when),
//   and the admins get the new request;
// - rejecting, deactivating, reactivating, promoting and demoting ask the admin to confirm, and
//   the person is told what happened;
// - the admin's first /start greets them, not "welcome back".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShiftedClock } from "../../src/lib/clock.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ADMIN_ID, type Harness, ask, startHarness } from "../support/app-harness.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const HOUR = 3_600_000;

let h: Harness;
let clock: ShiftedClock;

async function press(
  user: SimulatedUser,
  message: TwinMessage,
  button: string,
  match: RegExp,
  chatId = user.chatId,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.press(message, button);
  return h.twin.waitForMessage(chatId, (m) => match.test(text(m)), { since, timeoutMs: 10_000 });
}

/** Answers the onboarding questions from the welcome on. */
async function apply(user: SimulatedUser, welcome: TwinMessage, note: string) {
  const tz = await press(user, welcome, "English", /time zone/i);
  const asked = await press(user, tz, "Europe/Berlin", /note/i);
  expect(asked).toBeDefined();
  const since = h.twin.mark();
  user.send(note);
  await h.twin.waitForMessage(user.chatId, (m) => /admin/i.test(text(m)), { since });
}

describe("access from first message to deactivation", () => {
  beforeAll(async () => {
    clock = new ShiftedClock();
    h = await startHarness({ clock });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("greets the admin's very first /start without a 'welcome back'", async () => {
    const hello = await ask(h, h.admin, "/start", (t) => /admin/i.test(t));
    expect(text(hello)).toMatch(/^Hello, .*! You are an admin\./);
    expect(text(hello)).not.toMatch(/Welcome back/);
  });

  it("a first message that is not /start starts onboarding; only the application reaches /pending", async () => {
    const carol = h.twin.user({ id: 7501, first_name: "Carol", language_code: "en" });
    const admin = toActor((await h.app.services.users.findByTelegramId(String(ADMIN_ID)))!);
    const welcome = await ask(h, carol, "hi, can I use this?", (t) => /TradeDesk/.test(t));
    expect(welcome.reply_markup).toBeDefined();
    // written to the bot, not applied: nobody is asked to decide anything yet
    const pendingBefore = await h.app.services.users.list(admin, "pending");
    expect(pendingBefore.users.map((u) => u.firstName)).not.toContain("Carol");
    expect(h.twin.messages(ADMIN_ID).filter((m) => /Carol/.test(text(m)))).toEqual([]);

    await apply(carol, welcome, "Swing trader, referred by Ada");
    const request = await h.twin.waitForMessage(
      ADMIN_ID,
      (m) => /New access request/.test(text(m)) && /Carol/.test(text(m)),
    );
    expect(text(request)).toContain("Swing trader, referred by Ada");
    const pendingAfter = await h.app.services.users.list(admin, "pending");
    expect(pendingAfter.users.map((u) => u.firstName)).toContain("Carol");
  });

  it("a declined applicant is told when they may apply again, and can after 24 hours", async () => {
    const dave = h.twin.user({ id: 7502, first_name: "Dave", language_code: "en" });
    const welcome = await ask(h, dave, "/start", (t) => /TradeDesk/.test(t));
    await apply(dave, welcome, "first try");
    const request = await h.twin.waitForMessage(
      ADMIN_ID,
      (m) => /New access request/.test(text(m)) && /first try/.test(text(m)),
    );
    const confirm = await press(
      h.admin,
      request,
      "✖️ Reject",
      /Reject the access request of Dave\?/,
      ADMIN_ID,
    );
    // "No" goes back to the request, still decidable
    const back = await press(h.admin, confirm, "« No, go back", /New access request/, ADMIN_ID);
    const again = await press(h.admin, back, "✖️ Reject", /Reject the access request/, ADMIN_ID);
    await press(h.admin, again, "✖️ Yes, reject", /Rejected/, ADMIN_ID);
    await h.twin.waitForMessage(dave.chatId, (m) => /declined/.test(text(m)));

    const tooEarly = await ask(h, dave, "/start", (t) => /declined/.test(t));
    expect(text(tooEarly)).toMatch(/You can apply again with \/start from \d{4}-\d{2}-\d{2}/);
    expect(text(await ask(h, dave, "/help"))).toMatch(/apply again with \/start from/);

    clock.advance(25 * HOUR);
    const fresh = await ask(h, dave, "/start", (t) => /TradeDesk/.test(t));
    await apply(dave, fresh, "second try");
    const second = await h.twin.waitForMessage(
      ADMIN_ID,
      (m) => /New access request/.test(text(m)) && /second try/.test(text(m)),
    );
    expect(second).toBeDefined();
    const row = await h.db.db.prisma.user.findUniqueOrThrow({ where: { telegramUserId: "7502" } });
    expect(row.status).toBe("PENDING");
  });

  it("deactivate, reactivate, promote and demote ask first and tell the person", async () => {
    const { users } = h.app.services;
    const admin = toActor((await users.findByTelegramId(String(ADMIN_ID)))!);
    const erin = h.twin.user({ id: 7503, first_name: "Erin", language_code: "en" });
    const row = await users.registerFromTelegram({
      telegramUserId: "7503",
      firstName: "Erin",
      languageCode: "en",
    });
    await users.approve(admin, row.id);
    // her private chat becomes a destination when she first writes
    await ask(h, erin, "/start", (t) => /Hello, Erin/.test(t));

    const list = await ask(h, h.admin, "/users", (t) => /Users/.test(t));
    let card = await press(h.admin, list, "✅ Erin", /Erin/, ADMIN_ID);
    const steps: Array<[string, RegExp, string, RegExp, RegExp]> = [
      ["⛔ Deactivate", /Deactivate Erin\?/, "⛔ Yes, deactivate", /deactivated/, /Access paused/],
      ["♻️ Reactivate", /Reactivate Erin\?/, "♻️ Yes, reactivate", /approved/, /Access restored/],
      [
        "⭐ Make admin",
        /Make Erin an admin\?/,
        "⭐ Yes, make admin",
        /admin/,
        /You are now an admin/,
      ],
      [
        "Remove admin",
        /Remove admin rights from Erin\?/,
        "Yes, remove admin",
        /approved/,
        /Admin rights removed/,
      ],
    ];
    for (const [action, question, yes, status, notice] of steps) {
      const before = await h.db.db.prisma.auditLog.count();
      const asked = await press(h.admin, card, action, question, ADMIN_ID);
      // nothing happens until the admin confirms
      expect(await h.db.db.prisma.auditLog.count()).toBe(before);
      card = await press(h.admin, asked, yes, status, ADMIN_ID);
      await h.twin.waitForMessage(erin.chatId, (m) => notice.test(text(m)), { timeoutMs: 10_000 });
    }
    const final = await h.db.db.prisma.user.findUniqueOrThrow({
      where: { telegramUserId: "7503" },
    });
    expect(final).toMatchObject({ isActive: true, isAdmin: false, status: "APPROVED" });
    const actions = await h.db.db.prisma.auditLog.findMany({
      where: { entityType: "USER", entityId: final.id },
      orderBy: { id: "asc" },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual([
      "CREATE",
      "APPROVE",
      "DEACTIVATE",
      "REACTIVATE",
      "PROMOTE",
      "DEMOTE",
    ]);
  });

  it("a decision applies to the person's very next update, though their row is kept between updates", async () => {
    const { users } = h.app.services;
    // one instance on the database (long polling): the app keeps the user read between updates
    expect(h.app.services.ctx.writes).toBeDefined();
    const admin = toActor(await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID) }));
    const gail = h.twin.user({ id: 7504, first_name: "Gail", language_code: "en" });
    const row = await users.registerFromTelegram({
      telegramUserId: "7504",
      firstName: "Gail",
      languageCode: "en",
    });
    await users.approve(admin, row.id);
    const revoked = /access has been revoked/;
    for (let i = 0; i < 2; i++) {
      expect(text(await ask(h, gail, "/positions"))).not.toMatch(revoked);
    }
    await users.deactivate(admin, row.id);
    expect(text(await ask(h, gail, "/positions"))).toMatch(revoked);
    await users.reactivate(admin, row.id);
    expect(text(await ask(h, gail, "/positions"))).not.toMatch(revoked);
  });
});
