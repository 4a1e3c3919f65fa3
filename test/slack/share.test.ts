import { describe, expect, it } from "vitest";
import { decodeShare, encodeShare } from "../../src/slack/share.ts";

describe("share buttons", () => {
  const now = new Date("2026-03-02T09:00:00Z");

  it("round-trips the question and its moment", () => {
    const value = encodeShare({ text: "creator @anna", now }) ?? "";
    expect(decodeShare(value, new Date("2026-03-03T00:00:00Z"))).toEqual({ text: "creator @anna", now });
  });

  it("refuses values it did not make and clamps a future moment", () => {
    expect(decodeShare("creator @anna", now)).toBeUndefined();
    expect(decodeShare('{"t":"","n":"2026-03-02T09:00:00Z"}', now)).toBeUndefined();
    expect(decodeShare('{"t":"digest","n":"yesterday"}', now)).toBeUndefined();
    expect(decodeShare('{"t":"digest","n":"2099-01-01T00:00:00Z"}', now)?.now).toEqual(now);
  });
});
