// Structured logs with pino: JSON in production, pretty in development. The correlation id of
// the current update or job run is added to every line. Tokens, API keys, secrets and request
// signatures never reach a log line: redact paths for the usual shapes, a scrub of every logged
// object (secret-named keys at any depth, secrets inside strings such as a signed URL's query),
// and error serializers that scrub messages and stacks.
import pino, { type Logger } from "pino";
import { currentCorrelationId } from "./lib/correlation.ts";
import { REDACTED, scrubText, scrubValue } from "./lib/secrets/scrub.ts";

export type { Logger };

export interface LoggerOptions {
  level: string;
  format?: "json" | "pretty";
  /** secrets to mask if they ever appear in a message */
  secrets?: string[];
  /** where lines go (tests capture them); stdout by default */
  destination?: pino.DestinationStream;
}

/** The usual places secrets sit in logged objects (cheap; scrubValue catches the rest). */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "secret",
  "*.secret",
  "*.*.secret",
  "apiKey",
  "*.apiKey",
  "*.*.apiKey",
  "password",
  "*.password",
  "passphrase",
  "*.passphrase",
  "signature",
  "*.signature",
  "headers.authorization",
  "*.headers.authorization",
  'headers["X-MBX-APIKEY"]',
  '*.headers["X-MBX-APIKEY"]',
  "credentials",
  "*.credentials",
];

/** pino's error serializer, then secrets scrubbed from message, stack and any other field. */
function scrubbedError(error: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(error as Error);
  // pino's serialized error has a prototype of its own: copy it into a plain record to walk it
  return serialized && typeof serialized === "object" ? scrubValue({ ...serialized }) : serialized;
}

export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.format
    ? options.format === "pretty"
    : process.stdout.isTTY && process.env.NODE_ENV !== "production";
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  const settings: pino.LoggerOptions = {
    level: options.level,
    base: undefined,
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId ? { cid: correlationId } : {};
    },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { err: scrubbedError, error: scrubbedError },
    formatters: {
      // errors at the top level are left to the serializers above (they keep their type)
      log: (object) => {
        let out: Record<string, unknown> | null = null;
        for (const [key, value] of Object.entries(object)) {
          if (value instanceof Error) continue;
          const scrubbed = scrubValue({ [key]: value }) as Record<string, unknown>;
          if (scrubbed[key] !== value) (out ??= { ...object })[key] = scrubbed[key];
        }
        return out ?? object;
      },
    },
    hooks: {
      logMethod(args, method) {
        args = args.map((a) =>
          typeof a === "string"
            ? scrubText(secrets.reduce((s, secret) => s.split(secret).join(REDACTED), a))
            : a,
        ) as typeof args;
        method.apply(this, args);
      },
    },
    ...(pretty && !options.destination
      ? {
          transport: {
            target: "pino-pretty",
            options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" },
          },
        }
      : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
