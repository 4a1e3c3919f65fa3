import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIER_BOUNDARIES,
  tierOf,
  toTierBoundaries,
  validateTierBoundaries,
} from "../../src/metrics/index.ts";

describe("tiers by followers", () => {
  it.each([
    [0, "nano"],
    [999, "nano"],
    [1_000, "micro"],
    [50_000, "micro"],
    [50_001, "mid"],
    [499_999, "mid"],
    [500_000, "macro"],
    [999_999, "macro"],
    [1_000_000, "mega"],
    [40_000_000, "mega"],
  ] as const)("%i followers → %s", (followers, tier) => {
    expect(tierOf(followers)).toBe(tier);
  });

  it("follow a workspace's own boundaries with the same inclusivity", () => {
    const boundaries = toTierBoundaries([500, 10_000, 100_000, 250_000]);
    expect(tierOf(499, boundaries)).toBe("nano");
    expect(tierOf(10_000, boundaries)).toBe("micro");
    expect(tierOf(10_001, boundaries)).toBe("mid");
    expect(tierOf(100_000, boundaries)).toBe("macro");
    expect(tierOf(250_000, boundaries)).toBe("mega");
  });
});

describe("validating tier boundaries", () => {
  it("accepts four strictly increasing positive whole numbers", () => {
    expect(validateTierBoundaries([...DEFAULT_TIER_BOUNDARIES])).toBeNull();
  });

  it.each([
    [[1_000, 50_000, 500_000], /exactly 4/],
    [[1_000, 50_000, 500_000, 1_000_000, 2_000_000], /exactly 4/],
    [[0, 50_000, 500_000, 1_000_000], /positive whole numbers.*0/],
    [[1_000, 50_000.5, 500_000, 1_000_000], /positive whole numbers.*50000\.5/],
    [[1_000, Number.NaN, 500_000, 1_000_000], /positive whole numbers/],
    [[1_000, 50_000, 50_000, 1_000_000], /strictly increasing.*50000.*50000/],
    [[1_000, 500_000, 50_000, 1_000_000], /strictly increasing/],
  ])("rejects %j with a clear message", (values, message) => {
    expect(validateTierBoundaries(values)).toMatch(message);
    expect(() => toTierBoundaries(values)).toThrow(message);
  });
});
