// The building blocks the kinds' parameter schemas share: the kind tag, candle intervals, exact
// decimals, whole numbers and case-insensitive choices. Custom problems carry their i18n key in
// the issue's params, which params.ts turns into a ValidationError naming the parameter. Kept
// apart from params.ts so that the kinds never import the registry (which imports them).
import { z } from "zod";
import { Decimal, parseNumberInput } from "../../lib/decimal.ts";
import { INTERVALS, type Interval, parseInterval } from "../../market/intervals.ts";
import type { StrategyKind } from "../types.ts";

/** The `kind` tag stored with the parameters; optional so a schema also reads bare parameters. */
export function kindTag<K extends StrategyKind>(kind: K) {
  return z.literal(kind).optional();
}

/** A candle interval as people write it ("1h", "4H", "daily"). */
export function intervalField(fallback: Interval) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx): Interval => {
      const interval = parseInterval(text);
      if (interval) return interval;
      ctx.addIssue({
        code: "custom",
        message: "bad interval",
        params: {
          key: "error-strategy-param-interval",
          value: text,
          allowed: INTERVALS.join(", "),
        },
      });
      return z.NEVER;
    });
}

interface DecimalBounds {
  /** smallest allowed value (inclusive unless `above` is set) */
  min: Decimal;
  max: Decimal;
  /** the value must be strictly greater than `min` */
  above?: boolean;
}

/**
 * An exact decimal given as a JSON number or a string ("2.5", "2,5"), read through its text so a
 * float never rounds it, within bounds. Stored back as a string (Decimal's toJSON).
 */
export function decimalField(bounds: DecimalBounds) {
  return z.union([z.string(), z.number()]).transform((raw, ctx): Decimal => {
    const parsed = parseNumberInput(String(raw));
    if (!parsed.ok) {
      ctx.addIssue({
        code: "custom",
        message: "not a number",
        params: { key: "error-strategy-param-number", value: String(raw) },
      });
      return z.NEVER;
    }
    const value = parsed.value;
    const low = bounds.above ? !value.gt(bounds.min) : value.lt(bounds.min);
    if (low || value.gt(bounds.max)) {
      ctx.addIssue({
        code: "custom",
        message: "out of range",
        params: {
          key: bounds.above ? "error-strategy-param-range-above" : "error-strategy-param-range",
          value: value.toFixed(),
          min: bounds.min.toFixed(),
          max: bounds.max.toFixed(),
        },
      });
      return z.NEVER;
    }
    return value;
  });
}

/** A whole number in [min, max], given as a JSON number or digits in a string. */
export function integerField(min: number, max: number) {
  return z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\s*\d+\s*$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));
}

/** Case-insensitive choice ("ema" for "EMA"). */
export function choiceField<const T extends readonly [string, ...string[]]>(options: T) {
  return z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.enum(options));
}

/** `n` as a plain decimal string for state (JSON has no exact decimals). */
export const decimalText = (n: Decimal): string => n.toFixed();
export const decimalOf = (text: string | null | undefined): Decimal | null =>
  text === null || text === undefined ? null : new Decimal(text);

/** quantity > 0, without the Decimal that `gt(0)` builds for its argument on every call */
export const isLong = (quantity: Decimal): boolean => !quantity.isZero() && quantity.isPos();
