// Configuration from the environment, validated once at start. Every problem is reported at
// once, naming the variable and what is wrong with it; .env.example documents each one.
import path from "node:path";
import { z } from "zod";
import { resolveDatabaseUrl } from "./db/url.ts";
import { MasterKey, MasterKeyError } from "./lib/secrets/master-key.ts";
import { isValidTimeZone } from "./lib/time.ts";
import { OPS_SHAPE } from "./ops-config.ts";

export const SUPPORTED_LOCALES = ["en", "ru"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const telegramIdList = z
  .string()
  .trim()
  .min(1, "must list at least one Telegram user id (comma-separated), e.g. 123456789")
  .transform((s) => s.split(/[\s,]+/).filter(Boolean))
  .refine(
    (ids) => ids.every((id) => /^\d{1,15}$/.test(id)),
    "must be numeric Telegram user ids separated by commas",
  );

const intFrom = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (!s) return fallback;
      const n = Number(s);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const httpUrl = z
  .string()
  .trim()
  .transform((s) => s.replace(/\/+$/, ""))
  .refine((s) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(s), "must be an http(s) URL");

/**
 * Per-exchange base URLs: EXCHANGE_API_URL_BINANCE=... → { binance: "..." } (and the same for
 * EXCHANGE_SANDBOX_URL_<ID>).
 */
function perExchangeUrls(
  env: Record<string, string | undefined>,
  prefix = "EXCHANGE_API_URL",
): {
  urls: Record<string, string>;
  problems: string[];
} {
  const urls: Record<string, string> = {};
  const problems: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    const m = new RegExp(`^${prefix}_([A-Z0-9]+)$`).exec(k);
    if (!m || v === undefined) continue;
    const parsed = httpUrl.safeParse(v);
    if (parsed.success) urls[m[1]!.toLowerCase()] = parsed.data;
    else problems.push(`${k} must be an http(s) URL`);
  }
  return { urls, problems };
}
/**
 * The master key of the secret store (exchange API credentials): SECRETS_MASTER_KEY (32 bytes,
 * base64 or hex) or SECRETS_KEY_FILE (a file outside the database holding it). Neither: live
 * accounts are refused. The file is read at start (src/app.ts), not here.
 */
const secretsFields = {
  SECRETS_MASTER_KEY: z
    .string()
    .optional()
    .superRefine((s, ctx) => {
      if (s === undefined) return;
      try {
        MasterKey.parse(s, "it");
      } catch (e) {
        if (!(e instanceof MasterKeyError)) throw e;
        ctx.addIssue({ code: "custom", message: e.message.replace(/^it /, "") });
      }
    }),
  SECRETS_KEY_FILE: z.string().trim().optional(),
};

export const secretsSchema = z.object(secretsFields).superRefine((c, ctx) => {
  if (c.SECRETS_MASTER_KEY && c.SECRETS_KEY_FILE)
    ctx.addIssue({
      code: "custom",
      path: ["SECRETS_KEY_FILE"],
      message: "cannot be set together with SECRETS_MASTER_KEY: keep one of them",
    });
});

