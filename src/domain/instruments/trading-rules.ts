// Order normalization against an instrument's trading rules (tick size, lot size, minimum
// quantity, minimum notional). Pure functions: they either return the canonical values or throw
// a ValidationError naming the field, with the nearest valid values as suggestions.
import {
  type Decimal,
  STORAGE_SCALE,
  bracketByStep,
  isMultipleOf,
  maxDec,
  parseNumberInput,
} from "../../lib/decimal.ts";
import { MAX_NOTIONAL, checkBound, displayLimit, numberInputError } from "../bounds.ts";
import { ValidationError } from "../errors.ts";

export interface TradingRules {
  symbol: string;
  tickSize: Decimal;
  lotSize: Decimal;
  minQty: Decimal;
  minNotional: Decimal;
}

const fmt = (d: Decimal) => d.toFixed();

/** Parses a user-typed positive decimal, naming the field when it is not one. */
export function parsePositive(field: string, text: string | Decimal): Decimal {
  let value: Decimal;
  if (typeof text === "string") {
    const parsed = parseNumberInput(text);
    if (!parsed.ok) numberInputError(field, text, parsed);
    value = parsed.value;
  } else value = text;
  if (!value.isFinite())
    throw new ValidationError(field, "error-not-a-number", { value: String(text) });
  if (!value.gt(0))
    throw new ValidationError(field, "error-must-be-positive", { value: fmt(value) });
  if (value.decimalPlaces() > STORAGE_SCALE) {
    throw new ValidationError(field, "error-too-many-decimals", { max: STORAGE_SCALE });
  }
  return value;
}

export function checkQuantity(rules: TradingRules, quantity: Decimal, field = "quantity"): Decimal {
  if (!quantity.gt(0)) {
    throw new ValidationError(field, "error-must-be-positive", { value: fmt(quantity) });
  }
  checkBound(field, quantity, "quantity");
  if (!isMultipleOf(quantity, rules.lotSize)) {
    const { down, up } = bracketByStep(quantity, rules.lotSize);
    const suggestions = [down, up].filter((q) => q.gte(rules.minQty) && q.gt(0)).map(fmt);
    throw new ValidationError(
      field,
      "error-quantity-lot",
      { value: fmt(quantity), lot: fmt(rules.lotSize), symbol: rules.symbol },
      [...new Set(suggestions)],
    );
  }
  if (quantity.lt(rules.minQty)) {
    throw new ValidationError(
      field,
      "error-quantity-min",
      { value: fmt(quantity), min: fmt(rules.minQty), symbol: rules.symbol },
      [fmt(rules.minQty)],
    );
  }
  return quantity;
}

export function checkPrice(rules: TradingRules, price: Decimal, field = "price"): Decimal {
  if (!price.gt(0))
    throw new ValidationError(field, "error-must-be-positive", { value: fmt(price) });
  checkBound(field, price, "price");
  if (!isMultipleOf(price, rules.tickSize)) {
    const { down, up } = bracketByStep(price, rules.tickSize);
    const suggestions = [down, up].filter((p) => p.gt(0)).map(fmt);
    throw new ValidationError(
      field,
      "error-price-tick",
      { value: fmt(price), tick: fmt(rules.tickSize), symbol: rules.symbol },
      [...new Set(suggestions)],
    );
  }
  return price;
}

/** The smallest quantity on the lot grid whose notional at `price` reaches the minimum. */
export function minQuantityForNotional(rules: TradingRules, price: Decimal): Decimal {
  const raw = rules.minNotional.div(price);
  const onGrid = bracketByStep(raw, rules.lotSize).up;
  return maxDec(onGrid, rules.minQty);
}

export function checkNotional(
  rules: TradingRules,
  quantity: Decimal,
  price: Decimal,
  field = "quantity",
): void {
  const notional = quantity.mul(price);
  if (notional.gt(MAX_NOTIONAL)) {
    throw new ValidationError(field, "error-notional-too-large", {
      max: displayLimit(MAX_NOTIONAL),
      symbol: rules.symbol,
    });
  }
  if (rules.minNotional.isZero()) return;
  if (notional.lt(rules.minNotional)) {
    throw new ValidationError(
      field,
      "error-min-notional",
      {
        value: fmt(quantity),
        notional: fmt(notional.toDecimalPlaces(8)),
        min: fmt(rules.minNotional),
        symbol: rules.symbol,
      },
      [fmt(minQuantityForNotional(rules, price))],
    );
  }
}
