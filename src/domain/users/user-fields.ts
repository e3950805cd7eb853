// A person's fields as they are checked on input and shown to others: the time zone in the tz
// database's spelling, a supported language code, and the name an admin or a notice uses.
import type { User } from "../../db/generated/sqlite/client.ts";
import { canonicalTimeZone } from "../../lib/time.ts";
import { ValidationError } from "../errors.ts";

export function checkTimeZone(zone: string): string {
  // stored as the tz database spells it, however it was typed
  const canonical = canonicalTimeZone(zone);
  if (!canonical)
    throw new ValidationError("timeZone", "error-invalid-time-zone", {
      value: zone,
      example: "Europe/Berlin",
    });
  return canonical;
}

/** The language code as stored (lower case), when it is one of `supported`. */
export function checkLanguage(language: string, supported: readonly string[]): string {
  const code = language.trim().toLowerCase();
  if (!supported.includes(code)) {
    throw new ValidationError("language", "error-unsupported-language", {
      value: language,
      supported: supported.join(", "),
    });
  }
  return code;
}

export function displayName(
  user: Pick<User, "firstName" | "lastName" | "username" | "telegramUserId">,
): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return name || (user.username ? `@${user.username}` : user.telegramUserId);
}
