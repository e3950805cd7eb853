// Numbers typed into the order conversation, checked at the step where they are typed: the one
// parser (parseNumberInput) and the domain's bounds (domain/bounds.ts), so a quantity nobody can
// store is refused at the quantity step, not after the card. Lot, tick and minimums are checked
// by the domain when the card is built (with the nearest valid values offered as buttons).
import { type NumberKind, readNumber } from "../../../domain/bounds.ts";
import { isDomainError } from "../../../domain/errors.ts";
import type { Decimal } from "../../../lib/decimal.ts";
import { describeDomainError } from "../../errors.ts";
import type { Translate } from "../../i18n.ts";

/** A number a person may type for a quantity or price: positive (the domain checks the rest). */
export function isValidOrderNumber(value: Decimal): boolean {
  return value.isFinite() && value.gt(0);
}

/**
 * The typed text as a positive number of `kind` named `field`, or the localized reason to ask
 * again with.
 */
export function checkTypedNumber(
  text: string,
  field: string,
  kind: NumberKind,
  t: Translate,
): { value: Decimal } | { error: string } {
  try {
    const value = readNumber(field, text, kind);
    if (!isValidOrderNumber(value))
      return { error: t("entry-not-positive", { value: text.trim().slice(0, 20) }) };
    return { value };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { error: `${describeDomainError(t, e)}\n${t("entry-try-again")}` };
  }
}
