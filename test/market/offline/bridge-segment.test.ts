import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SegmentSpec, buildSegment } from "../../../src/market/offline/bridge-segment.ts";

const segmentSpec = fc
  .record({
    key: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    steps: fc.integer({ min: 1, max: 60 }),
    open: fc.double({ min: -1, max: 1, noNaN: true }),
    move: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    variance: fc.double({ min: 0, max: 1e-3, noNaN: true }),
    upExtra: fc.double({ min: 0, max: 0.05, noNaN: true }),
    downExtra: fc.double({ min: 0, max: 0.05, noNaN: true }),
    lots: fc.integer({ min: 0, max: 2 ** 40 }),
    fitted: fc.boolean(),
    jumpStep: fc.option(fc.integer({ min: 0, max: 59 }), { nil: null }),
  })
  .map((r): SegmentSpec => {
    const close = r.open + r.move;
    return {
      key: r.key,
      steps: r.steps,
      open: r.open,
      close,
      variance: r.variance,
      varianceShares: null,
      volumeProfile: null,
      lots: r.lots,
      jump: r.jumpStep === null ? null : { size: r.move / 2, step: r.jumpStep % r.steps },
      fit: r.fitted
        ? { high: Math.max(r.open, close) + r.upExtra, low: Math.min(r.open, close) - r.downExtra }
        : null,
    };
  });

describe("buildSegment", () => {
  it("starts at open, ends at close, keeps every sub-bar consistent and splits volume exactly", () => {
    fc.assert(
      fc.property(segmentSpec, (spec) => {
        const bars = buildSegment(spec);
        expect(bars.points[0]).toBe(spec.open);
        expect(bars.points[spec.steps]).toBe(spec.close);
        let lots = 0;
        for (let i = 0; i < spec.steps; i++) {
          const hi = bars.high[i]!;
          const lo = bars.low[i]!;
          expect(hi).toBeGreaterThanOrEqual(Math.max(bars.points[i]!, bars.points[i + 1]!));
          expect(lo).toBeLessThanOrEqual(Math.min(bars.points[i]!, bars.points[i + 1]!));
          expect(Number.isInteger(bars.volume[i])).toBe(true);
          expect(bars.volume[i]).toBeGreaterThanOrEqual(0);
          lots += bars.volume[i]!;
        }
        expect(lots).toBe(spec.lots);
      }),
    );
  });

  it("reproduces the parent's high and low exactly when fitted", () => {
    fc.assert(
      fc.property(
        segmentSpec.filter((s) => s.fit !== null),
        (spec) => {
          const bars = buildSegment(spec);
          expect(Math.max(...bars.high)).toBe(spec.fit!.high);
          expect(Math.min(...bars.low)).toBe(spec.fit!.low);
        },
      ),
    );
  });

  it("is a pure function of its spec", () => {
    fc.assert(
      fc.property(segmentSpec, (spec) => {
        const a = buildSegment(spec);
        buildSegment({ ...spec, key: spec.key ^ 1 });
        const b = buildSegment(spec);
        expect(b).toEqual(a);
      }),
    );
  });

  it("puts the jump inside its step", () => {
    const bars = buildSegment({
      key: 7,
      steps: 60,
      open: 0,
      close: 0.1,
      variance: 1e-8,
      varianceShares: null,
      volumeProfile: null,
      lots: 1000,
      jump: { size: 0.1, step: 30 },
      fit: null,
    });
    const moves = Array.from({ length: 60 }, (_, i) => bars.points[i + 1]! - bars.points[i]!);
    const biggest = moves.indexOf(Math.max(...moves));
    expect(biggest).toBe(30);
    expect(moves[30]).toBeGreaterThan(0.09);
  });

  it("refuses more steps than its scratch space holds", () => {
    expect(() =>
      buildSegment({
        key: 1,
        steps: 61,
        open: 0,
        close: 0,
        variance: 0,
        varianceShares: null,
        volumeProfile: null,
        lots: 0,
        jump: null,
        fit: null,
      }),
    ).toThrow(RangeError);
  });
});
