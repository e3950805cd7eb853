// Typed access to a method's parameters. Form bodies carry everything as strings, JSON bodies
// carry native values; Telegram accepts both, so every accessor accepts both too.
import { badRequest, type ApiError } from "./api-error.ts";
import type { MultipartFile } from "./multipart.ts";

/** Parameters that hold JSON objects/arrays (sent JSON-encoded inside form bodies). */
const JSON_FIELDS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "scope",
  "commands",
  "allowed_updates",
  "reply_parameters",
  "link_preview_options",
]);

export class Params {
  constructor(
    readonly raw: Readonly<Record<string, unknown>>,
    readonly files: ReadonlyMap<string, MultipartFile> = new Map(),
  ) {}

  has(name: string): boolean {
    const value = this.raw[name];
    return value !== undefined && value !== null && value !== "";
  }

  /** A string parameter; numbers and booleans are stringified as Telegram does. */
  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
  }

  /** Integers are parsed leniently, like the Bot API: garbage reads as 0. */
  int(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    const n = typeof value === "number" ? value : Number.parseInt(String(value), 10);
    return Number.isFinite(n) ? Math.trunc(n) : 0;
  }

  bool(name: string): boolean {
    const value = this.raw[name];
    return value === true || value === "true" || value === "1" || value === 1;
  }

  /** A JSON-valued parameter: decoded when it arrived as a string, else taken as is. */
  json<T>(name: string, parseError: () => ApiError): T | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw parseError();
    }
  }

  /** chat_id, required: a number, a numeric string or "@username". */
  chatId(): number | string {
    const value = this.string("chat_id");
    if (value === undefined || value === "") throw badRequest("chat_id is empty");
    return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value.trim();
  }

  /** The parameters as recorded for tests: JSON fields decoded, everything else as received. */
  normalized(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.raw)) {
      if (JSON_FIELDS.has(key) && typeof value === "string") {
        try {
          out[key] = JSON.parse(value) as unknown;
          continue;
        } catch {
          // keep the undecodable string: the handler reports the error
        }
      }
      out[key] = value;
    }
    return out;
  }
}
