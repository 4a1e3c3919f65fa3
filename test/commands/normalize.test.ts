import { describe, expect, it } from "vitest";
import { normalizeChatText } from "../../src/commands/normalize.ts";

describe("normalizing chat text", () => {
  it.each([
    ["smart double quotes", "campaign “spring launch”", 'campaign "spring launch"'],
    ["smart single quotes", "how’s ‘anna’ doing", "how's 'anna' doing"],
    [
      "non-breaking and repeated spaces",
      "top\u00a05  \t creators\u202fby clicks",
      "top 5 creators by clicks",
    ],
    ["zero-width characters", "to\u200bp 5", "top 5"],
    ["surrounding space", "   help   ", "help"],
    ["leading slash", "/creator @anna", "creator @anna"],
    ["bot slash command", "/longtail top 5 creators", "top 5 creators"],
    ["insights slash command", "/insights help", "help"],
    ["leading bot word", "longtail top 5", "top 5"],
    ["leading bot mention with a colon", "@Longtail: digest", "digest"],
    ["leading bot word with a comma", "longtail, digest", "digest"],
    ["a handle that starts with the bot's name is kept", "@longtail.bakes", "@longtail.bakes"],
    ["the bot's name later on is kept", "creator @anna longtail", "creator @anna longtail"],
    ["only the bot", "longtail", ""],
    ["empty", "", ""],
  ])("%s", (_what, input, expected) => {
    expect(normalizeChatText(input)).toBe(expected);
  });

  it.each([
    ["HTML entities", "campaign a&amp;b &lt;x&gt;"],
    ["a Slack mention", "creator <@U123|anna>"],
    ["a Teams mention", "<at>Anna</at> digest"],
  ])("leaves %s as typed: each platform decodes its own syntax at its edge", (_what, input) => {
    expect(normalizeChatText(input)).toBe(input);
  });
});
