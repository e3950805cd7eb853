// Secrets never rest where they must not (issue 15, "Secrets and logs"). A full session through
// the Telegram twin and the exchange twin: a live Binance testnet account added with /newaccount
// (API key and secret typed into the chat), an order on it, then every command of the registry
// with its own example, by the trader and by the admin, and a backup made by the backup service.
// Afterwards the bot token, the API key and secret and SECRETS_MASTER_KEY (base64 and hex) are
// looked for in the SQLite file (and its WAL), every backup file (unpacked), every log line the
// app wrote at trace level, every outbox row and every Bot API call the bot made: 0 hits. Nor do
// the logs hold anything typed during the secret-bearing conversation (the account's name, a
// canary, included). The logger's own redaction is tested in test/logger-secrets.test.ts.
// On both databases: on PostgreSQL the "file" is every row of every table read back through SQL
// and a plain-SQL pg_dump of the whole database, and each backup (pg_dump -Fc) is unpacked back to
// plain SQL with pg_restore before it is searched.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { libpqUrl } from "../../src/db/backup/pg-tools.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import type { Harness } from "../support/app-harness.ts";
import { type Trader, approvedTrader, press, say, textOf } from "../support/e2e-trader.ts";
import { type LiveApp, startLiveApp } from "../support/live-app.ts";
import { PROVIDERS } from "../support/db.ts";
import { findInDatabase } from "../support/secret-scan.ts";
import { DEFAULT_BOT } from "../support/telegram-twin/index.ts";
import { CapturedLogs } from "./fuzz/log-capture.ts";
import { recordFigures } from "./support/figures.ts";

const fresh = () => randomBytes(32).toString("hex");
const MASTER = randomBytes(32);
const KEY = { apiKey: fresh(), secret: fresh() };
const ACCOUNT_NAME = `Canary ${randomBytes(4).toString("hex")}`;

const SECRETS: Record<string, string> = {
  "bot token": DEFAULT_BOT.token,
  "API key": KEY.apiKey,
  "API secret": KEY.secret,
  "master key (base64)": MASTER.toString("base64"),
  "master key (hex)": MASTER.toString("hex"),
};

function hitsIn(where: string, text: string | Buffer): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) =>
      typeof text === "string" ? text.includes(value) : text.includes(Buffer.from(value)),
    )
    .map(([name]) => `${name} in ${where}`);
}

/** A PostgreSQL archive (pg_dump -Fc) or database as plain SQL, data included. */
function plainSql(args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), { maxBuffer: 256 * 1024 * 1024 }).toString("utf8");
}

