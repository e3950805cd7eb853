// Small checks shared by the JSON configurations users build (alerts, screeners): an object where
// one is expected, and a value from a fixed list (the list is offered back as suggestions).
import { ValidationError } from "./errors.ts";

export type RawConfig = Record<string, unknown>;

/** `raw` as a plain object, or a ValidationError with `key` naming what was expected. */
export function asRecord(raw: unknown, field: string, key: string): RawConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ValidationError(field, key);
  }
  return raw as RawConfig;
}

/** `value` if it is one of `allowed`; otherwise an error listing them (and offering them). */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new ValidationError(
    field,
    "error-alert-choice",
    { value: String(value ?? "—"), allowed: allowed.join(", ") },
    [...allowed],
  );
}
