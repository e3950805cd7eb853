// Test harness: a real grammY bot long-polling the twin, stopped and cleaned up after each test.
import { Bot, type Context } from "grammy";
import { TelegramTwin } from "../support/telegram-twin/index.ts";

export interface RunningBot {
  bot: Bot;
  /** Errors thrown by handlers (bot.catch), so tests can assert there were none. */
  errors: unknown[];
  /** Settles when polling ends: rejects with grammY's error when it gave up (401, 409). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Starts long polling once `setup` has registered the handlers; resolves when polling runs. */
export async function startBot(
  twin: TelegramTwin,
  setup: (bot: Bot) => void,
  token = twin.bot.token,
): Promise<RunningBot> {
  const bot = new Bot<Context>(token, { client: { apiRoot: twin.apiRoot } });
  const errors: unknown[] = [];
  bot.catch((error) => {
    errors.push(error.error);
  });
  setup(bot);
  let started!: () => void;
  const onStart = new Promise<void>((resolve) => (started = resolve));
  // rejects when polling fails (401, 409), also after start-up
  const polling = bot.start({ onStart: () => started() });
  // a failure is reported through `done` and `stop()`, not as an unhandled rejection
  polling.catch(() => undefined);
  await Promise.race([onStart, polling]);
  // onStart fires before the first getUpdates is sent; wait until it is actually waiting
  await Promise.race([twin.waitForPolling({ bot: token }), polling]);
  return {
    bot,
    errors,
    done: polling,
    stop: async () => {
      if (bot.isRunning()) await bot.stop();
      await polling;
    },
  };
}

export async function withTwin<T>(run: (twin: TelegramTwin) => Promise<T>): Promise<T> {
  const twin = await TelegramTwin.start();
  try {
    return await run(twin);
  } finally {
    await twin.stop();
  }
}
