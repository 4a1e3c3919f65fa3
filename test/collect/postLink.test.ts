import { describe, expect, it } from "vitest";
import { parsePostLink } from "../../src/collect/postLink.ts";

describe("parsePostLink", () => {
  it.each([
    [
      "https://www.instagram.com/p/C1a2b3xYz/",
      "instagram",
      "C1a2b3xYz",
      null,
      "https://www.instagram.com/p/C1a2b3xYz/",
    ],
    [
      "instagram.com/reel/C9reel_01?igsh=abc",
      "instagram",
      "C9reel_01",
      null,
      "https://www.instagram.com/p/C9reel_01/",
    ],
    [
      "https://m.instagram.com/reels/Cx-1234",
      "instagram",
      "Cx-1234",
      null,
      "https://www.instagram.com/p/Cx-1234/",
    ],
    [
      "https://www.instagram.com/Anna.Cooks/p/C1a2b3xYz/?hl=en",
      "instagram",
      "C1a2b3xYz",
      "anna.cooks",
      "https://www.instagram.com/p/C1a2b3xYz/",
    ],
    [
      "https://www.tiktok.com/@nina.brews/video/7301234567890123456?is_from_webapp=1",
      "tiktok",
      "7301234567890123456",
      "nina.brews",
      "https://www.tiktok.com/@nina.brews/video/7301234567890123456",
    ],
    [
      "https://m.tiktok.com/v/7301234567890123456.html",
      "tiktok",
      "7301234567890123456",
      null,
      "https://www.tiktok.com/video/7301234567890123456",
    ],
    [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
      "youtube",
      "dQw4w9WgXcQ",
      null,
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
    [
      "https://youtu.be/dQw4w9WgXcQ?si=xyz",
      "youtube",
      "dQw4w9WgXcQ",
      null,
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
    [
      "https://m.youtube.com/shorts/abcdefghijk",
      "youtube",
      "abcdefghijk",
      null,
      "https://www.youtube.com/watch?v=abcdefghijk",
    ],
  ])("reads %s", (text, platform, postId, handle, url) => {
    expect(parsePostLink(text)).toEqual({ ok: true, link: { platform, postId, handle, url } });
  });

  it.each([
    [
      "not a link at all",
      "That is not a link. Paste the post's address, e.g. https://www.instagram.com/p/C1a2b3/.",
    ],
    [
      "https://www.facebook.com/watch?v=1",
      "Longtail tracks Instagram, TikTok and YouTube posts; facebook.com is not one of them.",
    ],
    [
      "https://www.instagram.com/anna.cooks/",
      "That Instagram link is not a post or reel (instagram.com/p/… or /reel/…).",
    ],
    [
      "https://vm.tiktok.com/ZMabc123/",
      "That is a TikTok short link. Open it and paste the full address (tiktok.com/@creator/video/…).",
    ],
    ["https://www.tiktok.com/@nina.brews", "That TikTok link is not a video (tiktok.com/@creator/video/…)."],
    [
      "https://www.youtube.com/@channel",
      "That YouTube link is not a video (youtube.com/watch?v=…, /shorts/… or youtu.be/…).",
    ],
    ["https://youtu.be/short", "That YouTube link has no video id."],
    [
      "javascript://instagram.com/p/abcdef",
      "That is not a link. Paste the post's address, e.g. https://www.instagram.com/p/C1a2b3/.",
    ],
    [
      `https://www.instagram.com/p/${"a".repeat(3000)}`,
      "That is not a link. Paste the post's address, e.g. https://www.instagram.com/p/C1a2b3/.",
    ],
  ])("refuses %s with a reason", (text, reason) => {
    expect(parsePostLink(text)).toEqual({ ok: false, reason });
  });
});
