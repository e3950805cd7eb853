// Configuration from the environment, validated once at start. Every problem is reported at
// once, naming the variable and what is wrong with it; .env.example documents each one.
import { z } from "zod";
import { resolveDatabaseUrl } from "./db/url.ts";
import { isValidTimeZone } from "./lib/time.ts";

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
    PAPER_FEE_BPS: intFrom(0, 1000, 10),
    PAPER_SLIPPAGE_BPS: intFrom(0, 1000, 2),
    /** per-user commands allowed per RATE_LIMIT_WINDOW_MS before the bot asks them to slow down */
    RATE_LIMIT_PER_WINDOW: intFrom(1, 1000, 5),
    RATE_LIMIT_WINDOW_MS: intFrom(100, 600_000, 2000),
    OUTBOX_GLOBAL_PER_SECOND: intFrom(1, 1000, 30),
    OUTBOX_PRIVATE_PER_SECOND: intFrom(1, 100, 1),
    OUTBOX_GROUP_PER_MINUTE: intFrom(1, 1000, 20),
    OUTBOX_MAX_ATTEMPTS: intFrom(1, 100, 8),
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
  })
  .superRefine((c, ctx) => {
    if (c.BOT_MODE === "webhook" && !c.WEBHOOK_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_URL"],
        message: "is required when BOT_MODE=webhook",
      });
    }
  });

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]),
  );
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((i) => `${i.path.join(".") || "(config)"} ${i.message}`),
  );
}
