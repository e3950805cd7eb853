// End to end through the Telegram twin: the real app (config, SQLite, grammY with long polling,
// jobs and the outbox drain) and simulated people. Admin start; a newcomer onboards; the admin
// approves from the button; the applicant is told and can use commands; a rejected applicant
// cannot; the user cap is enforced; a restart mid-onboarding resumes; a Russian speaker gets
// Russian; a flood of commands is rate-limited; a 429 from Telegram is retried.
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_ID, type Harness, ask, startHarness } from "../support/app-harness.ts";
import { buttonsOf } from "../support/e2e-trader.ts";

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

async function onboard(
  harness: Harness,
  user: ReturnType<Harness["twin"]["user"]>,
  language: "en" | "ru" = "en",
) {
  const { twin } = harness;
  const welcome = await ask(harness, user, "/start", (t) => /TradeDesk/.test(t));
  let since = twin.mark();
  user.press(welcome, language === "en" ? "English" : "Русский");
  const tz = await twin.waitForMessage(
    user.chatId,
    (m) => /Europe\/Berlin|Europe\/Moscow/.test(text(m)),
    { since },
  );
  since = twin.mark();
  user.press(tz, "Europe/Berlin");
  const note = await twin.waitForMessage(
    user.chatId,
    (m) => m.reply_markup !== undefined && /Europe\/Berlin/.test(text(m)),
    { since },
  );
  since = twin.mark();
  user.send("I trade BTC swings");
  await twin.waitForMessage(
    user.chatId,
    (m) => /admin/i.test(text(m)) || /администратор/i.test(text(m)),
    { since },
  );
  return { welcome, note };
}

