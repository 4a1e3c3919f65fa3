import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Period, resolvePeriod } from "../../src/commands/period.ts";

const at = (iso: string) => new Date(iso);

describe("resolving a period in UTC", () => {
  // Wednesday 18 March 2026, 10:00 UTC.
  const now = at("2026-03-18T10:00:00Z");

  it.each([
    [{ kind: "thisWeek" }, "2026-03-16T00:00:00Z", "2026-03-18T10:00:00Z"],
    [{ kind: "lastWeek" }, "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z"],
    [{ kind: "thisMonth" }, "2026-03-01T00:00:00Z", "2026-03-18T10:00:00Z"],
    [{ kind: "lastMonth" }, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"],
    [{ kind: "lastDays", days: 30 }, "2026-02-16T10:00:00Z", "2026-03-18T10:00:00Z"],
    [{ kind: "lastDays", days: 1 }, "2026-03-17T10:00:00Z", "2026-03-18T10:00:00Z"],
  ] satisfies [Period, string, string][])("%j", (period, from, to) => {
    expect(resolvePeriod(period, now)).toEqual({ from: at(from), to: at(to) });
  });

  it("starts this week at now itself when now is Monday midnight", () => {
    const mondayMidnight = at("2026-03-16T00:00:00Z");
    expect(resolvePeriod({ kind: "thisWeek" }, mondayMidnight).from).toEqual(mondayMidnight);
  });

  it("keeps Sunday's last millisecond in the week that began the Monday before", () => {
    const sundayNight = at("2026-03-22T23:59:59.999Z");
    expect(resolvePeriod({ kind: "thisWeek" }, sundayNight).from).toEqual(at("2026-03-16T00:00:00Z"));
    expect(resolvePeriod({ kind: "lastWeek" }, sundayNight).to).toEqual(at("2026-03-16T00:00:00Z"));
  });

  it("goes back into the previous year for last month in January", () => {
    expect(resolvePeriod({ kind: "lastMonth" }, at("2026-01-10T12:00:00Z"))).toEqual({
      from: at("2025-12-01T00:00:00Z"),
      to: at("2026-01-01T00:00:00Z"),
    });
  });

  it("takes last week across a month and year boundary", () => {
    expect(resolvePeriod({ kind: "lastWeek" }, at("2026-01-02T08:00:00Z"))).toEqual({
      from: at("2025-12-22T00:00:00Z"),
      to: at("2025-12-29T00:00:00Z"),
    });
  });
});

describe("resolving a period in a time zone", () => {
  it("begins the week at local midnight, which is the UTC evening before in Amsterdam", () => {
    // Monday 16 March 2026, 00:30 in Amsterdam (UTC+1).
    const now = at("2026-03-15T23:30:00Z");
    expect(resolvePeriod({ kind: "thisWeek" }, now, "Europe/Amsterdam").from).toEqual(
      at("2026-03-15T23:00:00Z"),
    );
    expect(resolvePeriod({ kind: "thisWeek" }, now, "UTC").from).toEqual(at("2026-03-09T00:00:00Z"));
  });

  it("follows daylight saving time: each boundary uses the offset of its own day", () => {
    // Wednesday 1 April 2026; summer time (UTC+2) began on Sunday 29 March.
    const now = at("2026-04-01T12:00:00Z");
    const zone = "Europe/Amsterdam";
    expect(resolvePeriod({ kind: "thisWeek" }, now, zone).from).toEqual(at("2026-03-29T22:00:00Z"));
    expect(resolvePeriod({ kind: "lastWeek" }, now, zone)).toEqual({
      from: at("2026-03-22T23:00:00Z"),
      to: at("2026-03-29T22:00:00Z"),
    });
    expect(resolvePeriod({ kind: "thisMonth" }, now, zone).from).toEqual(at("2026-03-31T22:00:00Z"));
    expect(resolvePeriod({ kind: "lastMonth" }, now, zone).from).toEqual(at("2026-02-28T23:00:00Z"));
  });

  it("ignores the time zone for a rolling number of days", () => {
    const now = at("2026-04-01T12:00:00Z");
    expect(resolvePeriod({ kind: "lastDays", days: 7 }, now, "Pacific/Auckland")).toEqual(
      resolvePeriod({ kind: "lastDays", days: 7 }, now, "UTC"),
    );
  });

  it("refuses a time zone that does not exist", () => {
    expect(() => resolvePeriod({ kind: "thisWeek" }, new Date(), "Mars/Olympus")).toThrow(RangeError);
  });

  const zones = [
    "UTC",
    "Europe/Amsterdam",
    "America/New_York",
    "America/Santiago",
    "America/Havana",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
  ];
  const instants = fc.date({
    min: at("2020-01-01T00:00:00Z"),
    max: at("2030-12-31T00:00:00Z"),
    noInvalidDate: true,
  });
  const localParts = (instant: Date, timeZone: string) => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      day: "numeric",
    }).formatToParts(instant);
    return {
      weekday: parts.find((part) => part.type === "weekday")?.value,
      day: Number(parts.find((part) => part.type === "day")?.value),
    };
  };

  it("starts every week on the first local instant of a Monday, in any zone", () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (now, zone) => {
        const { from, to } = resolvePeriod({ kind: "thisWeek" }, now, zone);
        expect(localParts(from, zone).weekday).toBe("Mon");
        expect(localParts(new Date(from.getTime() - 1), zone).weekday).toBe("Sun");
        expect(from.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(to).toEqual(now);
        const last = resolvePeriod({ kind: "lastWeek" }, now, zone);
        expect(last.to).toEqual(from);
        expect(localParts(last.from, zone).weekday).toBe("Mon");
        expect(localParts(new Date(last.from.getTime() - 1), zone).weekday).toBe("Sun");
      }),
      { numRuns: 300 },
    );
  });

  it("starts every month on the first local instant of its first day, in any zone", () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (now, zone) => {
        const { from } = resolvePeriod({ kind: "thisMonth" }, now, zone);
        expect(localParts(from, zone).day).toBe(1);
        expect(localParts(new Date(from.getTime() - 1), zone).day).not.toBe(1);
        expect(from.getTime()).toBeLessThanOrEqual(now.getTime());
        const last = resolvePeriod({ kind: "lastMonth" }, now, zone);
        expect(last.to).toEqual(from);
        expect(localParts(last.from, zone).day).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
