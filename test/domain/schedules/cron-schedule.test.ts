// Cron expressions of schedules: what is refused and how it is explained, and run times in a
// user's zone across daylight-saving changes (Europe/Berlin, America/New_York).
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
import {
  CRON_EXAMPLE,
  SCHEDULE_PRESETS,
  checkCron,
  checkScheduleTimeZone,
  countRunsBetween,
  latestRunAtOrBefore,
  nextRunAfter,
  nextRuns,
  presetOf,
} from "../../../src/domain/schedules/cron-schedule.ts";

const FROM = new Date("2026-03-20T12:00:00Z");
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("checkCron", () => {
  it("accepts five fields and keeps them tidy", () => {
    expect(checkCron("  0   9 * *  1-5 ", "UTC", FROM)).toBe("0 9 * * 1-5");
    expect(checkCron("30 7 * * MON", "Europe/Berlin", FROM)).toBe("30 7 * * MON");
  });

  it("explains a malformed expression by the field that is wrong, with an example", () => {
    const e = validationError(() => checkCron("61 * * * *", "UTC", FROM));
    expect(e.key).toBe("error-schedule-cron-invalid");
    expect(e.field).toBe("scheduleCron");
    expect(e.params).toMatchObject({ problem: "field", field: "minute", value: "61" });
    expect(e.params.example).toBe(CRON_EXAMPLE);
    expect(validationError(() => checkCron("0 9 * 13 *", "UTC", FROM)).params).toMatchObject({
      problem: "field",
      field: "month",
      value: "13",
    });

    const parts = validationError(() => checkCron("0 9 * *", "UTC", FROM));
    expect(parts.key).toBe("error-schedule-cron-invalid");
    expect(parts.params).toMatchObject({ problem: "count", count: 4 });
    // words, not a cron: no English from croner in the parameters
    const words = validationError(() => checkCron("каждый день", "UTC", FROM));
    expect(words.params).toMatchObject({ problem: "count", count: 2 });
    expect(Object.values(words.params).join(" ")).not.toMatch(/exactly|six|seven/i);
  });

  it("refuses seconds (six fields): users type minutes", () => {
    const e = validationError(() => checkCron("0 0 9 * * *", "UTC", FROM));
    expect(e.key).toBe("error-schedule-cron-invalid");
    expect(e.params).toMatchObject({ problem: "count", count: 6 });
  });

  it("refuses dates that never come, such as 31 February", () => {
    const e = validationError(() => checkCron("0 0 31 2 *", "UTC", FROM));
    expect(e.key).toBe("error-schedule-cron-never");
    expect(e.params).toMatchObject({ cron: "0 0 31 2 *", example: CRON_EXAMPLE });
  });

  it("refuses expressions that would flood a chat", () => {
    expect(validationError(() => checkCron("* * * * *", "UTC", FROM)).key).toBe(
      "error-schedule-cron-too-frequent",
    );
    expect(validationError(() => checkCron("*/5 9 * * *", "UTC", FROM)).key).toBe(
      "error-schedule-cron-too-frequent",
    );
    expect(checkCron("*/15 9 * * *", "UTC", FROM)).toBe("*/15 9 * * *");
  });

  it("refuses an empty expression with an example", () => {
    const e = validationError(() => checkCron("   ", "UTC", FROM));
    expect(e.key).toBe("error-schedule-cron-empty");
    expect(e.params.example).toBe(CRON_EXAMPLE);
  });
});

describe("checkScheduleTimeZone", () => {
  it("accepts IANA zones and explains anything else with an example", () => {
    expect(checkScheduleTimeZone(" Europe/Berlin ")).toBe("Europe/Berlin");
    const e = validationError(() => checkScheduleTimeZone("Mars/Olympus"));
    expect(e.key).toBe("error-schedule-time-zone-invalid");
    expect(e.field).toBe("timeZone");
    expect(e.params).toMatchObject({ value: "Mars/Olympus", example: "Europe/Berlin" });
  });
});