describe("onboarding and approval end to end", () => {
  it("admin starts; a newcomer applies; the admin approves from the button; the user is told and can trade", async () => {
    h = await startHarness();
    const { twin, admin } = h;
    // a long help comes in parts: the admin commands are in the last one
    const adminHello = await ask(h, admin, "/start", (t) => /\/users/.test(t));
    expect(text(adminHello)).toContain("/users");

    const bob = twin.user({
      id: 5001,
      first_name: "Bob",
      username: "bobtrades",
      language_code: "en",
    });
    const { note } = await onboard(h, bob);
    // the typed note answered the question: its "Skip" button is gone, as if pressed
    const noteNow = twin.messages(bob.chatId).find((m) => m.message_id === note.message_id);
    expect(buttonsOf(noteNow!)).toEqual([]);

    // the admin receives the request with Approve / Reject and the applicant's details
    const request = await twin.waitForMessage(
      ADMIN_ID,
      (m) => /New access request/.test(text(m)) && /Bob/.test(text(m)),
    );
    expect(text(request)).toContain("@bobtrades");
    expect(text(request)).toContain("5001");
    expect(text(request)).toContain("I trade BTC swings");

    // before approval: only /start and /help
    expect(text(await ask(h, bob, "/portfolio"))).toMatch(/waiting for an admin/);

    const since = twin.mark();
    admin.press(request, "✅ Approve");
    await twin.waitForMessage(
      ADMIN_ID,
      (m) => m.message_id === request.message_id && /Approved/.test(text(m)),
      { since },
    );
    const told = await twin.waitForMessage(bob.chatId, (m) => /Access approved/.test(text(m)), {
      since,
    });
    expect(text(told)).toContain("/help");

    // approved: commands work, and the decision is recorded
    expect(text(await ask(h, bob, "/portfolio"))).toMatch(/no portfolio yet/);
    const row = await h.db.db.prisma.user.findUnique({ where: { telegramUserId: "5001" } });
    expect(row).toMatchObject({ status: "APPROVED", isActive: true });
    expect(row?.approvedAt).toBeInstanceOf(Date);
    expect(
      await h.db.db.prisma.auditLog.count({
        where: { entityType: "USER", entityId: row!.id, action: "APPROVE" },
      }),
    ).toBe(1);
    // the approved user's command menu now has the trading commands
    expect(twin.commandsFor(bob.id, bob.chatId).map((c) => c.command)).toContain("buy");
  });

  it("a rejected applicant is told and can use only /start and /help", async () => {
    h = await startHarness();
    const { twin, admin } = h;
    await ask(h, admin, "/start", (t) => /admin/i.test(t));
    const eve = twin.user({ id: 5002, first_name: "Eve", language_code: "en" });
    await onboard(h, eve);
    const request = await twin.waitForMessage(
      ADMIN_ID,
      (m) => /New access request/.test(text(m)) && /Eve/.test(text(m)),
    );
    // rejecting asks once more
    let since = twin.mark();
    admin.press(request, "✖️ Reject");
    const confirm = await twin.waitForMessage(
      ADMIN_ID,
      (m) =>
        m.message_id === request.message_id && /Reject the access request of Eve\?/.test(text(m)),
      { since },
    );
    since = twin.mark();
    admin.press(confirm, "✖️ Yes, reject");
    await twin.waitForMessage(
      ADMIN_ID,
      (m) => m.message_id === request.message_id && /Rejected/.test(text(m)),
      { since },
    );
    await twin.waitForMessage(eve.chatId, (m) => /declined/.test(text(m)), { since });
    expect(text(await ask(h, eve, "/buy BTCUSDT 0.01"))).toMatch(/declined/);
    expect(text(await ask(h, eve, "/help"))).toContain("/start");
    const row = await h.db.db.prisma.user.findUnique({ where: { telegramUserId: "5002" } });
    expect(row?.status).toBe("REJECTED");
    expect(await h.db.db.prisma.order.count()).toBe(0);
    // a forged Approve from the applicant herself is refused and changes nothing
    const eveRow = await h.db.db.prisma.user.findUniqueOrThrow({
      where: { telegramUserId: "5002" },
    });
    const lastToEve = twin.lastMessage(eve.chatId)!;
    eve.pressButton(lastToEve, `adm:ap:${eveRow.id}`, { forge: true });
    await twin.waitForIdle();
    expect(
      (await h.db.db.prisma.user.findUnique({ where: { telegramUserId: "5002" } }))?.status,
    ).toBe("REJECTED");
    expect(
      await h.db.db.prisma.auditLog.count({ where: { entityId: eveRow.id, action: "APPROVE" } }),
    ).toBe(0);
  });

  it("approving past MAX_USERS is refused with a clear message, and the request stays decidable", async () => {
    // the admin holds one of the two seats
    h = await startHarness({ env: { MAX_USERS: "2" } });
    const { twin, admin } = h;
    await ask(h, admin, "/start", (t) => /admin/i.test(t));
    const bob = twin.user({ id: 5003, first_name: "Bob", language_code: "en" });
    const carol = twin.user({ id: 5004, first_name: "Carol", language_code: "en" });
    await onboard(h, bob);
    await onboard(h, carol);
    const requestOf = (name: string) =>
      twin.waitForMessage(
        ADMIN_ID,
        (m) => /New access request/.test(text(m)) && text(m).includes(name),
      );
    const bobRequest = await requestOf("Bob");
    const carolRequest = await requestOf("Carol");

    let since = twin.mark();
    admin.press(bobRequest, "✅ Approve");
    await twin.waitForMessage(bob.chatId, (m) => /Access approved/.test(text(m)), { since });

    since = twin.mark();
    admin.press(carolRequest, "✅ Approve");
    await twin.waitForIdle();
    const answer = twin.callbackAnswers.at(-1);
    expect(answer?.text).toMatch(/user limit \(2 active users\) is reached/);
    expect(answer?.show_alert).toBe(true);
    const carolRow = await h.db.db.prisma.user.findUnique({ where: { telegramUserId: "5004" } });
    expect(carolRow?.status).toBe("PENDING");
    // the card still offers the buttons, and Carol was told nothing yet
    expect(
      twin.messages(ADMIN_ID).find((m) => m.message_id === carolRequest.message_id)?.reply_markup,
    ).toBeDefined();
    expect(
      twin.messages(carol.chatId).some((m) => m.revision > since && /Access/.test(text(m))),
    ).toBe(false);
  });

  it("a restart in the middle of onboarding resumes at the same question", async () => {
    h = await startHarness();
    const { twin } = h;
    const dan = twin.user({ id: 5005, first_name: "Dan", language_code: "en" });
    const welcome = await ask(h, dan, "/start", (t) => /TradeDesk/.test(t));
    let since = twin.mark();
    dan.press(welcome, "English");
    const tz = await twin.waitForMessage(dan.chatId, (m) => /Europe\/Berlin/.test(text(m)), {
      since,
    });

    await h.restart();

    since = twin.mark();
    dan.send("Mars/Olympus");
    await twin.waitForMessage(dan.chatId, (m) => /not a time zone I know/.test(text(m)), {
      since,
    });
    since = twin.mark();
    dan.press(tz, "Europe/Berlin");
    await twin.waitForMessage(dan.chatId, (m) => /Time zone set to Europe\/Berlin/.test(text(m)), {
      since,
    });
    since = twin.mark();
    dan.send("Dan, swing trader");
    await twin.waitForMessage(dan.chatId, (m) => /sent to the admins/.test(text(m)), { since });
    const row = await h.db.db.prisma.user.findUnique({ where: { telegramUserId: "5005" } });
    expect(row).toMatchObject({
      status: "PENDING",
      timeZone: "Europe/Berlin",
      onboardingNote: "Dan, swing trader",
    });
  });

  it("a Russian speaker gets Russian, including the admin's decision", async () => {
    h = await startHarness();
    const { twin, admin } = h;
    await ask(h, admin, "/start", (t) => /admin/i.test(t));
    const ivan = twin.user({ id: 5006, first_name: "Иван", language_code: "ru" });
    const { welcome } = await onboard(h, ivan, "ru");
    expect(text(welcome)).toContain("Добро пожаловать");
    const request = await twin.waitForMessage(ADMIN_ID, (m) => /Иван/.test(text(m)));
    // the admin reads English
    expect(text(request)).toContain("New access request");
    const since = twin.mark();
    admin.press(request, "✅ Approve");
    const told = await twin.waitForMessage(ivan.chatId, (m) => /Доступ/.test(text(m)), { since });
    expect(text(told)).not.toMatch(/Access approved/);
    expect(text(await ask(h, ivan, "/portfolio"))).toMatch(/[а-яё]/i);
    expect(text(await ask(h, ivan, "/help"))).toMatch(/\/buy/);
  });

  it("a flood of commands is rate-limited with one warning, and the bot keeps answering afterwards", async () => {
    h = await startHarness({
      env: { RATE_LIMIT_PER_WINDOW: "3", RATE_LIMIT_WINDOW_MS: "1500" },
    });
    const { twin } = h;
    const fay = twin.user({ id: 5007, first_name: "Fay", language_code: "en" });
    const since = twin.mark();
    for (let i = 0; i < 12; i++) fay.send("/help");
    await twin.waitForMessage(fay.chatId, (m) => /Slow down/.test(text(m)), { since });
    await twin.waitForIdle();
    const replies = twin.messages(fay.chatId).filter((m) => m.revision > since);
    expect(replies.filter((m) => /Slow down/.test(text(m)))).toHaveLength(1);
    expect(
      replies.filter((m) => /\/start/.test(text(m)) && !/Slow down/.test(text(m))).length,
    ).toBeLessThanOrEqual(3);
    // after the window the user is served again
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(text(await ask(h, fay, "/help"))).toContain("/start");
  });

  it("a 429 from Telegram is retried after retry_after and the message still arrives once", async () => {
    h = await startHarness();
    const { twin, admin } = h;
    await ask(h, admin, "/start", (t) => /admin/i.test(t));
    const gus = twin.user({ id: 5008, first_name: "Gus", language_code: "en" });
    // a direct reply (grammY's auto-retry) and an outbox notification (the drainer) both meet a 429
    twin.failNext({ method: "sendMessage", chatId: gus.chatId, status: 429, retryAfter: 1 });
    twin.failNext({ method: "sendMessage", chatId: ADMIN_ID, status: 429, retryAfter: 1 });
    const started = Date.now();
    const { welcome } = await onboard(h, gus);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(welcome.reply_markup).toBeDefined();
    await twin.waitForMessage(
      ADMIN_ID,
      (m) => /New access request/.test(text(m)) && /Gus/.test(text(m)),
    );
    const rejected = twin.callsTo("sendMessage").filter((c) => c.status === 429);
    expect(rejected.map((c) => Number(c.params.chat_id)).sort()).toEqual(
      [gus.chatId, ADMIN_ID].sort(),
    );
    // each arrived exactly once
    expect(
      twin.messages(gus.chatId).filter((m) => /Welcome to TradeDesk/.test(text(m))),
    ).toHaveLength(1);
    expect(
      twin
        .messages(ADMIN_ID)
        .filter((m) => /New access request/.test(text(m)) && /Gus/.test(text(m))),
    ).toHaveLength(1);
  });
});
