import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { demoRows } from "../../src/ingest/demo.ts";
import {
  checkRecord,
  headerProblems,
  IMPORT_COLUMNS,
  parseTimestamp,
  type RowCheck,
} from "../../src/ingest/row.ts";
import { toImportRecord } from "../../src/ingest/writeCsv.ts";

const VALID: Record<string, unknown> = {
  platform: "Instagram",
  creator: "@Anna.Bakes",
  followers: "12000",
  campaign: "spring-launch",
  post_id: "C1",
  published_at: "2026-03-01T09:00:00Z",
  fee: "250.50",
  captured_at: "2026-03-02T09:00:00+01:00",
  impressions: "1000",
  reach: "800",
  views: "",
  likes: "90",
  comments: "8",
  shares: "3",
  saves: "5",
  clicks: "12",
  redemptions: "2",
  conversions: "1",
  revenue: "39.95",
};

function check(values: Record<string, unknown>, where = "line 7"): RowCheck {
  return checkRecord({ where, values });
}

function problemOf(values: Record<string, unknown>, where = "line 7"): string {
  const result = check(values, where);
  if (result.ok) throw new Error("expected a problem");
  return result.problem;
}

describe("checkRecord", () => {
  it("normalises platform and handle, and reads a blank counter as not given (null), not 0", () => {
    const result = check(VALID);
    expect(result).toEqual({
      ok: true,
      row: {
        platform: "instagram",
        creator: "anna.bakes",
        followers: 12_000,
        campaign: "spring-launch",
        postId: "C1",
        publishedAt: new Date("2026-03-01T09:00:00Z"),
        fee: 250.5,
        capturedAt: new Date("2026-03-02T08:00:00Z"),
        impressions: 1_000,
        reach: 800,
        views: null,
        likes: 90,
        comments: 8,
        shares: 3,
        saves: 5,
        clicks: 12,
        redemptions: 2,
        conversions: 1,
        revenue: 39.95,
      },
    });
  });

  it("names the line, the column, what it expected and what it got", () => {
    expect(problemOf({ ...VALID, fee: "abc" })).toBe('line 7: fee: expected a decimal number ≥ 0, got "abc"');
    expect(problemOf({ ...VALID, likes: "-3" })).toBe(
      'line 7: likes: expected a whole number ≥ 0 (blank: not given), got "-3"',
    );
    expect(problemOf({ ...VALID, followers: "1.5" })).toBe(
      'line 7: followers: expected a whole number of followers ≥ 0, got "1.5"',
    );
  });

  it("refuses amounts the database could not hold (numeric(14, 2))", () => {
    expect(check({ ...VALID, fee: "999999999999.99" }).ok).toBe(true);
    expect(problemOf({ ...VALID, fee: "1000000000000" })).toBe(
      'line 7: fee: expected a decimal number ≥ 0, got "1000000000000"',
    );
    expect(problemOf({ ...VALID, followers: "2147483648" })).toMatch(/^line 7: followers: expected/);
  });

  it("reports every bad column of a row in one message", () => {
    expect(problemOf({ ...VALID, creator: "", published_at: "yesterday" }, "item 3")).toBe(
      'item 3: creator: expected a creator handle such as @anna.bakes, got ""; ' +
        'published_at: expected an ISO 8601 timestamp with a time zone (e.g. 2026-03-01T09:30:00Z), got "yesterday"',
    );
  });

  it("refuses a snapshot captured before the post was published", () => {
    expect(problemOf({ ...VALID, captured_at: "2026-03-01T08:59:59Z" })).toBe(
      "line 7: captured_at: must not be before published_at (2026-03-01T09:00:00.000Z), got 2026-03-01T08:59:59.000Z",
    );
  });

  it("treats a blank campaign and a blank fee as not stated", () => {
    const result = check({ ...VALID, campaign: " ", fee: "" });
    expect(result.ok && result.row.campaign).toBe(null);
    expect(result.ok && result.row.fee).toBe(null);
  });

  it("accepts JSON numbers and nulls, keeps an explicit 0, and names keys it does not know", () => {
    const result = check({
      ...VALID,
      followers: 12_000,
      fee: 99.5,
      likes: 90,
      views: null,
      shares: 0,
      revenue: 0,
    });
    expect(result.ok && result.row).toMatchObject({
      followers: 12_000,
      fee: 99.5,
      likes: 90,
      views: null,
      shares: 0,
      revenue: 0,
    });
    expect(problemOf({ ...VALID, colour: "blue", mood: 1 }, "item 2")).toBe(
      "item 2: unknown keys colour, mood",
    );
    expect(problemOf({ ...VALID, likes: true }, "item 2")).toBe(
      "item 2: likes: expected a whole number ≥ 0 (blank: not given), got true",
    );
  });

  it("reads optional keys a JSON object leaves out as blank: counters not given", () => {
    const { platform, creator, followers, post_id, published_at, captured_at } = VALID;
    const result = check({ platform, creator, followers, post_id, published_at, captured_at, revenue: "0" });
    expect(result.ok && result.row).toMatchObject({
      campaign: null,
      fee: null,
      likes: null,
      shares: null,
      revenue: 0,
    });
  });

  it("says a missing required key is missing", () => {
    const { followers: _followers, ...withoutFollowers } = VALID;
    expect(problemOf(withoutFollowers, "item 1")).toBe(
      "item 1: followers: expected a whole number of followers ≥ 0, got nothing",
    );
  });

  it("reads back every row the demo writes", () => {
    for (const row of demoRows({ now: new Date("2026-06-01T00:00:00Z"), creators: 6, postsPerCreator: 2 })) {
      const record = toImportRecord(row);
      expect(check(record)).toEqual({ ok: true, row });
    }
  });
});

describe("parseTimestamp", () => {
  it("needs a time zone and a real calendar date", () => {
    expect(parseTimestamp("2026-03-01T09:30:00")).toBeUndefined();
    expect(parseTimestamp("2026-02-30T09:30:00Z")).toBeUndefined();
    expect(parseTimestamp("2026-03-01T24:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2026-03-01")).toBeUndefined();
    expect(parseTimestamp("2024-02-29T00:00Z")).toEqual(new Date("2024-02-29T00:00:00Z"));
    expect(parseTimestamp("2026-03-01 09:30:00.123-02:30")).toEqual(new Date("2026-03-01T12:00:00.123Z"));
    expect(parseTimestamp("2026-03-01T09:30:00+0200")).toEqual(new Date("2026-03-01T07:30:00Z"));
  });

  it("reads every moment back from its ISO form", () => {
    const moments = fc.date({
      min: new Date("1990-01-01T00:00:00Z"),
      max: new Date("2100-01-01T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(moments, (moment) => {
        expect(parseTimestamp(moment.toISOString())).toEqual(moment);
      }),
    );
  });
});

describe("headerProblems", () => {
  it("accepts the columns in any order, and leaves optional ones out", () => {
    expect(headerProblems([...IMPORT_COLUMNS].reverse())).toEqual([]);
    expect(
      headerProblems(["captured_at", "post_id", "published_at", "followers", "creator", "platform"]),
    ).toEqual([]);
  });

  it("names unknown, duplicate and missing columns", () => {
    const problems = headerProblems([
      "platform",
      "creator",
      "creator",
      "handle",
      "post_id",
      "likes",
      "colour",
    ]);
    expect(problems).toEqual([
      `unknown columns "handle", "colour" (known: ${IMPORT_COLUMNS.join(", ")})`,
      "duplicate columns creator",
      "missing required columns followers, published_at, captured_at",
    ]);
  });
});
