// Time zones are stored as the tz database spells them, however they were typed.
import { describe, expect, it } from "vitest";
import { checkTimeZone } from "../../src/domain/users/user-fields.ts";
import { canonicalTimeZone, parsePeriod, periodRange } from "../../src/lib/time.ts";

describe("canonicalTimeZone", () => {
  it("spells zones the way the tz database does", () => {
    expect(canonicalTimeZone("asia/kolkata")).toBe("Asia/Kolkata");
    expect(canonicalTimeZone(" america/new_york ")).toBe("America/New_York");
    expect(canonicalTimeZone("AMERICA/PORT-AU-PRINCE")).toBe("America/Port-au-Prince");
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
  });

  it("refuses what is not a zone", () => {
    expect(canonicalTimeZone("каждый день")).toBeNull();
    expect(canonicalTimeZone("Mars/Olympus")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
    expect(() => checkTimeZone("Mars/Olympus")).toThrow();
    expect(checkTimeZone("asia/kolkata")).toBe("Asia/Kolkata");
  });
});

describe("periodRange yesterday", () => {
  it("is the whole previous local day, 23 hours long after the spring-forward night", () => {
    // Berlin springs forward on 2026-03-29: that day has 23 hours
    const at = new Date("2026-03-30T10:00:00Z");
    const { from, to } = periodRange("yesterday", at, "Europe/Berlin");
    expect(from.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(to.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(parsePeriod("Yesterday")).toBe("yesterday");
    expect(parsePeriod("yday")).toBe("yesterday");
    for (const word of ["constructor", "__proto__", "toString", "hasOwnProperty"])
      expect(parsePeriod(word), word).toBeNull();
  });
});