describe("run times across daylight-saving changes", () => {
  it("keeps 09:00 on weekdays at 09:00 Berlin time before and after the March change", () => {
    // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026
    const runs = nextRuns(
      SCHEDULE_PRESETS.weekdays,
      "Europe/Berlin",
      4,
      new Date("2026-03-26T12:00:00Z"),
    );
    expect(iso(runs)).toEqual([
      "2026-03-27T08:00:00.000Z", // Fri 09:00 CET
      "2026-03-30T07:00:00.000Z", // Mon 09:00 CEST
      "2026-03-31T07:00:00.000Z",
      "2026-04-01T07:00:00.000Z",
    ]);
  });

  it("keeps 09:00 daily at 09:00 Berlin time across the October change", () => {
    // back to UTC+1 on Sunday 25 October 2026
    const runs = nextRuns("0 9 * * *", "Europe/Berlin", 3, new Date("2026-10-24T00:00:00Z"));
    expect(iso(runs)).toEqual([
      "2026-10-24T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
    ]);
  });

  it("keeps 09:00 at 09:00 New York time across both US changes", () => {
    // EST → EDT on 8 March 2026, EDT → EST on 1 November 2026
    expect(
      iso(nextRuns("0 9 * * *", "America/New_York", 3, new Date("2026-03-07T00:00:00Z"))),
    ).toEqual(["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
    expect(
      iso(nextRuns("0 9 * * *", "America/New_York", 2, new Date("2026-10-31T20:00:00Z"))),
    ).toEqual(["2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"]);
  });

  it("runs a time in the spring-forward gap once, at the first valid minute, and a repeated autumn time once", () => {
    expect(
      iso(nextRuns("30 2 * * *", "Europe/Berlin", 2, new Date("2026-03-28T12:00:00Z"))),
    ).toEqual([
      "2026-03-29T01:00:00.000Z", // 03:00 CEST: 02:30 does not exist that day
      "2026-03-30T00:30:00.000Z",
    ]);
    expect(
      iso(nextRuns("30 2 * * *", "Europe/Berlin", 2, new Date("2026-10-24T12:00:00Z"))),
    ).toEqual([
      "2026-10-25T00:30:00.000Z", // the first of the two 02:30s
      "2026-10-26T01:30:00.000Z",
    ]);
  });
});

describe("helpers for the runner", () => {
  it("finds the latest run at or before a moment, including one exactly at it", () => {
    const cron = SCHEDULE_PRESETS.evenings;
    expect(latestRunAtOrBefore(cron, "UTC", new Date("2026-03-20T18:00:00Z"))?.toISOString()).toBe(
      "2026-03-20T18:00:00.000Z",
    );
    expect(latestRunAtOrBefore(cron, "UTC", new Date("2026-03-20T17:59:59Z"))?.toISOString()).toBe(
      "2026-03-19T18:00:00.000Z",
    );
    expect(nextRunAfter(cron, "UTC", new Date("2026-03-20T18:00:00Z"))?.toISOString()).toBe(
      "2026-03-21T18:00:00.000Z",
    );
  });

  it("counts the runs in a window, from inclusive, until exclusive", () => {
    const from = new Date("2026-03-20T18:00:00Z");
    expect(countRunsBetween("0 18 * * *", "UTC", from, new Date("2026-03-23T18:00:00Z"))).toBe(3);
    expect(countRunsBetween("0 18 * * *", "UTC", from, from)).toBe(0);
    expect(countRunsBetween("0 * * * *", "UTC", from, new Date("2027-03-20T18:00:00Z"), 50)).toBe(
      50,
    );
  });

  it("names presets", () => {
    expect(presetOf("0 9 * * 1-5")).toBe("weekdays");
    expect(presetOf("0 9 * * 2")).toBeNull();
  });
});
