// /rotatekey end to end through the Telegram twin, on SQLite and PostgreSQL, with a credential
// probe defined here (the seam the live gateway fills): the key and secret messages are deleted
// from the chat at once and the user is told so; the key is checked, then stored encrypted; keys
// that may withdraw or that the exchange refuses change nothing; other people's and unknown
// accounts get the same answer, paper accounts are refused; and afterwards neither the database
// (SQLite file and WAL, every PostgreSQL row: sessions and conversation logs included) nor the
// captured logs hold any secret that was typed.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CredentialProbe,
  CredentialProbeResult,
  ExchangeCredentials,
} from "../../src/brokers/types.ts";
import type { Provider } from "../../src/db/client.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { MasterKey } from "../../src/lib/secrets/index.ts";
import { createLogger } from "../../src/logger.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { findInDatabase } from "../support/secret-scan.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

/** The exchange as the test scripts it: answers with `next`, remembers the keys it was shown. */
class TestProbe implements CredentialProbe {
  next: CredentialProbeResult = { ok: true, canWithdraw: false };
  seen: ExchangeCredentials[] = [];
  supports(brokerCode: string): boolean {
    return brokerCode === "BINANCE";
  }
  async probe(brokerCode: string, creds: ExchangeCredentials): Promise<CredentialProbeResult> {
    this.seen.push(creds);
    return this.next;
  }
}

const ALICE = 7501;
const BOB = 7502;
const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const labels = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);
const fresh = (prefix: string) => `${prefix}${randomBytes(24).toString("hex")}`;

function capturedLogs() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

async function people(h: Harness) {
  const { users } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const approve = async (id: number, name: string, lang: string) =>
    toActor(
      await users.approve(
        admin,
        (
          await users.registerFromTelegram({
            telegramUserId: String(id),
            firstName: name,
            languageCode: lang,
          })
        ).id,
      ),
    );
  return { alice: await approve(ALICE, "Alice", "en"), bob: await approve(BOB, "Bob", "ru") };
}

