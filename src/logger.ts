// Structured logs with pino: JSON in production, pretty in development. The correlation id of
// the current update or job run is added to every line; tokens never reach a log line.
import pino, { type Logger } from "pino";
import { currentCorrelationId } from "./lib/correlation.ts";

export type { Logger };

export interface LoggerOptions {
  level: string;
  format?: "json" | "pretty";
  /** secrets to mask if they ever appear in a message */
  secrets?: string[];
}

export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.format
    ? options.format === "pretty"
    : process.stdout.isTTY && process.env.NODE_ENV !== "production";
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  return pino({
    level: options.level,
    base: undefined,
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId ? { cid: correlationId } : {};
    },
    redact: {
      paths: [
        "token",
        "*.token",
        "secret",
        "*.secret",
        "apiKey",
        "*.apiKey",
        "headers.authorization",
      ],
      censor: "[redacted]",
    },
    hooks: {
      logMethod(args, method) {
        if (secrets.length) {
          args = args.map((a) =>
            typeof a === "string"
              ? secrets.reduce((s, secret) => s.split(secret).join("[redacted]"), a)
              : a,
          ) as typeof args;
        }
        method.apply(this, args);
      },
    },
    ...(pretty
      ? {
          transport: {
            target: "pino-pretty",
            options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" },
          },
        }
      : {}),
  });
}
