// Time zones are stored as the tz database spells them, however they were typed.
import { describe, expect, it } from "vitest";
import { checkTimeZone } from "../../src/domain/users/user-service.ts";
import { canonicalTimeZone } from "../../src/lib/time.ts";

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