describe.each(PROVIDERS)("secrets after a full session, on %s", (provider) => {
  let h: Harness;
  let live: LiveApp;
  let trader: Trader;
  const logs = new CapturedLogs("trace", [DEFAULT_BOT.token, MASTER.toString("base64")]);
  // what was searched and what was found, for the suite's table
  const searched = { places: 0, hits: 0 };
  const tally = (hits: unknown[], places = 1) => {
    searched.places += places;
    searched.hits += hits.length;
  };

  beforeAll(async () => {
    live = await startLiveApp({
      provider,
      logger: logs.logger,
      masterKey: MASTER.toString("base64"),
      // a scripted session types faster than a person: no flood limit in the way
      env: { RATE_LIMIT_PER_WINDOW: "1000", RATE_LIMIT_WINDOW_MS: "100" },
      prepare: (twin) => {
        twin.registerKey({ ...KEY, account: "alice" });
        twin.addBalance("alice", "USDT", "2500");
      },
    });
    h = live.h;
    trader = await approvedTrader(h, { telegramId: 8201, firstName: "Alice" });
  }, 120_000);

  afterAll(async () => {
    await live?.stop();
    if (searched.places > 0)
      recordFigures({
        category: "secrets: token, API key and secret, master key in DB, backups, logs, outbox",
        db: provider,
        attempts: searched.places,
        failures: searched.hits,
        unit: "places",
      });
  });

  it("a live account is added from the chat, and every feature is used", async () => {
    const user = trader.user;
    const brokers = await say(h, user, "/newaccount", (t) => /Which broker/.test(t));
    const q = await press(h, user, brokers, "Binance", (t) => /testnet/.test(t));
    await press(h, user, q, "🧪 Testnet (test money)", (t) => /A name for the account/.test(t));
    const currency = await say(h, user, ACCOUNT_NAME, (t) => /base currency/.test(t));
    await press(h, user, currency, "USDT", (t) => /Send the API key/.test(t));
    await say(h, user, KEY.apiKey, (t) => /Now send the API secret/.test(t));
    const added = await say(h, user, KEY.secret, (t) => /is added|Nothing was saved/.test(t));
    expect(textOf(added)).toMatch(/is added/);
    // the search below is not vacuous: the key really went through the chat (deleted since)
    const typed = h.twin.chatLog(user.chatId).filter((m) => m.sender === "user");
    expect(typed.some((m) => m.text === KEY.apiKey && m.deleted)).toBe(true);
    expect(hitsIn("a probe", `x${KEY.secret}x`)).toEqual(["API secret in a probe"]);
    await press(h, user, added, "Create a portfolio on it", (t) => /name/i.test(t));
    await say(h, user, "Live", (t) => /Live/.test(t));
    const card = await say(h, user, "/buy BTCUSDT 0.001", (t) => /Confirm order/.test(t));
    await press(
      h,
      user,
      card,
      "✅ Confirm",
      (t, m) => m.message_id === card.message_id && /Order #\d+/.test(t),
    );

    // every command of the registry, with the example /help gives, by the trader and the admin
    const t = translatorFor(createI18n("en"), "en");
    const examples = h.app.registry.all().flatMap((c) => t(c.exampleKey).split(" · "));
    for (const who of [user, h.admin])
      for (const example of examples) {
        await say(h, who, example);
        // leave whatever conversation the example opened, so the next example is a command
        await say(h, who, "/cancel");
      }
    const backup = await say(h, h.admin, "/backup", (text) => /backup/i.test(text));
    expect(textOf(backup)).toBeTruthy();
    await h.app.services.backups.run("cli");
    await h.twin.waitForIdle({ timeoutMs: 20_000 });
  }, 300_000);

  it("the database holds none of the secrets", async () => {
    const hits: string[] = (await findInDatabase(h.db, Object.values(SECRETS))).map(
      (hit) => `${hit.where}: ${hit.needle.slice(0, 6)}…`,
    );
    if (provider === "postgres") {
      // every table as pg_dump writes it (data as INSERTs), besides the rows read back above
      const dump = plainSql(["pg_dump", "--inserts", "--no-owner", "-d", libpqUrl(h.db.url)]);
      expect(dump).toMatch(/INSERT INTO public\.orders /);
      hits.push(...hitsIn("pg_dump of the database", dump));
    }
    tally(hits, provider === "postgres" ? 2 : 1);
    expect(hits).toEqual([]);
  });

  it("no backup holds them", () => {
    const dir = h.config.BACKUP_DIR;
    const files = fs.readdirSync(dir).filter((f) => !f.endsWith(".sha256"));
    expect(files.length).toBeGreaterThan(0);
    const hits = files.flatMap((f) => {
      const file = path.join(dir, f);
      if (provider === "postgres") {
        const plain = plainSql(["pg_restore", "-f", "-", file]);
        expect(plain).toMatch(/^--\n-- PostgreSQL database dump/);
        expect(plain).toMatch(/COPY public\.orders /);
        return hitsIn(f, plain);
      }
      const bytes = fs.readFileSync(file);
      const plain = f.endsWith(".gz") ? zlib.gunzipSync(bytes) : bytes;
      expect(plain.subarray(0, 15).toString()).toBe("SQLite format 3");
      return hitsIn(f, plain);
    });
    tally(hits, files.length);
    expect(hits).toEqual([]);
  });

  it("no log line holds them, nor anything typed in the secret-bearing conversation", () => {
    const text = logs.text();
    expect(logs.lines.length).toBeGreaterThan(100);
    // structured, with the update's correlation id
    expect(
      logs.lines.filter((l) => l.msg === "update handled").every((l) => /"cid":"u\d+"/.test(l.raw)),
    ).toBe(true);
    const hits = [
      ...hitsIn("the logs", text),
      ...(text.includes(ACCOUNT_NAME) ? ["the account name typed during /newaccount"] : []),
    ];
    tally(hits, logs.lines.length);
    expect(hits).toEqual([]);
  });

  it("no outbox row and no message the bot sent holds them", async () => {
    const rows = await h.app.database.prisma.notificationOutbox.findMany();
    expect(rows.length).toBeGreaterThan(0);
    const calls = h.twin.calls.filter((c) => c.method !== "getUpdates");
    expect(calls.length).toBeGreaterThan(100);
    const hits = [
      ...hitsIn("the outbox", JSON.stringify(rows)),
      ...hitsIn("the Bot API calls", JSON.stringify(calls.map((c) => c.params))),
    ];
    tally(hits, rows.length + calls.length);
    expect(hits).toEqual([]);
  });
});
