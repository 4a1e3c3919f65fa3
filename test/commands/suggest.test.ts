import { describe, expect, it } from "vitest";
import { closestMatches, uniqueMatch } from "../../src/commands/suggest.ts";

const creators = ["anna", "anna.bakes", "bob", "carla_cooks", "dave"];
const campaigns = ["spring-launch", "summer-glow", "autumn-sale", "black-friday"];

describe("closest matches for did-you-mean", () => {
  it.each([
    ["a missing letter", "ana", ["anna", "sprng-launch"], ["anna"]],
    ["a missing letter in a campaign", "sprng-launch", campaigns, ["spring-launch"]],
    ["a different case", "SUMMER-GLOW", campaigns, ["summer-glow"]],
    ["a swapped pair", "sumemr-glow", campaigns, ["summer-glow"]],
    ["a prefix, ranked before a closer edit", "ann", creators, ["anna", "anna.bakes"]],
    ["a substring", "glow", campaigns, ["summer-glow"]],
    ["unrelated text", "xyzzy", campaigns, []],
    ["unrelated short text", "qq", creators, []],
    ["empty input", "", creators, []],
    ["input of spaces", "   ", creators, []],
  ])("%s: %j", (_what, input, candidates, expected) => {
    expect(closestMatches(input, candidates)).toEqual(expected);
  });

  it("puts an exact match first, then prefixes, then substrings, then edits", () => {
    expect(closestMatches("mid", ["amid", "mod", "midnight", "mid"], 4)).toEqual([
      "mid",
      "midnight",
      "amid",
      "mod",
    ]);
  });

  it("returns at most `limit` matches, and none for a limit of 0", () => {
    const candidates = ["anna1", "anna2", "anna3", "anna4"];
    expect(closestMatches("anna", candidates)).toHaveLength(3);
    expect(closestMatches("anna", candidates, 2)).toHaveLength(2);
    expect(closestMatches("anna", candidates, 0)).toEqual([]);
  });

  it("returns candidates as given, once each", () => {
    expect(closestMatches("anna", ["Anna", "anna", "ANNA"])).toEqual(["Anna"]);
  });

  it("allows more edits for longer words, up to 40% of the length", () => {
    expect(closestMatches("blak-fridey", campaigns)).toEqual(["black-friday"]);
    expect(closestMatches("bxxxx-fxxxxy", campaigns)).toEqual([]);
  });
});

describe("closestMatches on handles made of words", () => {
  it("finds a handle from a near-miss of one of its words", () => {
    expect(closestMatches("ana", ["anna.cooks", "mila_runs", "koen_shoots"])).toEqual(["anna.cooks"]);
    expect(closestMatches("mila", ["anna.cooks", "mila_runs"])).toEqual(["mila_runs"]);
  });
});

describe("the one creator a name stands for", () => {
  const handles = ["anna.cooks", "nina.brews", "annika", "bob_bakes", "bobby"];
  it.each([
    ["a prefix only one handle starts with", "anna", "anna.cooks"],
    ["a prefix in another case", "ANNA.C", "anna.cooks"],
    ["the handle without its punctuation", "annacooks", "anna.cooks"],
    ["a prefix ignoring punctuation", "bobbak", "bob_bakes"],
  ])("%s: %j → %j", (_what, input, expected) => {
    expect(uniqueMatch(input, handles)).toBe(expected);
  });

  it.each([
    ["a prefix of two handles", "ann"],
    ["a prefix of two handles ignoring punctuation", "bob"],
    ["a name no handle starts with", "nadia"],
    ["too short to name anyone", "ni"],
  ])("nobody for %s: %j", (_what, input) => {
    expect(uniqueMatch(input, handles)).toBeUndefined();
  });
});
