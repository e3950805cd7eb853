// When an evaluated alert fires (pure: no database, no clock).
//
// Each evaluation reduces the condition to a "side": "in"/"out" for level conditions (price at or
// above a level, RSI at or below 30, a band touched, ...), "above"/"below" for crosses (fast MA
// against slow MA, MACD against its signal). The alert's target sides are "in", or the side(s) a
// cross ends on ("up" → above, "down" → below, "any" → either).
//
//   trigger "cross" (default): fire when the side changes into a target side since the previous
//     evaluation. No previous side (the first evaluation, data was missing) records the side
//     without firing: an alert never fires just because its condition already held when it was
//     created — the baseline is taken at creation.
//   trigger "level": fire at every evaluation that finds a target side.
//   repeating alerts fire at most once per cooldown: a firing due inside the cooldown is dropped
//     (the side is still recorded, so a cross that happened during the cooldown is not replayed
//     afterwards). One-shot alerts are deactivated by their firing.
import type { AlertCondition, AlertOptions } from "./alert-config.ts";

export type Side = "in" | "out" | "above" | "below";

/** What the evaluator remembers between runs (Alert.state). */
export interface AlertState {
  side: Side | null;
  /** POSITION_DRAWDOWN: the best price seen for the position (decimal string) */
  peak?: string | null;
  /** POSITION_DRAWDOWN: "long" or "short", so a position that flips starts a new peak */
  peakSide?: "long" | "short" | null;
}

export const EMPTY_STATE: AlertState = { side: null };

export function targetSides(c: AlertCondition): readonly Side[] {
  if (c.kind === "MA_CROSS" || c.kind === "MACD_CROSS") {
    return c.direction === "up"
      ? ["above"]
      : c.direction === "down"
        ? ["below"]
        : ["above", "below"];
  }
  return ["in"];
}

export interface TriggerDecision {
  fire: boolean;
  /** the condition called for a firing, but the cooldown of a repeating alert held it back */
  heldByCooldown: boolean;
}

export function decideTrigger(
  condition: AlertCondition,
  options: AlertOptions,
  previous: Side | null,
  current: Side | null,
  lastTriggeredAt: Date | null,
  now: Date,
): TriggerDecision {
  if (current === null || !targetSides(condition).includes(current)) {
    return { fire: false, heldByCooldown: false };
  }
  const due = options.trigger === "level" || (previous !== null && previous !== current);
  if (!due) return { fire: false, heldByCooldown: false };
  const cooling =
    !options.once &&
    lastTriggeredAt !== null &&
    now.getTime() - lastTriggeredAt.getTime() < options.cooldownMs;
  return { fire: !cooling, heldByCooldown: cooling };
}

/** Reads Alert.state from JSON, tolerating rows written by older versions. */
export function readState(raw: unknown): AlertState {
  if (typeof raw !== "object" || raw === null) return { ...EMPTY_STATE };
  const o = raw as Record<string, unknown>;
  const side = ["in", "out", "above", "below"].includes(o.side as string) ? (o.side as Side) : null;
  const state: AlertState = { side };
  if (typeof o.peak === "string") state.peak = o.peak;
  if (o.peakSide === "long" || o.peakSide === "short") state.peakSide = o.peakSide;
  return state;
}

export function sameState(a: AlertState, b: AlertState): boolean {
  return (
    a.side === b.side &&
    (a.peak ?? null) === (b.peak ?? null) &&
    (a.peakSide ?? null) === (b.peakSide ?? null)
  );
}