describe.each(PROVIDERS)("/rotatekey through the Telegram twin, on %s", (provider: Provider) => {
  let h: Harness;
  let alice: SimulatedUser;
  let bob: SimulatedUser;
  let aliceActor: Actor;
  let liveId: number;
  const probe = new TestProbe();
  const logs = capturedLogs();
  const typed: string[] = [];
  const masterKey = randomBytes(32).toString("base64");

  /** Sends `message` and returns the bot's messages until one matches `last`. */
  async function say(user: SimulatedUser, message: string, last: RegExp): Promise<string[]> {
    const since = h.twin.mark();
    user.send(message);
    const end = await h.twin.waitForMessage(user.chatId, (m) => last.test(text(m)), {
      since,
      timeoutMs: 10_000,
    });
    return h.twin
      .messages(user.chatId)
      .filter((m) => m.revision > since && m.message_id <= end.message_id)
      .map(text);
  }

  /** A user message that must be gone from the chat, deleted by the bot through deleteMessage. */
  function expectDeleted(user: SimulatedUser, secret: string) {
    const message = h.twin
      .chatLog(user.chatId)
      .find((m) => m.sender === "user" && m.text === secret);
    expect(message, "the secret message").toBeDefined();
    expect(message!.deleted).toBe(true);
    const calls = h.twin
      .callsTo("deleteMessage")
      .filter((c) => Number(c.params.message_id) === message!.message_id);
    expect(calls.map((c) => [Number(c.params.chat_id), c.status])).toEqual([[user.chatId, 200]]);
  }

  async function enterPair(
    user: SimulatedUser,
    start: string,
  ): Promise<{ creds: ExchangeCredentials; replies: string[] }> {
    const creds = { apiKey: fresh("k"), secret: fresh("s") };
    typed.push(creds.apiKey, creds.secret);
    await say(user, start, /Send the new API key/);
    expect(await say(user, creds.apiKey, /Now send the API secret/)).toEqual([
      "I deleted your message with the API key.",
      "Now send the API secret. I delete that message too.",
    ]);
    expectDeleted(user, creds.apiKey);
    const prompt = await say(user, creds.secret, /passphrase/);
    expect(prompt[0]).toBe("I deleted your message with the API secret.");
    expectDeleted(user, creds.secret);
    const question = h.twin.lastMessage(user.chatId)!;
    const since = h.twin.mark();
    user.press(question, "No passphrase");
    const end = await h.twin.waitForMessage(
      user.chatId,
      (m) => /replaced|unchanged/.test(text(m)),
      { since, timeoutMs: 10_000 },
    );
    const replies = h.twin
      .messages(user.chatId)
      .filter((m) => m.message_id > question.message_id && m.message_id <= end.message_id)
      .map(text);
    return { creds, replies };
  }

  beforeAll(async () => {
    h = await startHarness({
      provider,
      env: { SECRETS_MASTER_KEY: masterKey, LOG_LEVEL: "trace" },
      logger: createLogger({ level: "trace", format: "json", destination: logs.stream }),
      overrides: { credentialProbe: probe },
    });
    const { alice: a, bob: b } = await people(h);
    aliceActor = a;
    const { portfolios } = h.app.services;
    liveId = (
      await portfolios.createAccount(a, {
        brokerCode: "BINANCE",
        name: "Binance main",
        baseCurrency: "USDT",
      })
    ).id;
    await portfolios.createAccount(a, {
      brokerCode: "PAPER",
      name: "Sandbox",
      baseCurrency: "USDT",
      openingBalance: new Decimal("1000"),
    });
    await portfolios.createAccount(b, {
      brokerCode: "BINANCE",
      name: "Bob live",
      baseCurrency: "USDT",
    });
    alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
    bob = h.twin.user({ id: BOB, first_name: "Bob", language_code: "ru" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("is listed in /help in both languages", async () => {
    expect((await say(alice, "/help", /rotatekey/)).join("\n")).toContain(
      "Replace the API key of a live account",
    );
    expect((await say(bob, "/help", /rotatekey/)).join("\n")).toContain(
      "Заменить API-ключ реального счёта",
    );
  });

  it("refuses paper accounts, and answers someone else's account like an unknown one", async () => {
    expect(await say(alice, "/rotatekey Sandbox", /./)).toEqual([
      "“Sandbox” is a paper account: it needs no API key.",
    ]);
    const others = await say(alice, "/rotatekey Bob live", /./);
    const unknown = await say(alice, "/rotatekey Nowhere", /./);
    expect(others).toEqual(["You have no account called “Bob live”."]);
    expect(unknown).toEqual(["You have no account called “Nowhere”."]);
    expect(await h.app.services.credentials.info(aliceActor, liveId)).toBeNull();
  });

  it("replaces the key: messages deleted at once, key checked, stored encrypted", async () => {
    const { creds, replies } = await enterPair(alice, "/rotatekey");
    expect(replies).toEqual([
      "Checking the key with Binance…",
      `The API key of “Binance main” is replaced. It is stored encrypted (master key ${MasterKey.parse(masterKey).id}); the old one is gone.`,
    ]);
    expect(probe.seen.at(-1)).toEqual(creds);
    expect(await h.app.services.credentials.load(liveId)).toEqual(creds);
    const row = await h.db.db.prisma.accountCredential.findUniqueOrThrow({
      where: { accountId: liveId },
    });
    expect(row.keyId).toBe(MasterKey.parse(masterKey).id);
    expect(row.ciphertext.length).toBeGreaterThan(40);
  });

  it("refuses a key that may withdraw, and one the exchange rejects, keeping the stored one", async () => {
    const before = await h.app.services.credentials.load(liveId);
    probe.next = { ok: true, canWithdraw: true };
    const withdraw = await enterPair(alice, "/rotatekey Binance main");
    expect(withdraw.replies.at(-1)).toMatch(
      /^This key may withdraw funds\. .*without withdrawal permission.* The stored key is unchanged\./,
    );
    probe.next = { ok: false, reason: "invalid-key" };
    const invalid = await enterPair(alice, "/rotatekey");
    expect(invalid.replies.at(-1)).toBe(
      "Binance refused this key pair (wrong key or secret). The stored key is unchanged. Try again with /rotatekey.",
    );
    expect(await h.app.services.credentials.load(liveId)).toEqual(before);
    probe.next = { ok: true, canWithdraw: false };
  });

  it("/cancel after the key leaves nothing behind but the deleted message", async () => {
    const key = fresh("k");
    typed.push(key);
    await say(alice, "/rotatekey", /Send the new API key/);
    await say(alice, key, /Now send the API secret/);
    expectDeleted(alice, key);
    // the conversation's stored replay log holds the update: with the token, not the key
    const stored = await findInDatabase(h.db, ["\u2063secret:", key]);
    expect(stored.map((hit) => hit.needle)).toContain("\u2063secret:");
    expect(stored.map((hit) => hit.needle)).not.toContain(key);
    expect(await say(alice, "/cancel", /Canceled/)).toEqual([
      "Canceled replacing an API key. Nothing was changed.",
    ]);
    // the conversation is gone: text is no longer captured
    const after = await say(alice, "hello", /./);
    expect(after.join("\n")).not.toMatch(/deleted your message/);
    expect(h.twin.chatLog(ALICE).find((m) => m.text === "hello")?.deleted).toBe(false);
  });

  it("asks which account when there are several live ones", async () => {
    await h.app.services.portfolios.createAccount(aliceActor, {
      brokerCode: "BINANCE",
      name: "Binance second",
      baseCurrency: "USDT",
    });
    await say(alice, "/rotatekey", /Which account/);
    const picker = h.twin.lastMessage(ALICE)!;
    expect(labels(picker)).toEqual(["Binance main · Binance", "Binance second · Binance"]);
    const since = h.twin.mark();
    alice.press(picker, "Binance second · Binance");
    const ask = await h.twin.waitForMessage(ALICE, (m) => /Send the new API key/.test(text(m)), {
      since,
      timeoutMs: 10_000,
    });
    expect(text(ask)).toContain("“Binance second”");
    await say(alice, "/cancel", /Canceled/);

    // a button for an account that is no longer hers gets the not-found answer, nothing starts
    await say(alice, "/rotatekey", /Which account/);
    const stale = h.twin.lastMessage(ALICE)!;
    const second = (await h.app.services.portfolios.listAccounts(aliceActor)).find(
      (a) => a.name === "Binance second",
    )!;
    await h.app.services.portfolios.deleteAccount(aliceActor, second.id);
    const mark = h.twin.mark();
    alice.press(stale, "Binance second · Binance");
    const reply = await h.twin.waitForMessage(ALICE, (m) => m.message_id > stale.message_id, {
      since: mark,
      timeoutMs: 10_000,
    });
    expect(text(reply)).toBe(`That account (${second.id}) does not exist or is not yours.`);
  });

  it("still captures the secret after a restart mid-conversation, and asks for the lost key again", async () => {
    const before = await h.app.services.credentials.load(liveId);
    const key = fresh("k");
    const secret = fresh("s");
    typed.push(key, secret);
    await say(alice, "/rotatekey Binance main", /Send the new API key/);
    await say(alice, key, /Now send the API secret/);
    await h.restart();
    // the capture was armed in the session: the secret never reaches the stored conversation
    const prompt = await say(alice, secret, /passphrase/);
    expect(prompt[0]).toBe("I deleted your message with the API secret.");
    expectDeleted(alice, secret);
    const question = h.twin.lastMessage(ALICE)!;
    const since = h.twin.mark();
    alice.press(question, "No passphrase");
    const lost = await h.twin.waitForMessage(ALICE, (m) => /start again/.test(text(m)), {
      since,
      timeoutMs: 10_000,
    });
    expect(text(lost)).toBe(
      "I no longer have the key you sent (the bot restarted or too much time passed). Nothing was saved: start again with /rotatekey.",
    );
    expect(await h.app.services.credentials.load(liveId)).toEqual(before);
  });

  it("leaves no typed secret in the database or the logs", async () => {
    expect(typed.length).toBe(9);
    expect(await findInDatabase(h.db, typed)).toEqual([]);
    const logged = logs.text();
    expect(logged.length).toBeGreaterThan(1000);
    for (const secret of typed) expect(logged).not.toContain(secret);
    // the scan is able to find things: the account's name is in the database
    expect(await findInDatabase(h.db, ["Binance main"])).not.toEqual([]);
  });
});

describe("/rotatekey in an installation not set up for live keys", () => {
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.stop();
  });

  async function answerTo(env: Record<string, string>): Promise<string> {
    await h?.stop();
    h = await startHarness({ provider: "sqlite", env });
    const { alice } = await people(h);
    await h.app.services.portfolios.createAccount(alice, {
      brokerCode: "BINANCE",
      name: "Binance main",
      baseCurrency: "USDT",
    });
    const user = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
    const since = h.twin.mark();
    user.send("/rotatekey");
    return text(await h.twin.waitForMessage(ALICE, () => true, { since, timeoutMs: 10_000 }));
  }

  it("without a master key says how to set one", async () => {
    expect(await answerTo({})).toBe(
      "API keys cannot be stored here yet: the bot has no master key. The operator sets SECRETS_MASTER_KEY to a key made with `openssl rand -base64 32` (or SECRETS_KEY_FILE to a file holding one, chmod 600) and restarts the bot.",
    );
  });

  it("without a live gateway's probe says live brokers are not configured", async () => {
    expect(await answerTo({ SECRETS_MASTER_KEY: randomBytes(32).toString("hex") })).toBe(
      "Live brokers are not configured in this installation, so keys for Binance cannot be checked or stored here.",
    );
  });
});