const schema = z
  .object({
    BOT_TOKEN: z
      .string({ error: "is required: the token @BotFather gave you" })
      .trim()
      .regex(
        /^\d+:[A-Za-z0-9_-]{10,}$/,
        "does not look like a bot token (digits, a colon, then letters)",
      ),
    ADMIN_TELEGRAM_IDS: z
      .string({ error: "is required: your numeric Telegram user id" })
      .pipe(telegramIdList),
    DATABASE_URL: z
      .string()
      .optional()
      .transform((s) => resolveDatabaseUrl(s))
      .refine(
        (u) => u.startsWith("file:") || /^postgres(ql)?:\/\//.test(u),
        "must start with file: (SQLite) or postgresql://",
      ),
    TELEGRAM_API_ROOT: z
      .string()
      .trim()
      .optional()
      .transform((s) => (s ? s.replace(/\/+$/, "") : "https://api.telegram.org"))
      .refine((s) => /^https?:\/\/[^\s]+$/.test(s), "must be an http(s) URL"),
    /**
     * How long one Bot API call may take before it is given up and retried. grammY's default is
     * 500 s: one hung connection would hold that chat's updates for eight minutes. Long polling
     * waits a little less than this (see longPollSeconds).
     */
    TELEGRAM_TIMEOUT_SECONDS: intFrom(5, 600, 60),
    BOT_MODE: z
      .enum(["polling", "webhook"], { error: "must be polling or webhook" })
      .default("polling"),
    WEBHOOK_URL: z.string().trim().url("must be a full https URL").optional(),
    WEBHOOK_SECRET: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "may contain only letters, digits, _ and -")
      .optional(),
    PORT: intFrom(1, 65535, 8080),
    HOST: z.string().trim().default("0.0.0.0"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    MAX_USERS: intFrom(1, 10_000, 20),
    DEFAULT_LOCALE: z
      .enum(SUPPORTED_LOCALES, { error: `must be one of ${SUPPORTED_LOCALES.join(", ")}` })
      .default("en"),
    DEFAULT_TIME_ZONE: z
      .string()
      .trim()
      .default("UTC")
      .refine(isValidTimeZone, "must be an IANA time zone such as Europe/Berlin"),
    MARKET_DATA_SEED: z.string().trim().default("tradedesk"),
    /** where prices come from: the embedded synthetic generator, or a ccxt exchange id */
    MARKET_DATA: z
      .string()
      .trim()
      .toLowerCase()
      .default("offline")
      .refine(
        (s) => /^[a-z][a-z0-9]{1,30}$/.test(s),
        "must be offline, binance or a ccxt exchange id",
      ),
    /** scheme and host replacing the exchange's own in every API URL (proxy, mirror, local twin) */
    EXCHANGE_API_URL: httpUrl.optional(),
    /** ccxt exchange ids whose accounts trade for real here ("binance"); empty: paper only */
    LIVE_TRADING: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((s) => (s ? s.split(/[\s,]+/).filter(Boolean) : []))
      .refine(
        (ids) => ids.every((id) => /^[a-z][a-z0-9]{1,30}$/.test(id)),
        "must list ccxt exchange ids separated by commas, e.g. binance",
      ),
    /** like EXCHANGE_API_URL, for the exchange's testnet (accounts marked testnet) */
    EXCHANGE_SANDBOX_URL: httpUrl.optional(),
    PAPER_FEE_BPS: intFrom(0, 1000, 10),
    /** /backtest: how many run at once (each in its own worker thread) and how long one may take */
    BACKTEST_CONCURRENCY: intFrom(1, 16, 2),
    BACKTEST_TIMEOUT_SECONDS: intFrom(10, 3600, 600),
    /** how long a backtest's thread waits for the next backtest before it ends (0: never waits) */
    BACKTEST_IDLE_SECONDS: intFrom(0, 3600, 60),
    /** where a live market's candle history is cached for backtests */
    CANDLE_CACHE_DIR: z
      .string()
      .trim()
      .optional()
      .transform((s) => path.resolve(s || "data/candles")),
    PAPER_SLIPPAGE_BPS: intFrom(0, 1000, 2),
    /** per-user commands allowed per RATE_LIMIT_WINDOW_MS before the bot asks them to slow down */
    RATE_LIMIT_PER_WINDOW: intFrom(1, 1000, 5),
    RATE_LIMIT_WINDOW_MS: intFrom(100, 600_000, 2000),
    OUTBOX_GLOBAL_PER_SECOND: intFrom(1, 1000, 30),
    OUTBOX_PRIVATE_PER_SECOND: intFrom(1, 100, 1),
    OUTBOX_GROUP_PER_MINUTE: intFrom(1, 1000, 20),
    OUTBOX_MAX_ATTEMPTS: intFrom(1, 100, 8),
    /**
     * how long a drainer's claim on a row holds without renewal: after a crash, the rows it was
     * sending wait this long before another run sends them again
     */
    OUTBOX_LEASE_SECONDS: intFrom(2, 3600, 60),
    /** /healthz and /metrics in polling mode (webhook mode serves them on PORT); 0 = any free port */
    METRICS_PORT: intFrom(0, 65535, 9464),
    METRICS_HOST: z.string().trim().default("127.0.0.1"),
    /** /healthz turns 503 when the oldest undelivered notification waits longer than this */
    HEALTH_OUTBOX_MAX_AGE_SECONDS: intFrom(10, 86_400, 600),
    /** how often an instance that does not run the jobs checks whether their runner is gone */
    LEADER_RETRY_SECONDS: intFrom(1, 600, 10),
    JOBS_ENABLED: z
      .enum(["true", "false"])
      .default("true")
      .transform((s) => s === "true"),
    ...secretsFields,
    // backups, maintenance and retention (src/ops-config.ts)
    ...OPS_SHAPE,
  })
  .superRefine((c, ctx) => {
    if (c.SECRETS_MASTER_KEY && c.SECRETS_KEY_FILE)
      ctx.addIssue({
        code: "custom",
        path: ["SECRETS_KEY_FILE"],
        message: "cannot be set together with SECRETS_MASTER_KEY: keep one of them",
      });
    if (c.BOT_MODE === "webhook" && !c.WEBHOOK_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_URL"],
        message: "is required when BOT_MODE=webhook",
      });
    }
  });

export type Config = z.output<typeof schema> & {
  /** EXCHANGE_API_URL_<ID> by lower-case ccxt id */
  EXCHANGE_API_URLS: Record<string, string>;
  /** EXCHANGE_SANDBOX_URL_<ID> by lower-case ccxt id */
  EXCHANGE_SANDBOX_URLS: Record<string, string>;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "ConfigError";
  }
}

function parseEnv<S extends z.ZodType>(s: S, env: NodeJS.ProcessEnv): z.output<S> {
  const input = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]),
  );
  const result = s.safeParse(input);
  // safeParse on a generic schema types its data as unknown; it is S's output
  if (result.success) return result.data as z.output<S>;
  throw new ConfigError(
    result.error.issues.map((i) => `${i.path.join(".") || "(config)"} ${i.message}`),
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]),
  );
  const result = schema.safeParse(input);
  const perExchange = perExchangeUrls(input);
  const sandboxes = perExchangeUrls(input, "EXCHANGE_SANDBOX_URL");
  if (result.success && perExchange.problems.length === 0 && sandboxes.problems.length === 0) {
    return {
      ...result.data,
      EXCHANGE_API_URLS: perExchange.urls,
      EXCHANGE_SANDBOX_URLS: sandboxes.urls,
    };
  }
  throw new ConfigError([
    ...(result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join(".") || "(config)"} ${i.message}`)),
    ...perExchange.problems,
    ...sandboxes.problems,
  ]);
}

export type SecretsConfig = z.output<typeof secretsSchema>;

/** Only the secret store's variables (scripts such as secrets:rekey need no bot token). */
export function loadSecretsConfig(env: NodeJS.ProcessEnv = process.env): SecretsConfig {
  return parseEnv(secretsSchema, env);
}
