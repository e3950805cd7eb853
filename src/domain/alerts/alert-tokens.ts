// The words of the quick alert syntax (alert-syntax.ts) read one at a time: numbers, percents,
// cross directions and intervals, and the ValidationErrors that name the word a reader stopped
// at, so the user is told which word was wrong and what it needed.
import { parseNumberInput } from "../../lib/decimal.ts";
import { type Interval, parseInterval } from "../../market/types.ts";
import { numberInputError } from "../bounds.ts";
import { ValidationError } from "../errors.ts";
import type { CrossDirection } from "./alert-config.ts";

const FIELD = "alertSyntax";

export function usage(): never {
  throw new ValidationError(FIELD, "error-alert-usage");
}

export function unknownWord(word: string): never {
  throw new ValidationError(FIELD, "error-alert-unknown-word", { word });
}

export function needs(key: string, after: string): never {
  throw new ValidationError(FIELD, key, { after });
}

/** A number token ("30", "2,5", "3x" for multipliers); `after` names the word it follows. */
export function numberToken(token: string | undefined, after: string, allowX = false): string {
  const text = allowX ? token?.replace(/x$/i, "") : token;
  const parsed = text === undefined ? null : parseNumberInput(text.replace(/^\$/, ""));
  // "1,000": a thousand or one? Said so, rather than "needs a number"
  if (parsed && !parsed.ok && parsed.problem === "ambiguous")
    numberInputError("alertLevel", text!, parsed);
  if (!parsed?.ok) needs("error-alert-needs-number", after);
  return parsed.value.toFixed();
}

export function percentToken(token: string | undefined, after: string): string {
  if (!token?.endsWith("%")) needs("error-alert-needs-percent", after);
  return numberToken(token.slice(0, -1), after);
}

export function crossDirection(token: string | undefined): CrossDirection | null {
  switch (token?.toLowerCase()) {
    case "up":
    case "above":
      return "up";
    case "down":
    case "below":
      return "down";
    case undefined:
      return "any";
    default:
      return null;
  }
}

/** Takes the first interval word out of the list ("1h", "4h", "1d", "daily"...). */
export function takeInterval(words: string[]): Interval | null {
  const at = words.findIndex((w) => !/^[\d.,%$+-]+x?$/i.test(w) && parseInterval(w) !== null);
  if (at < 0) return null;
  const interval = parseInterval(words[at]!)!;
  words.splice(at, 1);
  return interval;
}
