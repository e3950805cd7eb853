// User-chosen names (portfolios, accounts, screeners, schedules, ...): trimmed, 1–40 characters,
// no control characters. Returned canonical so uniqueness checks compare like with like.
import { ValidationError } from "./errors.ts";

export const MAX_NAME_LENGTH = 40;

export function cleanName(field: string, raw: string): string {
  const name = raw.replace(/\s+/g, " ").trim();
  if (!name) throw new ValidationError(field, "error-name-empty");
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ValidationError(field, "error-name-invalid");
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new ValidationError(field, "error-name-too-long", { max: MAX_NAME_LENGTH });
  }
  return name;
}

/** Currency or asset codes: 2–10 letters/digits, upper-cased. */
export function cleanCurrency(field: string, raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,10}$/.test(code))
    throw new ValidationError(field, "error-currency-invalid", { value: raw });
  return code;
}
