import { describe, expect, it } from "vitest";
import type { Intent } from "../../src/commands/intent.ts";
import { parseCommand } from "../../src/commands/parse.ts";

const YOUTUBE = {
  platform: "youtube",
  postId: "dQw4w9WgXcQ",
  handle: null,
  url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
} as const;
const TIKTOK = {
  platform: "tiktok",
  postId: "7301234567890123456",
  handle: "maya.runs",
  url: "https://www.tiktok.com/@maya.runs/video/7301234567890123456",
} as const;

describe("track, untrack and tracked", () => {
  it.each<readonly [string, Intent]>([
    ["track https://youtu.be/dQw4w9WgXcQ", { kind: "track", link: YOUTUBE }],
    [
      "/longtail track https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42 for spring-launch fee 250",
      { kind: "track", link: YOUTUBE, campaign: "spring-launch", fee: 250 },
    ],
    [
      'track https://m.tiktok.com/@Maya.Runs/video/7301234567890123456?lang=en fee €1,500.50 campaign "spring launch"',
      { kind: "track", link: TIKTOK, campaign: "spring launch", fee: 1500.5 },
    ],
    ["untrack youtu.be/dQw4w9WgXcQ", { kind: "untrack", link: YOUTUBE }],
    ["stop tracking https://youtu.be/dQw4w9WgXcQ", { kind: "untrack", link: YOUTUBE }],
    ["tracked", { kind: "tracked" }],
    ["tracked posts", { kind: "tracked" }],
    ["tracked spring-launch", { kind: "tracked", campaign: "spring-launch" }],
    ['tracked for "spring launch"', { kind: "tracked", campaign: "spring launch" }],
    ["help track", { kind: "help", topic: "track" }],
  ])("%j", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it.each([
    [
      "track",
      "Which post? Paste its link: track https://www.youtube.com/watch?v=dQw4w9WgXcQ for spring-launch fee 250.",
    ],
    [
      "track https://vimeo.com/12345",
      "Longtail tracks Instagram, TikTok and YouTube posts; vimeo.com is not one of them.",
    ],
    [
      "track https://vm.tiktok.com/ZMabc/",
      "That is a TikTok short link. Open it and paste the full address (tiktok.com/@creator/video/…).",
    ],
    [
      "track https://www.instagram.com/anna.bakes/",
      "That Instagram link is not a post or reel (instagram.com/p/… or /reel/…).",
    ],
    ["track https://youtu.be/dQw4w9WgXcQ fee lots", "The fee is an amount such as 250 or 99.50, got “lots”."],
    [
      "track https://youtu.be/dQw4w9WgXcQ for spring please now",
      "I understood `track <link> for <campaign> fee <amount>`, but not “please now”. Try track https://www.youtube.com/watch?v=dQw4w9WgXcQ for spring-launch fee 250.",
    ],
    ["untrack", "Which post? Paste its link: untrack https://www.youtube.com/watch?v=…."],
    [
      "trakc https://youtu.be/dQw4w9WgXcQ",
      "I don't know “trakc”. Did you mean track? Type `help` to see what I answer.",
    ],
  ])("%j is refused: %j", (input, reason) => {
    expect(parseCommand(input)).toEqual({ kind: "unknown", text: expect.any(String), reason });
  });
});
