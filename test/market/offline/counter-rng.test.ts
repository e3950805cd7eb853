import { describe, expect, it } from "vitest";
import { gaussian, hash4, hashText, mix32, unit } from "../../../src/market/offline/counter-rng.ts";

describe("counter-based randomness", () => {
  it("is a pure function of its inputs", () => {
    expect(hash4(1, 2, 3, 4)).toBe(hash4(1, 2, 3, 4));
    expect(hash4(1, 2, 3, 4)).not.toBe(hash4(1, 2, 3, 5));
    expect(hash4(1, -2)).not.toBe(hash4(1, 2));
    expect(hashText("BTCUSDT")).toBe(hashText("BTCUSDT"));
    expect(hashText("BTCUSDT")).not.toBe(hashText("ETHUSDT"));
  });

  it("gives unsigned 32-bit hashes and uniforms strictly inside (0, 1)", () => {
    for (const x of [0, 1, -1, 0xffffffff, 2 ** 31]) {
      const h = mix32(x);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
    expect(unit(0)).toBeGreaterThan(0);
    expect(unit(0xffffffff)).toBeLessThan(1);
  });

  it("draws standard normals from consecutive counters", () => {
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let beyond3 = 0;
    for (let i = 0; i < n; i++) {
      const z = gaussian(hash4(42, i, 0), hash4(42, i, 1));
      sum += z;
      squares += z * z;
      if (Math.abs(z) > 3) beyond3++;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - mean * mean - 1)).toBeLessThan(0.02);
    // 0.27 % of a normal lies beyond 3 sigma
    expect(beyond3 / n).toBeGreaterThan(0.002);
    expect(beyond3 / n).toBeLessThan(0.0035);
  });
});
