import { describe, expect, it } from "vitest";
import { TeamsPacer } from "../../src/teams/pacing.ts";

describe("Teams pacing (7/s, 60/30 s, 1,800/h per conversation; 30/s per tenant)", () => {
  it("lets 7 messages a second into one conversation, then waits for the oldest to leave the second", () => {
    const pacer = new TeamsPacer();
    for (let i = 0; i < 7; i++) {
      expect(pacer.waitFor("c1", "t1", 1_000 + i * 10)).toBe(0);
      pacer.sent("c1", "t1", 1_000 + i * 10);
    }
    expect(pacer.waitFor("c1", "t1", 1_070)).toBe(930);
    expect(pacer.waitFor("c2", "t1", 1_070)).toBe(0);
  });

  it("holds a conversation to 60 in 30 seconds", () => {
    const pacer = new TeamsPacer();
    for (let i = 0; i < 60; i++) pacer.sent("c1", "t1", i * 200);
    expect(pacer.waitFor("c1", "t1", 12_000)).toBe(18_000);
  });

  it("holds a conversation to 1,800 an hour", () => {
    const pacer = new TeamsPacer();
    for (let i = 0; i < 1_800; i++) pacer.sent("c1", "t1", i * 1_000);
    expect(pacer.waitFor("c1", "t1", 1_800_000)).toBe(1_800_000);
  });

  it("holds a tenant to 30 a second across its conversations", () => {
    const pacer = new TeamsPacer();
    for (let i = 0; i < 30; i++) pacer.sent(`c${i}`, "t1", 5_000 + i);
    expect(pacer.waitFor("c99", "t1", 5_030)).toBe(970);
    expect(pacer.waitFor("c99", "t2", 5_030)).toBe(0);
  });
});
