// When an alert fires, as a pure decision: crossing vs level semantics, targets of crosses,
// cooldowns of repeating alerts, one-shot alerts ignoring the cooldown.
import { describe, expect, it } from "vitest";
import type { AlertCondition, AlertOptions } from "../../../src/domain/alerts/alert-config.ts";
import { decideTrigger, readState } from "../../../src/domain/alerts/alert-trigger.ts";

const level: AlertCondition = {
  kind: "PRICE_LEVEL",
  symbol: "BTCUSDT",
  direction: "above",
  level: "1",
};
const crossUp: AlertCondition = {
  kind: "MACD_CROSS",
  symbol: "BTCUSDT",
  interval: "1h",
  indicator: { kind: "MACD", fast: 12, slow: 26, signal: 9 },
  direction: "up",
};
const crossAny: AlertCondition = { ...crossUp, direction: "any" };
const opts = (over: Partial<AlertOptions> = {}): AlertOptions => ({
  trigger: "cross",
  once: false,
  cooldownMs: 60_000,
  severity: "WARNING",
  ...over,
});
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe("decideTrigger", () => {
  it("crossing semantics: fires only when the condition becomes true", () => {
    expect(decideTrigger(level, opts(), "out", "in", null, at(0)).fire).toBe(true);
    expect(decideTrigger(level, opts(), "in", "in", null, at(0)).fire).toBe(false);
    expect(decideTrigger(level, opts(), "in", "out", null, at(0)).fire).toBe(false);
    // no baseline: record, do not fire
    expect(decideTrigger(level, opts(), null, "in", null, at(0)).fire).toBe(false);
    expect(decideTrigger(level, opts(), "out", null, null, at(0)).fire).toBe(false);
  });

  it("level semantics: fires whenever the condition holds", () => {
    expect(decideTrigger(level, opts({ trigger: "level" }), "in", "in", null, at(0)).fire).toBe(
      true,
    );
    expect(decideTrigger(level, opts({ trigger: "level" }), null, "in", null, at(0)).fire).toBe(
      true,
    );
    expect(decideTrigger(level, opts({ trigger: "level" }), "in", "out", null, at(0)).fire).toBe(
      false,
    );
  });

  it("crosses fire on the sides their direction names", () => {
    expect(decideTrigger(crossUp, opts(), "below", "above", null, at(0)).fire).toBe(true);
    expect(decideTrigger(crossUp, opts(), "above", "below", null, at(0)).fire).toBe(false);
    expect(decideTrigger(crossAny, opts(), "above", "below", null, at(0)).fire).toBe(true);
    expect(decideTrigger(crossAny, opts(), "below", "above", null, at(0)).fire).toBe(true);
  });

  it("holds back a repeating alert inside its cooldown, not a one-shot one", () => {
    const held = decideTrigger(level, opts(), "out", "in", at(0), at(59));
    expect(held).toEqual({ fire: false, heldByCooldown: true });
    expect(decideTrigger(level, opts(), "out", "in", at(0), at(60)).fire).toBe(true);
    expect(decideTrigger(level, opts({ once: true }), "out", "in", at(0), at(1)).fire).toBe(true);
  });

  it("reads stored state defensively", () => {
    expect(readState(null)).toEqual({ side: null });
    expect(readState({ side: "sideways" })).toEqual({ side: null });
    expect(readState({ side: "in", peak: "10", peakSide: "long" })).toEqual({
      side: "in",
      peak: "10",
      peakSide: "long",
    });
  });
});
