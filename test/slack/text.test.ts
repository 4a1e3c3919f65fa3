import { describe, expect, it } from "vitest";
import type { Intent } from "../../src/commands/intent.ts";
import { parseCommand } from "../../src/commands/parse.ts";
import { plainSlackText } from "../../src/slack/text.ts";

describe("Slack text decoded to plain text", () => {
  it.each([
    ["user mention with a label", "creator <@U123|anna>", "creator @anna"],
    ["user mention whose label has an @", "creator <@U123|@anna>", "creator @anna"],
    ["bare user mention keeps the id marker", "creator <@U123>", "creator @<U123>"],
    ["channel", "digest for <#C123|general>", "digest for #general"],
    ["channel without a label", "digest for <#C123>", "digest for #C123"],
    ["mailto link", "mail <mailto:a@b.c|a@b.c>", "mail a@b.c"],
    ["link with a label", "see <https://x.y|label>", "see label"],
    ["bare link", "see <https://x.y>", "see https://x.y"],
    ["broadcast mention", "<!here> digest", "  digest"],
    ["date with a fallback", "<!date^1^{date}|Feb 1> digest", "Feb 1 digest"],
    ["escaped & < >", "campaign a&amp;b &lt;x&gt;", "campaign a&b <x>"],
    ["a typed escape is decoded once", "&amp;lt;", "&lt;"],
    ["entities Slack does not send stay", "a&quot;b&nbsp;c", "a&quot;b&nbsp;c"],
    ["not a Slack token", "compare <micro> vs macro", "compare <micro> vs macro"],
    ["the bot's name as a label is left for the parser", "<@U0BOT|longtail> digest", "@longtail digest"],
  ])("%s", (_what, input, expected) => {
    expect(plainSlackText(input)).toBe(expected);
  });

  it("drops mentions of the bot's own user id, with or without a label, and nobody else's", () => {
    expect(plainSlackText("<@U0BOT> how is <@U1|anna> doing?", "U0BOT")).toBe("  how is @anna doing?");
    expect(plainSlackText("<@U0BOT|longtail>, compare tiers <@U0BOT>", "U0BOT")).toBe(" , compare tiers  ");
  });
});

describe("what Slack sends, as the command language reads it", () => {
  it.each<readonly [string, Intent]>([
    [
      "<@U0BOT|longtail> top 5 creators by longevity",
      { kind: "top", n: 5, entity: "creators", metric: "longevity" },
    ],
    ["<@U0BOT> compare tiers", { kind: "compareTiers" }],
    ["creator <@U123|anna>", { kind: "creator", handle: "anna" }],
    ["campaign spring&amp;summer", { kind: "campaign", name: "spring&summer" }],
    ["compare micro &amp; macro", { kind: "compareTiers", tiers: ["micro", "macro"] }],
    [
      "track <https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=42> for spring-launch",
      {
        kind: "track",
        link: {
          platform: "youtube",
          postId: "dQw4w9WgXcQ",
          handle: null,
          url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        },
        campaign: "spring-launch",
      },
    ],
  ])("%s", (sent, intent) => {
    expect(parseCommand(plainSlackText(sent, "U0BOT"))).toEqual(intent);
  });

  it("reads a channel link as the campaign it is named after", () => {
    expect(parseCommand(plainSlackText("top 3 creators by longevity in <#C1|spring-launch>"))).toMatchObject({
      kind: "top",
      campaign: "spring-launch",
    });
  });

  it("refuses a bare user mention as a creator, saying what to type instead", () => {
    expect(parseCommand(plainSlackText("creator <@U123>"))).toMatchObject({
      kind: "unknown",
      reason: expect.stringContaining("mentions a person in this chat, not a creator"),
    });
  });
});
