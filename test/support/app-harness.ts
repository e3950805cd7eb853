// The whole application started the way main.ts starts it — real config, real database (a fresh
// SQLite file or PostgreSQL database), real grammY bot with long polling, real jobs — talking to
// the Telegram twin instead of api.telegram.org. Tests act as Telegram users through the twin.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { type App, type AppOverrides, createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { Provider } from "../../src/db/client.ts";
import { type Clock, ShiftedClock } from "../../src/lib/clock.ts";
import type { Logger } from "../../src/logger.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { DEFAULT_BOT, type SimulatedUser, TelegramTwin } from "./telegram-twin/index.ts";

export const ADMIN_ID = 900001;

export interface HarnessOptions {
  provider?: Provider;
  /** extra environment for loadConfig (e.g. MAX_USERS) */
  env?: Record<string, string>;
  clock?: Clock;
  admins?: number[];
  /** the app's logger (e.g. one writing into a captured stream); silent pino by default */
  logger?: Logger;
  /** dependencies the test provides at the seams (e.g. a CredentialProbe) */
  overrides?: Pick<AppOverrides, "credentialProbe" | "strategyRegistry" | "market">;
  /** an existing database to run on; the caller owns it (stop() leaves it in place) */
  database?: TestDatabase;
}

export interface Harness {
  twin: TelegramTwin;
  app: App;
  config: Config;
  db: TestDatabase;
  admin: SimulatedUser;
  clock: Clock;
  /** stops the app (as SIGTERM would) and starts a new one on the same database and twin */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = options.database ?? (await createTestDatabase(options.provider ?? "sqlite"));
  const twin = await TelegramTwin.start();
  const admins = options.admins ?? [ADMIN_ID];
  // the backup job's files go to a temporary folder, never the project's data/backups
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-harness-backups-"));
  const config = loadConfig({
    BOT_TOKEN: DEFAULT_BOT.token,
    ADMIN_TELEGRAM_IDS: admins.join(","),
    DATABASE_URL: db.url,
    TELEGRAM_API_ROOT: twin.apiRoot,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    LOG_FORMAT: "json",
    // tests act faster than people: keep the flood limit for the test that checks it
    RATE_LIMIT_PER_WINDOW: "50",
    RATE_LIMIT_WINDOW_MS: "1000",
    // scale Telegram's limits so notifications arrive quickly in tests (the twin does not enforce them here)
    OUTBOX_GLOBAL_PER_SECOND: "200",
    OUTBOX_PRIVATE_PER_SECOND: "50",
    OUTBOX_GROUP_PER_MINUTE: "600",
    BACKUP_DIR: backupDir,
    // /healthz and /metrics on any free port of 127.0.0.1 (app.opsAddress() says which)
    METRICS_PORT: "0",
    ...options.env,
  });
  const clock = options.clock ?? new ShiftedClock();
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL });
  const boot = async () => {
    const app = await createApp(config, { ...options.overrides, clock, logger, migrate: false });
    await app.start();
    return app;
  };
  let app = await boot();
  // the twin cannot see the updates the app has fetched and not finished: let waitForIdle ask
  twin.watchWork("app", () => app.updatesInHand());
  const admin = twin.user({
    id: admins[0]!,
    first_name: "Ada",
    username: "ada_admin",
    language_code: "en",
  });
  const harness: Harness = {
    twin,
    get app() {
      return app;
    },
    config,
    db,
    admin,
    clock,
    async restart() {
      await app.stop();
      app = await boot();
    },
    async stop() {
      await app.stop();
      await twin.stop();
      if (!options.database) await db.drop();
      fs.rmSync(backupDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Sends a message and waits for the bot's next message in that chat that satisfies `match`. */
export async function ask(
  h: Harness,
  user: SimulatedUser,
  text: string,
  match: (text: string) => boolean = () => true,
) {
  const since = h.twin.mark();
  user.send(text);
  return h.twin.waitForMessage(user.chatId, (m) => match(m.text ?? m.caption ?? ""), {
    since,
    timeoutMs: 10_000,
  });
}
